/**
 * The Node adapter: omninet's contract over `node:net` and `dns.lookup`.
 *
 * @module
 */
import * as net from "node:net";
import dns from "node:dns";
import process from "node:process";
import type {
  Capabilities,
  ListenerSink,
  ListenOptions,
  LookupAddress,
  LookupOptions,
  RawListener,
  RuntimeAdapter,
  TcpListenOptions,
} from "../../src/contract.ts";
import { emitWarning, runtimeHints, runtimePlatform } from "../_shared/runtime_platform.ts";
import { pipeMode } from "../_shared/pipe.ts";
import { connectNodeNet } from "./conn.ts";
import { forwardListenerEvents, NodeListener } from "./listener.ts";

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
};

// libuv's uv_tcp_flags (node:net's TCPConstants): stable ABI values.
const UV_TCP_IPV6ONLY = 1;
const UV_TCP_REUSEPORT = 2;

/** node:net's server with its `_listen2` (setupListenHandle), a legacy hook it keeps for wrappers. */
type Listen2Server = net.Server & {
  _listen2(address: string, port: number, addressType: number, backlog: number, fd: undefined, flags: number): void;
};

// Bind an IP address the way node:net's listen() does once it has an address, without its
// lookup: `listen({ host })` passes even a literal through `dns.lookup` (a second
// resolution after the core's, and a bind one tick late). `_listen2` binds and listens
// synchronously, as node:net does for `listen(port)` and `listen(path)`, so `address()`
// answers when `listen()` returns; errors come as node:net's 'error' a tick later.
function bindTcp(server: net.Server, options: TcpListenOptions): void {
  const flags = (options.ipv6Only ? UV_TCP_IPV6ONLY : 0) | (options.reusePort ? UV_TCP_REUSEPORT : 0);
  (server as Listen2Server)._listen2(options.host, options.port, options.family, options.backlog, undefined, flags);
}

function listen(options: ListenOptions, sink: ListenerSink): RawListener {
  const server = net.createServer({ allowHalfOpen: true, pauseOnConnect: true });
  let chmod: { path: string; mode: number } | undefined;
  if ("path" in options && (options.readableAll || options.writableAll)) {
    // Node 24 sets the socket's mode exactly; older libuv only adds bits. Follow Node 24.
    chmod = { path: options.path, mode: pipeMode(options.readableAll, options.writableAll) };
  }
  forwardListenerEvents(server, sink, "path" in options ? options.path : null, chmod);
  if ("path" in options) {
    server.listen({
      path: options.path,
      backlog: options.backlog,
      readableAll: options.readableAll,
      writableAll: options.writableAll,
    });
  } else {
    bindTcp(server, options);
  }
  return new NodeListener(server);
}

// `dns.lookup` is read at each call, as node:net does: applications and tests replace it.
function lookup(hostname: string, options: LookupOptions): Promise<LookupAddress[]> {
  return new Promise((resolve, reject) => {
    dns.lookup(hostname, { all: true, family: options.family, hints: runtimeHints(options.hints) }, (err, addresses) => {
      if (err) reject(err);
      else resolve(addresses.map((a) => ({ address: a.address, family: a.family as 4 | 6 })));
    });
  });
}

/** omninet's adapter for Node (`node:net`). */
export const adapter: RuntimeAdapter = {
  name: "node",
  capabilities,
  platform: runtimePlatform,
  emitWarning,
  connect: connectNodeNet,
  listen,
  lookup,
};
