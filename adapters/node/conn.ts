// A node:net socket seen through the RawConn contract. The inner socket always runs with
// allowHalfOpen and starts paused, so the core alone decides half-close and reading.
import type { Socket as NodeSocket } from "node:net";
import type { ConnSink, RawAddress, RawConn } from "../../src/types.ts";

/** Wraps one node:net socket. `sink` may be attached later (accepted connections). */
export class NodeConn implements RawConn {
  #socket: NodeSocket;
  #sink: ConnSink | null = null;
  #reading = false;
  #listening = false;

  constructor(socket: NodeSocket, sink?: ConnSink) {
    this.#socket = socket;
    socket.pause();
    if (sink) this.attach(sink);
  }

  attach(sink: ConnSink): void {
    this.#sink = sink;
    const s = this.#socket;
    s.on("connect", () => sink.onConnect());
    s.on("end", () => sink.onEnd());
    s.on("error", (err) => sink.onError(err));
    s.on("close", () => sink.onClose());
  }

  readStart(): void {
    if (this.#reading) return;
    this.#reading = true;
    if (!this.#listening) {
      this.#listening = true;
      const sink = this.#sink!;
      this.#socket.on("data", (chunk: Uint8Array) => sink.onData(chunk));
    }
    this.#socket.resume();
  }

  readStop(): void {
    if (!this.#reading) return;
    this.#reading = false;
    this.#socket.pause();
  }

  write(chunks: Uint8Array[], done: (err?: Error | null) => void): void {
    const s = this.#socket;
    const last = chunks.length - 1;
    if (last === 0) {
      s.write(chunks[0], done);
      return;
    }
    s.cork();
    for (let i = 0; i < last; i++) s.write(chunks[i]);
    s.write(chunks[last], done);
    s.uncork();
  }

  shutdown(done: (err?: Error | null) => void): void {
    this.#socket.end(done);
  }

  close(): void {
    this.#socket.destroy();
  }

  reset(): void {
    const s = this.#socket;
    if (s.destroyed) return;
    if (typeof s.resetAndDestroy === "function" && !s.connecting) s.resetAndDestroy();
    else s.destroy();
  }

  setNoDelay(enable: boolean): void {
    this.#socket.setNoDelay(enable);
  }

  setKeepAlive(enable: boolean, initialDelayMs: number): void {
    this.#socket.setKeepAlive(enable, initialDelayMs);
  }

  ref(): void {
    this.#socket.ref();
  }

  unref(): void {
    this.#socket.unref();
  }

  localAddress(): RawAddress | undefined {
    const a = this.#socket.address();
    if (a && typeof a === "object" && "port" in a) {
      return { address: a.address, family: a.family as "IPv4" | "IPv6", port: a.port };
    }
    return undefined;
  }

  remoteAddress(): RawAddress | undefined {
    const s = this.#socket;
    if (s.remoteAddress === undefined) return undefined;
    return { address: s.remoteAddress, family: s.remoteFamily as "IPv4" | "IPv6", port: s.remotePort! };
  }
}
