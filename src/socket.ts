/**
 * `Socket`: a `node:stream` Duplex over one RawConn, with Node's event order, timers,
 * backpressure and half-close rules. Connecting lives in `socket_connect.ts` and
 * `happy_eyeballs.ts`, addresses and options in `socket_base.ts`.
 *
 * @module
 */
import { setImmediate } from "node:timers";
import type { ConnectOptions, ConnSink, RawConn } from "./types.ts";
import { kAdapter, kConn, kConnectTo, kRawConn, kServerHooks } from "./_symbols.ts";
import { ERR_SOCKET_CLOSED, ERR_SOCKET_CLOSED_BEFORE_CONNECTION, withEndpoint } from "./errors.ts";
import { asBuffer, byteLengthOf, destroyOnAbort, toBytes, writeAfterFIN } from "./_socket_util.ts";
import { IdleTimer, validateTimeoutCallback } from "./_idle_timer.ts";
import { connectSocket, type SocketConnectOpts } from "./socket_connect.ts";
import type { AttemptHooks } from "./happy_eyeballs.ts";
import { SocketBase, type SocketConstructorOpts } from "./socket_base.ts";

export type { ServerHooks, SocketConstructorOpts } from "./socket_base.ts";

type Callback = (err?: Error | null) => void;

/**
 * A TCP or IPC socket, as Node's `net.Socket`: a Duplex stream with `'connect'`,
 * `'ready'`, `'data'`, `'end'`, `'timeout'`, `'error'` and `'close'` events.
 *
 * @example
 * ```ts
 * import { Socket } from "@omninet/net";
 * const socket = new Socket();
 * socket.connect(8080, "127.0.0.1", () => socket.end("hello"));
 * ```
 */
export class Socket extends SocketBase {
  #handleClosed = false;
  #closeWanted = false;
  #hadError = false;
  #reset = false;
  #bytesRead = 0;
  #bytesDispatched = 0;
  #pendingData: Uint8Array[] | null = null;
  #hasHandle = false;
  #idle = new IdleTimer(() => this.emit("timeout"));

  constructor(options: SocketConstructorOpts = {}) {
    super(options);
    this.on("end", onReadableStreamEnd);
    const conn = options[kRawConn];
    if (conn) {
      this[kConn] = conn;
      this.#hasHandle = true;
      conn.attach(this.#sink(conn, null));
      this.applyOptions(conn);
      if (options.pauseOnCreate) {
        // deno-lint-ignore no-explicit-any
        (this as any)._readableState.flowing = false;
      } else {
        this.read(0);
      }
    }
    if (options.signal) destroyOnAbort(this, options.signal, () => this.aborted = true);
  }

  /** Connect to a server: `(port[, host][, cb])`, `(path[, cb])` or `(options[, cb])`. */
  connect(options: SocketConnectOpts, connectListener?: () => void): this;
  connect(port: number, host?: string, connectListener?: () => void): this;
  connect(port: number, connectListener?: () => void): this;
  connect(path: string, connectListener?: () => void): this;
  connect(...args: unknown[]): this {
    connectSocket(this, args);
    return this;
  }

  /** @internal Prepare for a (re)connect: undo a previous destroy. */
  resetForConnect(): void {
    this.#hasHandle = true;
    if (this.write !== Socket.prototype.write) this.write = Socket.prototype.write;
    if (this.destroyed) {
      this[kConn] = null;
      this.#handleClosed = false;
      this.#closeWanted = false;
      this.forgetAddresses();
      // deno-lint-ignore no-explicit-any
      (this as any)._undestroy();
    }
    this.#idle.refresh();
  }

  /**
   * @internal Open a RawConn to a resolved target; the socket must be connecting. With
   * `attempt` (Happy Eyeballs) a failure goes to the attempt's owner instead of
   * destroying the socket.
   */
  [kConnectTo](target: ConnectOptions, attempt?: AttemptHooks): RawConn {
    let conn: RawConn | null = null;
    conn = this[kAdapter].connect(target, this.#sink(() => conn!, { target, attempt }));
    this[kConn] = conn;
    return conn;
  }

  /**
   * @internal Happy Eyeballs gave up on an attempt: close it without closing the socket
   * (the next attempt replaces it; after the last one the socket closes with it).
   */
  abandonAttempt(conn: RawConn): void {
    conn.close();
  }

  #sink(
    connOf: RawConn | (() => RawConn),
    connecting: { target: ConnectOptions; attempt?: AttemptHooks } | null,
  ): ConnSink {
    const current = typeof connOf === "function" ? connOf : () => connOf;
    let connected = connecting === null;
    return {
      onConnect: () => {
        const conn = current();
        connected = true;
        if (this.destroyed || conn !== this[kConn]) return;
        if (connecting?.attempt && !connecting.attempt.onConnect(conn)) {
          this.abandonAttempt(conn);
          return;
        }
        this.#afterConnect(conn);
      },
      onData: (chunk) => this.#onData(chunk),
      onEnd: () => this.#onEnd(),
      onError: (error) => {
        const conn = current();
        if (conn !== this[kConn]) return;
        if (connected || !connecting) {
          if (!this.destroyed) this.destroy(error);
          return;
        }
        const { target, attempt } = connecting;
        const err = "path" in target ? withEndpoint(error, target.path) : withEndpoint(error, target.host, target.port);
        if (attempt) {
          this.abandonAttempt(conn);
          attempt.onFail(err);
          return;
        }
        if (!("path" in target)) this.emit("connectionAttemptFailed", target.host, target.port, target.family, err);
        if (!this.destroyed) this.destroy(err);
      },
      onClose: () => {
        if (current() === this[kConn]) this.#onHandleClose();
      },
    };
  }

  #afterConnect(conn: RawConn): void {
    this.connecting = false;
    this.forgetAddresses();
    this.#idle.refresh();
    this.applyOptions(conn);
    this.emit("connect");
    this.emit("ready");
    if (!this.isPaused()) this.read(0);
  }

  #onData(chunk: Uint8Array): void {
    this.#bytesRead += chunk.byteLength;
    this.#idle.refresh();
    const keepReading = this.onread ? this.onread.deliver(this, chunk) : this.push(asBuffer(chunk));
    if (!keepReading) this[kConn]?.readStop();
  }

  #onEnd(): void {
    this.push(null);
    this.read(0);
  }

  #onHandleClose(): void {
    this.#handleClosed = true;
    if (!this.destroyed) this.destroy();
    if (this.#closeWanted) {
      this.#closeWanted = false;
      setImmediate(() => this.emit("close", this.#hadError));
    }
  }

  /** @internal */
  override _read(size: number): void {
    const conn = this[kConn];
    if (this.connecting || !conn) {
      this.once("connect", () => this._read(size));
      return;
    }
    if (this.onread && !this.onread.flush(this)) return;
    conn.readStart();
  }

  /** @internal */
  override _write(chunk: unknown, encoding: BufferEncoding, cb: Callback): void {
    this.#writeGeneric([toBytes(chunk, encoding)], cb);
  }

  /** @internal */
  override _writev(chunks: { chunk: unknown; encoding: BufferEncoding }[], cb: Callback): void {
    this.#writeGeneric(chunks.map((c) => toBytes(c.chunk, c.encoding)), cb);
  }

  #writeGeneric(chunks: Uint8Array[], cb: Callback): void {
    if (this.connecting) {
      this.#pendingData = chunks;
      const onClose = () => cb(ERR_SOCKET_CLOSED_BEFORE_CONNECTION());
      this.once("connect", () => {
        this.off("close", onClose);
        this.#writeGeneric(chunks, cb);
      });
      this.once("close", onClose);
      return;
    }
    this.#pendingData = null;
    const conn = this[kConn];
    if (!conn || this.#handleClosed) {
      cb(ERR_SOCKET_CLOSED());
      return;
    }
    this.#idle.refresh();
    for (const c of chunks) this.#bytesDispatched += c.byteLength;
    conn.write(chunks, (err) => {
      if (err) {
        cb(err);
        return;
      }
      this.#idle.refresh();
      cb();
    });
  }

  /** @internal */
  override _final(cb: Callback): void {
    if (this.pending) {
      this.once("connect", () => this._final(cb));
      return;
    }
    if (!this[kConn] || this.#handleClosed) {
      cb();
      return;
    }
    this[kConn].shutdown((err) => {
      if (err && (err as { code?: string }).code !== "ENOTCONN") cb(err);
      else cb();
    });
  }

  /** @internal */
  override _destroy(err: Error | null, cb: Callback): void {
    this.connecting = false;
    this.#idle.clear();
    const conn = this[kConn];
    if (conn) {
      this.#hadError = Boolean(err);
      if (this.#handleClosed) {
        setImmediate(() => this.emit("close", this.#hadError));
      } else {
        this.#closeWanted = true;
        if (this.#reset) {
          this.#reset = false;
          conn.reset();
        } else {
          conn.close();
        }
      }
      cb(err);
    } else {
      cb(err);
      // Node creates the handle in connect(): a socket that tried to connect reports
      // hadError; one that never did emits a bare 'close'.
      if (this.#hasHandle) setImmediate(() => this.emit("close", Boolean(err)));
      else setImmediate(() => this.emit("close"));
    }
    const hooks = this[kServerHooks];
    if (hooks) {
      this[kServerHooks] = null;
      hooks.onDestroy(this);
    }
  }

  /** Half-close now if writable, then destroy once the write side finished. */
  destroySoon(): void {
    if (this.writable) this.end();
    if (this.writableFinished) this.destroy();
    else this.once("finish", () => this.destroy());
  }

  /** Close the connection with RST, so the peer sees ECONNRESET. */
  resetAndDestroy(): this {
    if (this[kConn]) {
      if (this.connecting) this.once("connect", () => this.#resetNow());
      else this.#resetNow();
    } else {
      this.destroy(ERR_SOCKET_CLOSED());
    }
    return this;
  }

  #resetNow(): void {
    this.#reset = true;
    this.destroy();
  }

  /**
   * Emit `'timeout'` after `ms` of inactivity (0 disables it). The timer never keeps the
   * process alive and does not close the socket.
   */
  setTimeout(ms: number, callback?: () => void): this {
    this.#idle.set(ms);
    validateTimeoutCallback(callback);
    if (callback !== undefined) {
      if (ms === 0) this.removeListener("timeout", callback);
      else this.once("timeout", callback);
    }
    return this;
  }

  /** The idle timeout set by `setTimeout`, or undefined. */
  get timeout(): number | undefined {
    return this.#idle.ms;
  }

  /** Bytes received so far. */
  get bytesRead(): number {
    return this.#bytesRead;
  }

  /** Bytes sent so far, counting those still queued (as Node does). */
  get bytesWritten(): number | undefined {
    let bytes = this.#bytesDispatched;
    // deno-lint-ignore no-explicit-any
    const buffered = (this as any).writableBuffer as { chunk: unknown; encoding: BufferEncoding }[] | undefined;
    if (!buffered) return undefined;
    for (const el of buffered) bytes += byteLengthOf(el.chunk, el.encoding);
    if (this.#pendingData) { for (const c of this.#pendingData) bytes += c.byteLength; }
    return bytes;
  }
}

function onReadableStreamEnd(this: Socket): void {
  if (!this.allowHalfOpen) this.write = writeAfterFIN;
}
