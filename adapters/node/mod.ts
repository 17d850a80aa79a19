/**
 * The Node adapter: omninet's contract over Node's libuv handles (the ones `node:net` is
 * built on) and `dns.lookup`; over `node:net` itself where `process.binding` is refused
 * (Node's permission model).
 *
 * @module
 */
import dns from "node:dns";
import process from "node:process";
import type { Capabilities, LookupAddress, LookupOptions, RuntimeAdapter } from "../../src/contract.ts";
import { emitWarning, runtimeHints, runtimePlatform } from "../_shared/runtime_platform.ts";
import { connectNodeNet } from "./conn.ts";
import { listenNodeNet } from "./listener.ts";
import { connectUpgradable } from "../_shared/node_tls.ts";
import { libuv } from "./_libuv.ts";
import { connectHandle } from "./handle_conn.ts";
import { listenHandle } from "./handle_listener.ts";

// SO_REUSEPORT arrived in Node 22.12 (and 23.1); older versions ignore the option.
const [major, minor] = process.versions.node.split(".").map(Number);
const hasReusePort = major > 23 || (major === 23 && minor >= 1) || (major === 22 && minor >= 12);

/** What Node's sockets can do, through either transport. */
const nodeNetCapabilities: Capabilities = {
  unix: true,
  halfOpen: true,
  noDelay: true,
  keepAlive: true,
  keepAliveDelay: true,
  reusePort: hasReusePort,
  ipv6Only: true,
  reset: true,
  localBind: true,
  syncWrite: true,
  pipeReset: true,
};

// `dns.lookup` is read at each call, as node:net does: applications and tests replace it.
function lookup(hostname: string, options: LookupOptions): Promise<LookupAddress[]> {
  return new Promise((resolve, reject) => {
    dns.lookup(
      hostname,
      { all: true, family: options.family, hints: runtimeHints(options.hints) },
      (err, addresses) => {
        if (err) reject(err);
        else resolve(addresses.map((a) => ({ address: a.address, family: a.family as 4 | 6 })));
      },
    );
  });
}

/**
 * omninet's adapter for Node over `node:net` sockets: the fallback where `process.binding`
 * is refused (Node's permission model), one `node:net` socket under each omninet socket.
 */
export const nodeNetAdapter: RuntimeAdapter = {
  name: "node",
  capabilities: nodeNetCapabilities,
  platform: runtimePlatform,
  emitWarning,
  connect: connectNodeNet,
  listen: (options, sink) => listenNodeNet(options, sink),
  lookup,
  connectUpgradable,
};

/** omninet's adapter for Node: libuv's handles, as node:net's own (else {@link nodeNetAdapter}). */
export const adapter: RuntimeAdapter = libuv === null ? nodeNetAdapter : {
  ...nodeNetAdapter,
  capabilities: {
    ...nodeNetCapabilities,
    // The handles keep the re-entrancy rule themselves, and their close callback is
    // libuv's, the one node:net emits 'close' from.
    reentrySafe: true,
    closePhase: true,
  },
  connect: connectHandle,
  listen: listenHandle,
};
