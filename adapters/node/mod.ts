/**
 * The Node adapter: omninet's contract over `node:net` and `dns.lookup`.
 *
 * @module
 */
import * as net from "node:net";
import { lookup as dnsLookup } from "node:dns";
import process from "node:process";
import type {
  Capabilities,
  ConnectOptions,
  ConnSink,
  ListenerSink,
  ListenOptions,
  LookupAddress,
  LookupOptions,
  RawConn,
  RawListener,
  RuntimeAdapter,
} from "../../src/contract.ts";
import { emitWarning, runtimeHints, runtimePlatform } from "../_shared/runtime_platform.ts";
import { pipeMode } from "../_shared/pipe.ts";
import { NodeConn } from "./conn.ts";
import { forwardListenerEvents, NodeListener } from "./listener.ts";
import { connectUpgradable } from "../_shared/node_tls.ts";

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

function connect(options: ConnectOptions, sink: ConnSink): RawConn {
  const socket = new net.Socket({ allowHalfOpen: true });
  const conn = new NodeConn(socket, sink, "path" in options ? { local: "", remote: options.path } : null);
  if ("path" in options) {
    socket.connect({ path: options.path });
  } else {
    socket.connect({
      host: options.host,
      port: options.port,
      family: options.family,
      localAddress: options.localAddress,
      localPort: options.localPort,
      autoSelectFamily: false,
    });
  }
  return conn;
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
    server.listen({
      host: options.host,
      port: options.port,
      backlog: options.backlog,
      ipv6Only: options.ipv6Only,
      reusePort: options.reusePort || undefined,
      exclusive: true,
    } as net.ListenOptions);
  }
  return new NodeListener(server);
}

function lookup(hostname: string, options: LookupOptions): Promise<LookupAddress[]> {
  return new Promise((resolve, reject) => {
    dnsLookup(hostname, { all: true, family: options.family, hints: runtimeHints(options.hints) }, (err, addresses) => {
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
  connect,
  listen,
  lookup,
  connectUpgradable,
};
