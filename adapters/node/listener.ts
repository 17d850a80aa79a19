// A node:net server seen through the RawListener contract. Accepted sockets arrive
// paused (pauseOnConnect) and half-open capable; the core decides the rest.
import { createServer, type Server as NodeServer } from "node:net";
import process from "node:process";
import type { ListenerSink, ListenOptions, RawAddress, RawListener, TcpListenOptions } from "../../src/contract.ts";
import { pipeMode } from "../_shared/pipe.ts";
import { chmodPipe } from "../_shared/pipe_chmod.ts";
import { NodeConn } from "./conn.ts";

/** Wraps one listening node:net server. */
export class NodeListener implements RawListener {
  #server: NodeServer;
  #closed = false;

  constructor(server: NodeServer) {
    this.#server = server;
  }

  address(): RawAddress | undefined {
    if (!this.#server.listening) return undefined;
    const a = this.#server.address();
    if (a === null) return undefined;
    if (typeof a === "string") return { path: a };
    return { address: a.address, family: a.family as "IPv4" | "IPv6", port: a.port };
  }

  close(done: () => void): void {
    if (this.#closed) {
      queueMicrotask(done);
      return;
    }
    this.#closed = true;
    // The socket is released inside close() (libuv closes the fd at once); node:net's own
    // callback would also wait for every accepted connection, which the contract does not.
    // Also when not listening yet: close() voids a bind still waiting on its lookup.
    this.#server.close();
    process.nextTick(done);
  }

  ref(): void {
    this.#server.ref();
  }

  unref(): void {
    this.#server.unref();
  }
}

/**
 * Forward the server's events to the core's sink. `path`: a Unix socket's. `chmod`: a Unix socket's exact mode to
 * set once listening (Node 24 sets it exactly; older libuv only adds bits); a failure is
 * the listen's error, `uv_pipe_chmod` as Node reports it, and the server is closed.
 */
export function forwardListenerEvents(
  server: NodeServer,
  sink: ListenerSink,
  path: string | null,
  chmod?: { path: string; mode: number },
): void {
  const pipe = path === null ? null : { local: path, remote: "" };
  server.on("listening", () => {
    const failed = chmod === undefined ? null : chmodPipe(chmod.path, chmod.mode);
    if (failed !== null) {
      server.close();
      sink.onError(failed);
      return;
    }
    sink.onListening();
  });
  server.on("connection", (socket) => {
    const conn = new NodeConn(socket, undefined, pipe);
    // The inner socket is connected and takes writes now (libuv's try_write), so the core
    // may call it inside onConnection: a write in 'connection' completes there, as on Node.
    // Its events come on a later tick at the earliest, once the sink is set.
    conn.setSink(sink.onConnection(conn, (s) => conn.setSink(s)));
  });
  server.on("error", (err) => sink.onError(err));
}

// libuv's uv_tcp_flags (node:net's TCPConstants): stable ABI values.
const UV_TCP_IPV6ONLY = 1;
const UV_TCP_REUSEPORT = 2;

/** node:net's server with its `_listen2` (setupListenHandle), a legacy hook it keeps for wrappers. */
type Listen2Server = NodeServer & {
  _listen2(address: string, port: number, addressType: number, backlog: number, fd: undefined, flags: number): void;
};

// Bind an IP address the way node:net's listen() does once it has an address, without its
// lookup: `listen({ host })` passes even a literal through `dns.lookup` (a second
// resolution after the core's, and a bind one tick late). `_listen2` binds and listens
// synchronously, as node:net does for `listen(port)` and `listen(path)`, so `address()`
// answers when `listen()` returns; errors come as node:net's 'error' a tick later.
function bindTcp(server: NodeServer, options: TcpListenOptions, reusePortByListen: boolean): void {
  if (options.reusePort && reusePortByListen) {
    // A node:net whose _listen2 ignores the flag (Deno's) takes reusePort through listen().
    server.listen({
      host: options.host,
      port: options.port,
      backlog: options.backlog,
      reusePort: true,
      exclusive: true,
    });
    return;
  }
  const flags = (options.ipv6Only ? UV_TCP_IPV6ONLY : 0) | (options.reusePort ? UV_TCP_REUSEPORT : 0);
  (server as Listen2Server)._listen2(options.host, options.port, options.family, options.backlog, undefined, flags);
}

/**
 * Bind and listen with the runtime's `node:net` (Node's; Deno's for TCP). `options.host`
 * is an IP address. `reusePortByListen`: pass `reusePort` through `listen()` (Deno).
 */
export function listenNodeNet(options: ListenOptions, sink: ListenerSink, reusePortByListen = false): RawListener {
  const server = createServer({ allowHalfOpen: true, pauseOnConnect: true });
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
    bindTcp(server, options, reusePortByListen);
  }
  return new NodeListener(server);
}
