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

const capabilities: Capabilities = {
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
  // The libuv handles keep the re-entrancy rule themselves; node:net's sockets need the guard.
  reentrySafe: libuv !== null,
  // A handle's close callback is libuv's, the one node:net emits 'close' from.
  closePhase: libuv !== null,
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

const uv = libuv;

/** omninet's adapter for Node (libuv's handles, else `node:net`). */
export const adapter: RuntimeAdapter = {
  name: "node",
  capabilities,
  platform: runtimePlatform,
  emitWarning,
  connect: uv ? connectHandle : connectNodeNet,
  listen: uv ? (options, sink) => listenHandle(uv, options, sink) : (options, sink) => listenNodeNet(options, sink),
  lookup,
  connectUpgradable,
};
