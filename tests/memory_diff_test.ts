// The differential check on the memory adapter: the same scenarios as diff_test.ts, each
// on a fresh in-process network, must give node:net's recorded traces: for everything the
// scenarios observe, the memory network behaves as loopback does.
import dns from "node:dns";
import { createNet } from "../mod.ts";
import { createMemoryAdapter } from "../adapters/memory/mod.ts";
import type { NetLike } from "./diff/scenarios.ts";
import { diffSuite } from "./diff/_suite.ts";
import { runtime } from "./_util.ts";

// A user's `hints` are the running runtime's `dns` numbers (Deno's are not Linux's).
const lookupFlags = { addrconfig: dns.ADDRCONFIG, v4mapped: dns.V4MAPPED, all: dns.ALL };

diffSuite(
  `diff: omninet on the memory adapter (${runtime})`,
  createMemoryAdapter({ lookupFlags }),
  () => createNet(createMemoryAdapter({ lookupFlags })) as unknown as NetLike,
);
