// A node:net server seen through the RawListener contract. Accepted sockets arrive
// paused (pauseOnConnect) and half-open capable; the core decides the rest.
import type { Server as NodeServer } from "node:net";
import { chmodSync } from "node:fs";
import process from "node:process";
import type { ListenerSink, RawAddress, RawListener } from "../../src/contract.ts";
import { systemError } from "../../src/errors/system_errors.ts";
import { runtimePlatform } from "../_shared/runtime_platform.ts";
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
    if (chmod !== undefined) {
      try {
        chmodSync(chmod.path, chmod.mode);
      } catch (err) {
        server.close();
        const code = (err as { code?: unknown }).code;
        sink.onError(
          typeof code === "string"
            ? systemError(runtimePlatform, code, "uv_pipe_chmod")
            : systemError(runtimePlatform, "UNKNOWN", "uv_pipe_chmod", { cause: err }),
        );
        return;
      }
    }
    sink.onListening();
  });
  server.on("connection", (socket) => {
    const conn = new NodeConn(socket, undefined, pipe);
    conn.setSink(sink.onConnection(conn));
  });
  server.on("error", (err) => sink.onError(err));
}
