// The floor: a raw socket API plus exactly ONE node:stream Duplex per connection doing the
// least of a net.Socket's job (push each read chunk, _write calls the raw write and its
// callback, _final the raw half-close, _destroy the raw close), shaped as the part of
// `node:net` the workloads use (_impl_net.ts's NetLike), so the very same workload code runs
// over it. No error mapping, no timers, no address caching, no write queue of its own:
// what any Duplex-based net implementation pays at least on the runtime's node:stream.
// The raw layers are in _impl_floor_deno.ts, _impl_floor_bun.ts and _impl_floor_uv.ts.
import { EventEmitter } from "node:events";
import { Duplex } from "node:stream";
import { setImmediate } from "node:timers";
import type { NetLike, ServerLike, SocketLike } from "./_impl_net.ts";

/** Where a raw connection hands what it reads (the Duplex). */
export interface Sink {
  onData(chunk: Uint8Array): void;
  /** The peer's FIN. */
  onEnd(): void;
  onError(err: Error): void;
  /** The raw connection closed by itself (not through close()). */
  onClose(): void;
}

/** The least a raw connection gives the Duplex. */
export interface RawConn {
  /** Deliver reads to the sink until readStop (idempotent). */
  readStart(): void;
  readStop(): void;
  /** Write all of `chunk`; `cb` once the raw API took it all (or failed). */
  write(chunk: Uint8Array, cb: (err?: Error | null) => void): void;
  /** Half-close (FIN); `cb` when done. */
  shutdown(cb: (err?: Error | null) => void): void;
  close(cb: () => void): void;
  setNoDelay(on: boolean): void;
}

/** One raw API: connect and listen, each connection bound to a sink. */
export interface Backend {
  connect(host: string, port: number, sink: Sink, done: (conn: RawConn | null, err?: Error) => void): void;
  listen(
    host: string,
    port: number,
    onAccept: (bind: (sink: Sink) => RawConn) => void,
  ): Promise<{ port: number; close(): void }>;
}

type WriteCb = (err?: Error | null) => void;

/** The one Duplex per connection. */
export class FloorSocket extends Duplex implements Sink, SocketLike {
  conn: RawConn | null = null;
  #wantRead = false;
  #noDelay = false;

  constructor(allowHalfOpen: boolean) {
    super({ allowHalfOpen });
  }

  /** Bind the raw connection (at accept, or when connect completes). */
  attach(conn: RawConn): void {
    this.conn = conn;
    if (this.#noDelay) conn.setNoDelay(true);
    if (this.#wantRead) conn.readStart();
  }

  override _read(): void {
    if (this.conn) this.conn.readStart();
    else this.#wantRead = true;
  }

  override _write(chunk: Uint8Array, _enc: string, cb: WriteCb): void {
    if (this.conn) this.conn.write(chunk, cb);
    else this.once("connect", () => this.conn!.write(chunk, cb));
  }

  override _final(cb: WriteCb): void {
    if (this.conn) this.conn.shutdown(cb);
    else this.once("connect", () => this.conn!.shutdown(cb));
  }

  override _destroy(err: Error | null, cb: (err: Error | null) => void): void {
    const conn = this.conn;
    this.conn = null;
    if (conn) conn.close(() => cb(err));
    else cb(err);
  }

  setNoDelay(on = true): this {
    this.#noDelay = on;
    this.conn?.setNoDelay(on);
    return this;
  }

  onData(chunk: Uint8Array): void {
    if (!this.push(chunk)) this.conn?.readStop();
  }

  onEnd(): void {
    this.push(null);
  }

  onError(err: Error): void {
    this.destroy(err);
  }

  onClose(): void {
    if (!this.destroyed) this.destroy();
  }
}

class FloorServer extends EventEmitter implements ServerLike {
  #handle: { port: number; close(): void } | null = null;
  readonly backend: Backend;
  readonly allowHalfOpen: boolean;
  readonly onSocket: (s: SocketLike) => void;
  constructor(backend: Backend, allowHalfOpen: boolean, onSocket: (s: SocketLike) => void) {
    super();
    this.backend = backend;
    this.allowHalfOpen = allowHalfOpen;
    this.onSocket = onSocket;
  }

  listen(a: number | { port: number; host: string }, b: string | (() => void), c?: () => void): this {
    const [port, host, cb] = typeof a === "number" ? [a, b as string, c!] : [a.port, a.host, b as () => void];
    this.backend.listen(host, port, (bind) => {
      const s = new FloorSocket(this.allowHalfOpen);
      s.attach(bind(s));
      this.onSocket(s);
    }).then((h) => {
      this.#handle = h;
      cb();
    }, (err) => this.emit("error", err));
    return this;
  }

  address(): { port: number } {
    return { port: this.#handle!.port };
  }

  close(cb?: (err?: Error) => void): this {
    this.#handle?.close();
    queueMicrotask(() => cb?.());
    return this;
  }
}

/** A `node:net`-shaped module over `backend`, one FloorSocket per connection. */
export function floorNet(backend: Backend): NetLike {
  return {
    createServer: (options, listener) => new FloorServer(backend, options.allowHalfOpen ?? false, listener),
    connect: ({ port, host }) => {
      const s = new FloorSocket(false);
      backend.connect(host, port, s, (conn, err) => {
        if (!conn) return s.destroy(err);
        s.attach(conn);
        s.emit("connect");
      });
      return s;
    },
  };
}

/** The Duplex's own cost per connection, no I/O: wall and CPU nanoseconds of each step. */
export interface MicroResult {
  /** `new Duplex(...)` alone (kept alive until the batch ends). */
  construct: number;
  constructCpu: number;
  /** Construct, end(), destroy(), and the ticks they queue. */
  bare: number;
  bareCpu: number;
  /** Construct, one write, one push, the peer's end (push(null)), end(), wait 'close'. */
  life: number;
  lifeCpu: number;
}

const BATCH = 500;
const tick = () => new Promise<void>((r) => setImmediate(r));

/** `n` (a multiple of 500) of each of MicroResult's steps, in batches so the ticks run within. */
export async function duplexMicro(n: number, cpu: () => number): Promise<MicroResult> {
  const chunk = new Uint8Array(64);
  const mk = () =>
    new Duplex({
      allowHalfOpen: false,
      read() {},
      write(_c, _e, cb) {
        cb();
      },
      final(cb) {
        cb();
      },
      destroy(err, cb) {
        cb(err);
      },
    });
  const time = async (step: () => Promise<void>) => {
    await tick();
    const c0 = cpu();
    const t0 = performance.now();
    for (let i = 0; i < n; i += BATCH) await step();
    return [(performance.now() - t0) * 1e6 / n, (cpu() - c0) * 1000 / n];
  };
  const kept: Duplex[] = [];
  const [construct, constructCpu] = await time(() => {
    for (let j = 0; j < BATCH; j++) kept.push(mk());
    kept.length = 0;
    return Promise.resolve();
  });
  const [bare, bareCpu] = await time(() => {
    for (let j = 0; j < BATCH; j++) {
      const d = mk();
      d.end();
      d.destroy();
    }
    return tick();
  });
  const one = () =>
    new Promise<void>((resolve) => {
      const d = mk();
      d.on("data", () => {});
      d.on("close", resolve);
      d.write(chunk);
      d.push(chunk);
      d.push(null);
      d.end();
    });
  // 8 at a time, as the churn workload holds 8 connections.
  const [life, lifeCpu] = await time(async () => {
    for (let j = 0; j < BATCH; j += 8) await Promise.all([one(), one(), one(), one(), one(), one(), one(), one()]);
  });
  return { construct, constructCpu, bare, bareCpu, life, lifeCpu };
}
