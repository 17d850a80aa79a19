/**
 * `Socket`: a `node:stream` Duplex over one RawConn, with Node's event order, timers,
 * backpressure and half-close rules. Connecting lives in `socket_connect.ts`.
 *
 * @module
 */
import { Duplex, type DuplexOptions } from "node:stream";
import { Buffer } from "node:buffer";
import { clearTimeout, setImmediate, setTimeout } from "node:timers";
import type { ConnectOptions, ConnSink, InetAddress, RawConn, RuntimeAdapter } from "./types.ts";
import { kAdapter, kConnectTo, kHost, kRawConn, kServerHooks } from "./_symbols.ts";
import { ERR_FEATURE_UNAVAILABLE_ON_PLATFORM, ERR_SOCKET_CLOSED, ERR_SOCKET_CLOSED_BEFORE_CONNECTION } from "./errors.ts";
import { epipeAfterEnd, withEndpoint } from "./errors.ts";
import { validateFunction, validateNumber } from "./validators.ts";
import { connectSocket, type SocketConnectOpts } from "./socket_connect.ts";

/** Options for `new Socket()`. */
export interface SocketConstructorOpts {
  /** Keep the writable side open after the peer ends. @default false */
  allowHalfOpen?: boolean;
  /** Turn Nagle's algorithm off once connected. @default false */
  noDelay?: boolean;
  /** Enable TCP keep-alive once connected. @default false */
  keepAlive?: boolean;
  /** Keep-alive initial delay in milliseconds. @default 0 */
  keepAliveInitialDelay?: number;
  /** Buffer size of both sides. @default 16384 (Node's stream default) */
  highWaterMark?: number;
  /** Read-side buffer size. */
  readableHighWaterMark?: number;
  /** Write-side buffer size. */
  writableHighWaterMark?: number;
  /** Abort (destroy) the socket when this signal aborts. */
  signal?: AbortSignal;
  /** Not available on this runtime layer: passing it throws. */
  fd?: number;
  /** @internal An accepted connection (used by Server). */
  [kRawConn]?: RawConn;
  /** @internal Accepted connection starts paused (Server's pauseOnConnect). */
  pauseOnCreate?: boolean;
}

/** Hooks a Server keeps on the sockets it accepted. */
export interface ServerHooks {
  onDestroy(socket: Socket): void;
}

type Callback = (err?: Error | null) => void;
type ReadyState = "opening" | "open" | "readOnly" | "writeOnly" | "closed";

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
export class Socket extends Duplex {
  declare [kAdapter]: RuntimeAdapter;
  /** True from `connect()` until `'connect'` or failure. */
  connecting = false;
  /** @internal Set by a Server on accepted sockets. */
  [kServerHooks]: ServerHooks | null = null;
  /** @internal The host name being connected to. */
  [kHost]: string | null = null;

  #conn: RawConn | null = null;
  #handleClosed = false;
  #closeWanted = false;
  #hadError = false;
  #reset = false;
  #bytesRead = 0;
  #bytesDispatched = 0;
  #pendingData: unknown[] | null = null;
  #peername: InetAddress | Record<string, never> | null = null;
  #sockname: InetAddress | Record<string, never> | null = null;
  #timer: ReturnType<typeof setTimeout> | null = null;
  #timeoutMs: number | undefined = undefined;
  #noDelay: boolean;
  #keepAlive: boolean;
  #keepAliveDelay: number;
  #refed = true;

  constructor(options: SocketConstructorOpts = {}) {
    if (options.fd !== undefined) {
      throw ERR_FEATURE_UNAVAILABLE_ON_PLATFORM("options.fd", new.target.prototype[kAdapter]?.name ?? "this runtime");
    }
    const duplexOptions: DuplexOptions = {
      ...options,
      allowHalfOpen: Boolean(options.allowHalfOpen),
      emitClose: false,
      autoDestroy: true,
      decodeStrings: false,
    };
    delete (duplexOptions as SocketConstructorOpts).signal;
    super(duplexOptions);
    this.#noDelay = Boolean(options.noDelay);
    this.#keepAlive = Boolean(options.keepAlive);
    this.#keepAliveDelay = ~~((options.keepAliveInitialDelay ?? 0) / 1000);
    this.on("end", onReadableStreamEnd);
    const conn = options[kRawConn];
    if (conn) {
      this.#adopt(conn);
      this.#applyOptions();
      if (options.pauseOnCreate) {
        // deno-lint-ignore no-explicit-any
        (this as any)._readableState.flowing = false;
      } else {
        this.read(0);
      }
    }
    if (options.signal) addAbortSignal(this, options.signal);
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
    if (this.write !== Socket.prototype.write) this.write = Socket.prototype.write;
    if (this.destroyed) {
      this.#conn = null;
      this.#handleClosed = false;
      this.#closeWanted = false;
      this.#peername = null;
      this.#sockname = null;
      // deno-lint-ignore no-explicit-any
      (this as any)._undestroy();
    }
  }

  /** @internal Open a RawConn to a resolved target; the socket must be connecting. */
  [kConnectTo](target: ConnectOptions): void {
    const adapter = this[kAdapter];
    const host = "path" in target ? target.path : target.host;
    const port = "path" in target ? undefined : target.port;
    let conn: RawConn | null = null;
    const sink: ConnSink = {
      onConnect: () => this.#afterConnect(conn!),
      onData: (chunk) => this.#onData(chunk),
      onEnd: () => this.#onEnd(),
      onError: (err) => this.#onError(withEndpoint(err, host, port)),
      onClose: () => this.#onHandleClose(),
    };
    conn = adapter.connect(target, sink);
    this.#conn = conn;
  }

  #adopt(conn: RawConn): void {
    this.#conn = conn;
    conn.attach({
      onConnect: () => {},
      onData: (chunk) => this.#onData(chunk),
      onEnd: () => this.#onEnd(),
      onError: (err) => this.#onError(err),
      onClose: () => this.#onHandleClose(),
    });
  }

  #applyOptions(): void {
    const conn = this.#conn!;
    if (this.#noDelay) conn.setNoDelay(true);
    if (this.#keepAlive) conn.setKeepAlive(true, this.#keepAliveDelay * 1000);
    if (!this.#refed) conn.unref();
  }

  #afterConnect(conn: RawConn): void {
    if (this.destroyed || conn !== this.#conn) return;
    this.connecting = false;
    this.#sockname = null;
    this.#refreshTimer();
    this.#applyOptions();
    this.emit("connect");
    this.emit("ready");
    if (!this.isPaused()) this.read(0);
  }

  #onData(chunk: Uint8Array): void {
    this.#bytesRead += chunk.byteLength;
    this.#refreshTimer();
    const buf = chunk instanceof Buffer ? chunk : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    if (!this.push(buf)) this.#conn?.readStop();
  }

  #onEnd(): void {
    this.push(null);
    this.read(0);
  }

  #onError(err: Error): void {
    if (this.destroyed) return;
    this.destroy(err);
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
  override _read(_size: number): void {
    if (this.connecting || !this.#conn) {
      this.once("connect", () => this._read(_size));
      return;
    }
    this.#conn.readStart();
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
        this.#pendingData = null;
        this.#writeGeneric(chunks, cb);
      });
      this.once("close", onClose);
      return;
    }
    this.#pendingData = null;
    const conn = this.#conn;
    if (!conn || this.#handleClosed) {
      cb(ERR_SOCKET_CLOSED());
      return;
    }
    this.#refreshTimer();
    for (const c of chunks) this.#bytesDispatched += c.byteLength;
    conn.write(chunks, (err) => {
      if (err) {
        cb(err);
        return;
      }
      this.#refreshTimer();
      cb();
    });
  }

  /** @internal */
  override _final(cb: Callback): void {
    if (this.pending) {
      this.once("connect", () => this._final(cb));
      return;
    }
    if (!this.#conn || this.#handleClosed) {
      cb();
      return;
    }
    this.#conn.shutdown((err) => {
      if (err && (err as { code?: string }).code !== "ENOTCONN") cb(err);
      else cb();
    });
  }

  /** @internal */
  override _destroy(err: Error | null, cb: Callback): void {
    this.connecting = false;
    this.#clearTimer();
    const conn = this.#conn;
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
      queueMicrotask(() => this.emit("close"));
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
    if (this.#conn) {
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
    validateNumber(ms, "msecs", 0);
    const msecs = ms > 2147483647 ? 2147483647 : ms;
    this.#clearTimer();
    if (msecs === 0) {
      this.#timeoutMs = undefined;
      if (callback !== undefined) {
        validateFunction(callback, "callback");
        this.removeListener("timeout", callback);
      }
      return this;
    }
    this.#timeoutMs = msecs;
    this.#timer = setTimeout(() => this.#onTimeout(), msecs);
    this.#timer.unref?.();
    if (callback !== undefined) {
      validateFunction(callback, "callback");
      this.once("timeout", callback);
    }
    return this;
  }

  #onTimeout(): void {
    this.emit("timeout");
  }

  #refreshTimer(): void {
    this.#timer?.refresh();
  }

  #clearTimer(): void {
    if (this.#timer) {
      clearTimeout(this.#timer);
      this.#timer = null;
    }
  }

  /** The idle timeout set by `setTimeout`, or undefined. */
  get timeout(): number | undefined {
    return this.#timeoutMs;
  }

  /** Turn Nagle's algorithm off (`true`, the default) or on. */
  setNoDelay(enable?: boolean): this {
    const on = enable === undefined ? true : Boolean(enable);
    if (!this.#conn || this.connecting) {
      this.#noDelay = on;
      return this;
    }
    if (on !== this.#noDelay) {
      this.#noDelay = on;
      this.#conn.setNoDelay(on);
    }
    return this;
  }

  /** Enable or disable TCP keep-alive, with the initial delay in milliseconds. */
  setKeepAlive(enable?: boolean, initialDelay?: number): this {
    const on = Boolean(enable);
    const delay = ~~((initialDelay ?? 0) / 1000);
    if (!this.#conn || this.connecting) {
      this.#keepAlive = on;
      this.#keepAliveDelay = delay;
      return this;
    }
    if (on !== this.#keepAlive || (on && delay !== this.#keepAliveDelay)) {
      this.#keepAlive = on;
      this.#keepAliveDelay = delay;
      this.#conn.setKeepAlive(on, delay * 1000);
    }
    return this;
  }

  /** Let this socket keep the process alive (the default). */
  ref(): this {
    this.#refed = true;
    if (this.#conn && !this.connecting) this.#conn.ref();
    else this.#conn?.ref();
    return this;
  }

  /** Let the process exit even while this socket is open. */
  unref(): this {
    this.#refed = false;
    this.#conn?.unref();
    return this;
  }

  /** Our end's address: `{ address, family, port }`, or `{}` before connecting. */
  address(): InetAddress | Record<string, never> {
    if (!this.#sockname) {
      if (!this.#conn || this.connecting) return {};
      const a = this.#conn.localAddress();
      if (!a || !("port" in a)) return {};
      this.#sockname = { address: a.address, family: a.family, port: a.port };
    }
    return this.#sockname;
  }

  #peer(): InetAddress | Record<string, never> {
    if (!this.#peername) {
      if (!this.#conn || this.connecting) return {};
      const a = this.#conn.remoteAddress();
      if (!a || !("port" in a)) return {};
      this.#peername = { address: a.address, family: a.family, port: a.port };
    }
    return this.#peername;
  }

  /** The peer's IP address. */
  get remoteAddress(): string | undefined {
    return this.#peer().address;
  }
  /** The peer's address family, `"IPv4"` or `"IPv6"`. */
  get remoteFamily(): string | undefined {
    return this.#peer().family;
  }
  /** The peer's port. */
  get remotePort(): number | undefined {
    return this.#peer().port;
  }
  /** Our IP address. */
  get localAddress(): string | undefined {
    return this.address().address;
  }
  /** Our port. */
  get localPort(): number | undefined {
    return this.address().port;
  }
  /** Our address family. */
  get localFamily(): string | undefined {
    return this.address().family;
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
    if (this.#pendingData) for (const c of this.#pendingData as Uint8Array[]) bytes += c.byteLength;
    return bytes;
  }

  /** True until connected (no handle yet, or still connecting). */
  get pending(): boolean {
    return !this.#conn || this.connecting;
  }

  /** `'opening'`, `'open'`, `'readOnly'`, `'writeOnly'` or `'closed'`. */
  get readyState(): ReadyState {
    if (this.connecting) return "opening";
    if (this.readable && this.writable) return "open";
    if (this.readable && !this.writable) return "readOnly";
    if (!this.readable && this.writable) return "writeOnly";
    return "closed";
  }
}

function onReadableStreamEnd(this: Socket): void {
  if (!this.allowHalfOpen) this.write = writeAfterFIN;
}

function writeAfterFIN(this: Socket, chunk: unknown, encoding?: unknown, cb?: unknown): boolean {
  if (!this.writableEnded) return Socket.prototype.write.call(this, chunk, encoding as BufferEncoding, cb as Callback);
  const callback = typeof encoding === "function" ? encoding : cb;
  const er = epipeAfterEnd();
  queueMicrotask(() => this.destroy(er));
  if (typeof callback === "function") queueMicrotask(() => (callback as Callback)(er));
  return false;
}

function addAbortSignal(socket: Socket, signal: AbortSignal): void {
  const onAbort = () => socket.destroy(abortErrorFor(signal));
  if (signal.aborted) queueMicrotask(onAbort);
  else {
    signal.addEventListener("abort", onAbort, { once: true });
    socket.once("close", () => signal.removeEventListener("abort", onAbort));
  }
}

function abortErrorFor(signal: AbortSignal): Error {
  const err = new Error("The operation was aborted", { cause: signal.reason });
  err.name = "AbortError";
  Object.defineProperty(err, "code", { value: "ABORT_ERR", enumerable: true, writable: true, configurable: true });
  return err;
}

function toBytes(chunk: unknown, encoding: BufferEncoding): Uint8Array {
  if (typeof chunk === "string") return Buffer.from(chunk, encoding);
  return chunk as Uint8Array;
}

function byteLengthOf(chunk: unknown, encoding: BufferEncoding): number {
  if (typeof chunk === "string") return Buffer.byteLength(chunk, encoding);
  return (chunk as Uint8Array).byteLength;
}

