// The differential check on the memory adapter: the same scenarios as diff_test.ts, each
// on a fresh in-process network, must give node:net's recorded traces: for everything the
// scenarios observe, the memory network behaves as loopback does.
import { createNet } from "../mod.ts";
import { createMemoryAdapter } from "../adapters/memory/mod.ts";
import type { NetLike } from "./diff/scenarios.ts";
import { diffSuite } from "./diff/_suite.ts";
import { runtime } from "./_util.ts";

diffSuite(
  `diff: omninet on the memory adapter (${runtime})`,
  createMemoryAdapter(),
  () => createNet(createMemoryAdapter()) as unknown as NetLike,
);
