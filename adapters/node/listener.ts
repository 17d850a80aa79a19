// A node:net server seen through the RawListener contract. Accepted sockets arrive
// paused (pauseOnConnect) and half-open capable; the core decides the rest.
import type { Server as NodeServer } from "node:net";
import type { ListenerSink, RawAddress, RawListener } from "../../src/contract.ts";

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
    // Also when not listening yet: close() voids a bind still waiting on its lookup
    // (the callback then gets ERR_SERVER_NOT_RUNNING, which means the same: released).
    this.#server.close(() => done());
  }

  ref(): void {
    this.#server.ref();
  }

  unref(): void {
    this.#server.unref();
  }
}

/** Forward the server's events to the core's sink. */
export function forwardListenerEvents(
  server: NodeServer,
  sink: ListenerSink,
  wrap: (socket: import("node:net").Socket) => import("../../src/contract.ts").RawConn,
): void {
  server.on("listening", () => sink.onListening());
  server.on("connection", (socket) => sink.onConnection(wrap(socket)));
  server.on("error", (err) => sink.onError(err));
}
