// The differential check on the memory adapter: the same scenarios as diff_test.ts, each
// on a fresh in-process network, must give node:net's recorded traces: for everything the
// scenarios observe, the memory network behaves as loopback does. The scenarios make files
// and directories for Unix socket paths, so the network sees this machine's file system
// (`fs`); its hosts table is the default, as this machine's /etc/hosts (no `::1 localhost`).
import dns from "node:dns";
import { createNet } from "../mod.ts";
import { createMemoryAdapter, type MemoryAdapterOptions } from "../adapters/memory/mod.ts";
import type { NetLike } from "./diff/scenarios.ts";
import { diffSuite } from "./diff/_suite.ts";
import { runtime } from "./_util.ts";
import { realFileSystem } from "./memory_fs.ts";

const options: MemoryAdapterOptions = {
  // A user's `hints` are the running runtime's `dns` numbers (Deno's are not Linux's).
  lookupFlags: { addrconfig: dns.ADDRCONFIG, v4mapped: dns.V4MAPPED, all: dns.ALL },
  fs: realFileSystem,
};

diffSuite(
  `diff: omninet on the memory adapter (${runtime})`,
  createMemoryAdapter(options),
  () => createNet(createMemoryAdapter(options)) as unknown as NetLike,
);
