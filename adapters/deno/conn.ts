// A Deno.TcpConn / Deno.UnixConn seen through the RawConn contract. Deno's reads are
// pull-based: a read loop runs only between readStart and readStop, one read of at most
// 64 KiB in flight. Writes go through one queue that loops over partial writes.
import { ERR_FEATURE_UNAVAILABLE_ON_PLATFORM } from "../../src/errors.ts";
import type { ConnectOptions, ConnSink, RawAddress, RawConn } from "../../src/types.ts";
import { denoApi, type DenoConn } from "./_deno_api.ts";
import { deliver, rethrow, toRawAddress } from "./_util.ts";
import { canceledError, fromDenoError } from "./errors.ts";
import { writeChunks } from "./_write.ts";

const READ_SIZE = 64 * 1024;

/** A queued write (`chunks`) or shutdown (`chunks === null`). */
interface WriteOp {
  chunks: Uint8Array[] | null;
  done: (err?: Error | null) => void;
}

/** Wraps one Deno connection, outgoing (connecting) or accepted. */
export class DenoRawConn implements RawConn {
  #conn: DenoConn | null;
  #sink: ConnSink | null = null;
  /** close() was called or the connection failed: nothing but onClose follows. */
  #closing = false;
  #closeSent = false;
  #reading = false;
  #resume: (() => void) | null = null;
  #readLoop: Promise<void> | null = null;
  #queue: WriteOp[] = [];
  #pump: Promise<void> | null = null;
  #pumping = false;
  #connecting: Promise<void> | null = null;
  #abort: AbortController | null = null;
  #refed = true;
  #noDelay: boolean | undefined;
  #keepAlive: boolean | undefined;
  #local: RawAddress | undefined;
  #remote: RawAddress | undefined;

  /** Wrap an accepted connection (`conn`) or prepare an outgoing one (`null`). */
  constructor(conn: DenoConn | null, sink?: ConnSink) {
    this.#conn = conn;
    if (sink) this.#sink = sink;
  }

  /** Start connecting; `onConnect`, or `onError` then `onClose`, follow asynchronously. */
  connect(options: ConnectOptions): void {
    let pending: Promise<DenoConn>;
    let endpoint: { address: string; port?: number };
    if ("path" in options) {
      endpoint = { address: options.path };
      pending = denoApi().connect({ transport: "unix", path: options.path });
    } else {
      endpoint = { address: options.host, port: options.port };
      if (options.localAddress !== undefined || options.localPort !== undefined) {
        const option = options.localAddress !== undefined ? "options.localAddress" : "options.localPort";
        pending = Promise.reject(ERR_FEATURE_UNAVAILABLE_ON_PLATFORM(option, "deno"));
      } else {
        this.#abort = new AbortController();
        pending = denoApi().connect({
          transport: "tcp",
          hostname: options.host,
          port: options.port,
          signal: this.#abort.signal,
          autoSelectFamily: false,
        });
      }
    }
    this.#connecting = pending.then(
      (conn) => this.#onConnected(conn),
      (err) => this.#onConnectFailed(err, endpoint),
    );
  }

  #onConnected(conn: DenoConn): void {
    this.#connecting = null;
    this.#abort = null;
    if (this.#closing) {
      conn.close();
      return;
    }
    this.#conn = conn;
    if (!this.#refed) conn.unref();
    if (this.#noDelay !== undefined) this.setNoDelay(this.#noDelay);
    if (this.#keepAlive !== undefined) this.setKeepAlive(this.#keepAlive, 0);
    // Work the core queued while connecting starts now; neither reaches the sink before
    // onConnect (both wait for Deno first).
    if (this.#queue.length > 0) this.#startPump(conn);
    if (this.#reading) this.#readLoop = this.#runReadLoop(conn);
    deliver(() => this.#sink!.onConnect());
  }

  #onConnectFailed(err: unknown, endpoint: { address: string; port?: number }): void {
    this.#connecting = null;
    this.#abort = null;
    if (this.#closing) return; // cancelled by close(): its onClose is on the way
    this.#fail(fromDenoError(err, "connect", endpoint));
  }

  attach(sink: ConnSink): void {
    this.#sink = sink;
  }

  readStart(): void {
    if (this.#reading || this.#closing) return;
    this.#reading = true;
    const resume = this.#resume;
    if (resume !== null) {
      this.#resume = null;
      resume();
    } else if (this.#readLoop === null && this.#conn !== null) {
      this.#readLoop = this.#runReadLoop(this.#conn);
    }
  }

  readStop(): void {
    this.#reading = false;
  }

  /** Resolves once readStart (or close) lets the read loop go on. */
  #paused(): Promise<void> {
    if (this.#closing) return Promise.resolve();
    return new Promise((resolve) => this.#resume = resolve);
  }

  async #runReadLoop(conn: DenoConn): Promise<void> {
    const buf = new Uint8Array(READ_SIZE);
    const sink = this.#sink!;
    for (;;) {
      if (!this.#reading) {
        await this.#paused();
        if (this.#closing) return;
      }
      let n: number | null;
      try {
        n = await conn.read(buf);
      } catch (err) {
        if (!this.#closing) this.#fail(fromDenoError(err, "read"));
        return;
      }
      if (this.#closing) return;
      if (n === null) {
        if (!this.#reading) await this.#paused();
        if (!this.#closing) deliver(() => sink.onEnd());
        return;
      }
      const chunk = buf.slice(0, n);
      if (!this.#reading) {
        // readStop came while the read was in flight: hold the chunk until resumed.
        await this.#paused();
        if (this.#closing) return;
      }
      try {
        sink.onData(chunk);
      } catch (err) {
        rethrow(err);
      }
    }
  }

  write(chunks: Uint8Array[], done: (err?: Error | null) => void): void {
    this.#enqueue({ chunks, done }, "write");
  }

  shutdown(done: (err?: Error | null) => void): void {
    this.#enqueue({ chunks: null, done }, "shutdown");
  }

  #enqueue(op: WriteOp, syscall: string): void {
    if (this.#closing) {
      queueMicrotask(() => op.done(canceledError(syscall)));
      return;
    }
    this.#queue.push(op);
    if (!this.#pumping && this.#conn !== null) this.#startPump(this.#conn);
  }

  #startPump(conn: DenoConn): void {
    this.#pumping = true;
    this.#pump = this.#runPump(conn);
  }

  async #runPump(conn: DenoConn): Promise<void> {
    const queue = this.#queue;
    try {
      // `done` is never called synchronously inside write(): yield once before the first.
      await undefined;
      while (queue.length > 0) {
        const op = queue.shift()!;
        const syscall = op.chunks === null ? "shutdown" : "write";
        if (this.#closing) {
          deliver(() => op.done(canceledError(syscall)));
          continue;
        }
        let error: Error | undefined;
        try {
          if (op.chunks === null) await conn.closeWrite();
          else await writeChunks(conn, op.chunks);
        } catch (err) {
          error = this.#closing ? canceledError(syscall) : fromDenoError(err, syscall);
        }
        deliver(() => op.done(error));
      }
    } finally {
      // Cleared in the same turn the queue was found empty, so a write() right after
      // the last done() starts a new pump.
      this.#pumping = false;
    }
  }

  close(): void {
    if (this.#closing) return;
    this.#closing = true;
    this.#reading = false;
    const conn = this.#conn;
    if (conn !== null) {
      try {
        conn.close();
      } catch {
        // already closed by Deno: nothing to release
      }
    } else {
      this.#abort?.abort();
    }
    this.#settleAndEmitClose();
  }

  /** A failure: onError, then close as Node's handles do; the core's close() is a no-op. */
  #fail(err: Error): void {
    if (this.#closing) return;
    deliver(() => this.#sink!.onError(err));
    this.close();
  }

  // onClose once the connect attempt, the read loop and the write queue have all settled,
  // so nothing of this connection runs after it.
  #settleAndEmitClose(): void {
    const resume = this.#resume;
    if (resume !== null) {
      this.#resume = null;
      resume();
    }
    Promise.all([this.#connecting, this.#readLoop, this.#pump]).then(() => {
      if (this.#closeSent) return;
      this.#closeSent = true;
      deliver(() => this.#sink?.onClose());
    });
  }

  reset(): void {
    // Deno has no SO_LINGER (nor any way to send RST): capabilities.reset is false.
    this.close();
  }

  setNoDelay(enable: boolean): void {
    const conn = this.#conn;
    if (conn === null) {
      this.#noDelay = enable;
      return;
    }
    if (this.#closing || conn.setNoDelay === undefined) return;
    try {
      conn.setNoDelay(enable);
    } catch {
      // as Node, a failed setsockopt is not reported
    }
  }

  setKeepAlive(enable: boolean, _initialDelayMs: number): void {
    // Deno cannot set the initial delay (TCP_KEEPIDLE): only SO_KEEPALIVE is set.
    const conn = this.#conn;
    if (conn === null) {
      this.#keepAlive = enable;
      return;
    }
    if (this.#closing || conn.setKeepAlive === undefined) return;
    try {
      conn.setKeepAlive(enable);
    } catch {
      // as Node, a failed setsockopt is not reported
    }
  }

  ref(): void {
    this.#refed = true;
    if (!this.#closing) this.#conn?.ref();
  }

  unref(): void {
    this.#refed = false;
    if (!this.#closing) this.#conn?.unref();
  }

  localAddress(): RawAddress | undefined {
    if (this.#local === undefined && this.#conn !== null) this.#local = toRawAddress(this.#conn.localAddr);
    return this.#local;
  }

  remoteAddress(): RawAddress | undefined {
    if (this.#remote === undefined && this.#conn !== null) this.#remote = toRawAddress(this.#conn.remoteAddr);
    return this.#remote;
  }
}
