// The differential check on the memory adapter: the same scenarios as diff_test.ts, each
// on a fresh in-process network, must give node:net's recorded traces: for everything the
// scenarios observe, the memory network behaves as loopback does. node:net's traces are
// this machine's, so the network models it: its file system (`fs`: the scenarios make files
// and directories at Unix socket paths) and its /etc/hosts (`hosts`: whether `localhost`
// has `::1`).
import dns from "node:dns";
import { createNet } from "../mod.ts";
import { createMemoryAdapter, type MemoryAdapterOptions } from "../adapters/memory/mod.ts";
import type { NetLike } from "./diff/scenarios.ts";
import { diffSuite } from "./diff/_suite.ts";
import { runtime } from "./_util.ts";
import { etcHosts, realFileSystem } from "./memory_machine.ts";

const options: MemoryAdapterOptions = {
  // A user's `hints` are the running runtime's `dns` numbers (Deno's are not Linux's).
  lookupFlags: { addrconfig: dns.ADDRCONFIG, v4mapped: dns.V4MAPPED, all: dns.ALL },
  fs: realFileSystem,
  hosts: etcHosts(),
};

diffSuite(
  `diff: omninet on the memory adapter (${runtime})`,
  createMemoryAdapter(options),
  () => createNet(createMemoryAdapter(options)) as unknown as NetLike,
);
