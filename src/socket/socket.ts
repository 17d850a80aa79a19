/**
 * `Socket`: a `node:stream` Duplex over one RawConn, with Node's event order, timers,
 * backpressure and half-close rules. The class holds the public surface; its machinery is
 * plain functions taking the socket, as in Node's `stream_base_commons.js`: reading in
 * `_read.ts`, writing in `_write.ts`, options and addresses in `_options.ts`, opening a
 * RawConn in `_open.ts` (its `_sink.ts` forwards the adapter's calls), what an attempt
 * comes to in `_attempt.ts`, destroy and close in `_close.ts`, `connect()` itself in
 * `connect.ts`, `happy_eyeballs.ts` and `lookup.ts`. The state they share is one object
 * under `socket[kState]` (see `_types.ts`).
 *
 * @module
 */
import type { Buffer } from "node:buffer";
import type { EventEmitter } from "node:events";
import { Duplex } from "node:stream";
import type { InetAddress, RawConn, RuntimeAdapter } from "../contract.ts";
import { kAdapter, kConn, kPipe, kRawConn, kServerHooks, kState } from "../_symbols.ts";
import { ERR_FEATURE_UNAVAILABLE_ON_PLATFORM, ERR_INVALID_ARG_TYPE } from "../errors/errors.ts";
import { validateFunction, validateInt32 } from "../errors/validators.ts";
import { type BlockListLike, isBlockListLike } from "../address/blocklist.ts";
import type { AnyListener, SocketEventMap } from "../events.ts";
import { destroyOnAbort, toBytes, writeAfterFIN } from "./_util.ts";
import type { ServerHooks, SocketState } from "./_types.ts";
import {
  duplexOptions,
  initialState,
  localEndpoint,
  peerEndpoint,
  setKeepAlive,
  type SetKeepAliveOptions,
  setNoDelay,
  type SocketConstructorOpts,
  warnKeepAliveProbes,
} from "./_options.ts";
import { pauseUserBuffer, readBuffered, readsAsNode, readStart, resumeUserBuffer } from "./_read.ts";
import { bytesWritten, countsOnceSent, shutdown, writeChunk, writeGeneric } from "./_write.ts";
import { adopt } from "./_open.ts";
import { destroy, resetAndDestroy } from "./_close.ts";
import { connectSocket, type SocketConnectOpts } from "./connect.ts";
import { IdleTimer } from "./_idle_timer.ts";
import { defineLegacySocketMembers, hasHandle } from "./_legacy.ts";
import { defineStreamCorrections, endWritableAfterEnd } from "./_stream_corrections.ts";

export type { SocketConstructorOpts } from "./_options.ts";
export type { ServerHooks } from "./_types.ts";

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
 * socket.on("error", (err) => console.error(err.message));
 * ```
 */
export class Socket extends Duplex {
  /** @internal The RuntimeAdapter this class is bound to (on the prototype). */
  declare [kAdapter]: RuntimeAdapter;
  /** True from `connect()` until `'connect'` or failure. */
  connecting = false;
  /** The addresses Happy Eyeballs tried, as `"address:port"`. */
  // Typed as @types/node types it; undefined until a Happy Eyeballs connect starts.
  autoSelectFamilyAttemptedAddresses: string[] = undefined as unknown as string[];
  /** The BlockList given as `options.blockList`. */
  blockList: BlockListLike | undefined = undefined;
  /** The server that accepted this socket (null for client sockets), as Node's `socket.server`. */
  server: EventEmitter | null = null;
  /** Alias of `server` (Node keeps both). */
  _server: EventEmitter | null = null;
  /** @internal Node's legacy field: the host name of the last connect() that needed a lookup. */
  _host: string | null = null;
  /** @internal The current RawConn. */
  [kConn]: RawConn | null = null;
  /** @internal Set by a Server on the sockets it accepted. */
  [kServerHooks]: ServerHooks | null = null;
  /** @internal The state the socket's function modules share. */
  [kState]: SocketState;
  #timeout: number | undefined = undefined;
  /** `onread`'s stop count at the last resume() (see read()). */
  #stopsAtResume = 0;

  /** Create a socket; it connects with `connect()`. A number (a file descriptor) throws. */
  constructor(options: SocketConstructorOpts | number | null = {}) {
    // Read, never changed: duplexOptions makes the copy node:stream gets.
    const opts: SocketConstructorOpts = typeof options === "number" ? { fd: options } : options ?? {};
    const [streamOptions, keepAliveDelay] = duplexOptions(opts);
    super(streamOptions);
    if (opts.fd !== undefined) {
      // Node checks the descriptor (createHandle → guessHandleType) before anything else.
      validateInt32(opts.fd, "fd", 0);
      throw ERR_FEATURE_UNAVAILABLE_ON_PLATFORM("options.fd", new.target.prototype[kAdapter]?.name ?? "this runtime");
    }
    this[kState] = initialState(opts, keepAliveDelay);
    if (opts.blockList) {
      if (!isBlockListLike(opts.blockList)) {
        throw ERR_INVALID_ARG_TYPE("options.blockList", "net.BlockList", opts.blockList);
      }
      this.blockList = opts.blockList;
    }
    this.on("end", onReadableStreamEnd);
    const conn = opts[kRawConn];
    if (conn) adopt(this, conn, opts[kPipe], opts.pauseOnCreate);
    if (opts.signal) {
      const state = this[kState];
      destroyOnAbort(this, opts.signal, () => state.aborted = true);
      if (this.destroyed) {
        // The signal had aborted: node:stream destroyed the socket at once (its AbortError
        // and bare 'close' are queued), then Node's constructor un-destroys it as it sets the
        // socket up, so a connect() goes on connecting. Node's queue orders that attempt after
        // the 'close'; `abortClose` tells connect() to wait for it.
        state.abortClose = true;
        this.once("close", () => state.abortClose = false);
        // deno-lint-ignore no-explicit-any
        (this as any)._undestroy();
      }
    }
  }

  /**
   * Connect as `options` say: TCP (`port`, `host`, …) or a Unix socket (`path`).
   * `connectListener` is added as a `'connect'` listener.
   */
  connect(options: SocketConnectOpts, connectListener?: () => void): this;
  /** Connect over TCP to `port` on `host` (default `"localhost"`). */
  connect(port: number, host?: string, connectListener?: () => void): this;
  /** Connect over TCP to `port` on `"localhost"`. */
  connect(port: number, connectListener?: () => void): this;
  /** Connect to the Unix socket at `path`. */
  connect(path: string, connectListener?: () => void): this;
  connect(...args: unknown[]): this {
    connectSocket(this, args);
    return this;
  }

  /** Turn Nagle's algorithm off (`true`, the default) or on. */
  setNoDelay(enable?: boolean): this {
    setNoDelay(this, enable);
    return this;
  }

  /**
   * Enable or disable TCP keep-alive, with the initial delay in milliseconds. `interval`
   * and `count` (newer Node's probe spacing and number) are the system's: a value other
   * than Node's defaults (1000 ms, 10) warns once that it cannot be set here.
   */
  setKeepAlive(options: SetKeepAliveOptions): this;
  /** Enable or disable TCP keep-alive: the positional form of `setKeepAlive(options)`. */
  setKeepAlive(enable?: boolean, initialDelay?: number, interval?: number, count?: number): this;
  setKeepAlive(
    enable?: boolean | SetKeepAliveOptions,
    initialDelay?: number,
    interval?: number,
    count?: number,
  ): this {
    if (typeof enable === "object" && enable !== null) {
      ({ enable, initialDelay, interval, count } = enable);
    }
    if ((interval !== undefined && interval !== 1000) || (count !== undefined && count !== 10)) {
      warnKeepAliveProbes(this[kAdapter]);
    }
    setKeepAlive(this, enable as boolean | undefined, initialDelay);
    return this;
  }

  /**
   * Emit `'timeout'` after `msecs` of inactivity (0 disables it). The timer never keeps the
   * process alive and does not close the socket. Does nothing once destroyed.
   */
  setTimeout(msecs: number, callback?: () => void): this {
    if (this.destroyed) return this;
    this.#timeout = msecs;
    const state = this[kState];
    if (state.idle === IdleTimer.none) state.idle = new IdleTimer(this);
    state.idle.set(msecs);
    if (callback !== undefined) {
      validateFunction(callback, "callback");
      if (msecs === 0) this.removeListener("timeout", callback);
      else this.once("timeout", callback);
    }
    return this;
  }

  /** Restart the idle timer (Node's name for it). */
  _unrefTimer(): void {
    this[kState].idle.refresh();
  }

  /**
   * Set the IP Type of Service (Traffic Class on IPv6) of outgoing packets, 0–255. No
   * runtime's socket API here can set IP_TOS, so a valid value throws
   * `ERR_FEATURE_UNAVAILABLE_ON_PLATFORM` (an invalid one Node's argument error first).
   */
  setTypeOfService(tos: number): this {
    validateInt32(tos, "tos", 0, 255);
    throw ERR_FEATURE_UNAVAILABLE_ON_PLATFORM("socket.setTypeOfService()", this[kAdapter].name);
  }

  /** The IP Type of Service of outgoing packets: the system default, 0 (it cannot be changed here). */
  getTypeOfService(): number {
    return 0;
  }

  /** Let this socket keep the process alive (the default). */
  ref(): this {
    this[kState].refed = true;
    this[kConn]?.ref();
    return this;
  }

  /** Let the process exit even while this socket is open. */
  unref(): this {
    this[kState].refed = false;
    this[kConn]?.unref();
    return this;
  }

  /** Pause `'data'` (with `onread`: stop reading at the socket). */
  override pause(): this {
    pauseUserBuffer(this);
    return super.pause();
  }

  /** Resume `'data'` (with `onread`: read into the user buffer again). */
  override resume(): this {
    this.#stopsAtResume = this[kState].onread?.stops ?? 0;
    resumeUserBuffer(this, false);
    return super.resume();
  }

  /**
   * Read from the buffer: `size` bytes, or without `size` everything buffered (one chunk
   * while flowing), as Node does on every runtime. With `onread`: restart reading into the
   * user buffer.
   */
  override read(size?: number): Buffer | string | null {
    // node:stream's flow() calls read() right after resume(). In Node no read callback can
    // run in between, so that read() never restarts reading; here the adapter may deliver
    // (and the callback return false) before it, so it must not restart either.
    const onread = this[kState].onread;
    if (!(onread && this.readableFlowing && onread.stops !== this.#stopsAtResume)) resumeUserBuffer(this, true);
    // The closure only where it is needed: read() runs for every chunk of a flowing stream.
    if (size !== undefined || readsAsNode(this)) return super.read(size);
    return readBuffered(this, (n) => super.read(n));
  }

  /**
   * Half-close: send `data` (if given), then FIN once everything queued is written. The
   * socket stays readable until the peer ends too (or closes at once without
   * `allowHalfOpen`). Returns the socket, as Node's does.
   */
  override end(cb?: () => void): this;
  /** Half-close after writing `chunk` (a string, Buffer or Uint8Array). */
  override end(chunk: unknown, cb?: () => void): this;
  /** Half-close after writing the string `chunk` in `encoding`. */
  override end(chunk: unknown, encoding?: BufferEncoding, cb?: () => void): this;
  override end(...args: unknown[]): this {
    // deno-lint-ignore no-explicit-any
    (Duplex.prototype.end as any).apply(this, args);
    return this;
  }

  /** Half-close now if writable, then destroy once the write side finished. */
  destroySoon(): void {
    if (this.writable) this.end();
    if (this.writableFinished) this.destroy();
    else this.once("finish", () => this.destroy());
  }

  /**
   * Close the connection with RST, so the peer sees ECONNRESET (TCP only; a Unix socket
   * throws ERR_INVALID_HANDLE_TYPE, as in Node).
   */
  resetAndDestroy(): this {
    resetAndDestroy(this);
    return this;
  }

  /** Our end's address: `{ address, family, port }`, or `{}` before connecting and after destroy. */
  address(): InetAddress | Record<string, never> {
    return localEndpoint(this) ?? {};
  }

  /** The peer's IP address. */
  get remoteAddress(): string | undefined {
    return peerEndpoint(this)?.address;
  }
  /** The peer's address family, `"IPv4"` or `"IPv6"`. */
  get remoteFamily(): string | undefined {
    return peerEndpoint(this)?.family;
  }
  /** The peer's port. */
  get remotePort(): number | undefined {
    return peerEndpoint(this)?.port;
  }
  /** Our IP address. */
  get localAddress(): string | undefined {
    return localEndpoint(this)?.address;
  }
  /** Our port. */
  get localPort(): number | undefined {
    return localEndpoint(this)?.port;
  }
  /** Our address family. */
  get localFamily(): string | undefined {
    return localEndpoint(this)?.family;
  }

  /** True until connected (no handle yet, or still connecting). */
  get pending(): boolean {
    // Node drops its handle on destroy (and makes a new one on reconnect).
    return !this[kConn] || this.connecting || this.destroyed;
  }

  /** `'opening'`, `'open'`, `'readOnly'`, `'writeOnly'` or `'closed'`. */
  get readyState(): "opening" | "open" | "readOnly" | "writeOnly" | "closed" {
    if (this.connecting) return "opening";
    if (this.readable && this.writable) return "open";
    if (this.readable && !this.writable) return "readOnly";
    if (!this.readable && this.writable) return "writeOnly";
    return "closed";
  }

  /** The value last given to `setTimeout` (undefined before the first call). */
  get timeout(): number | undefined {
    return this.#timeout;
  }
  set timeout(value: number | undefined) {
    this.#timeout = value;
  }

  /**
   * Bytes waiting in the write buffer (`writableLength`) while the socket has a connection,
   * undefined otherwise. Prefer `writableLength`.
   */
  get bufferSize(): number {
    // Typed as @types/node types it; undefined without a connection, as in Node.
    return (hasHandle(this) ? this.writableLength : undefined) as number;
  }

  /** Bytes received on the current connection (with `onread`: handed to its callback). */
  get bytesRead(): number {
    const state = this[kState];
    return state.bytesRead - (state.onread?.heldBytes ?? 0);
  }

  /** Bytes sent on the current connection, counting those still queued (as Node does). */
  get bytesWritten(): number {
    return bytesWritten(this) as number;
  }

  /**
   * Decode what is read as `encoding`. `''` is the default, utf8, as Node's StringDecoder
   * takes it (Bun's node:stream rejects it).
   */
  override setEncoding(encoding?: BufferEncoding): this {
    return super.setEncoding(((encoding as string) === "" ? undefined : encoding) as BufferEncoding);
  }

  /** @internal Reading on: from the RawConn, once connected. */
  override _read(size: number): void {
    readStart(this, size);
  }

  /** @internal One chunk to the RawConn. */
  override _write(chunk: unknown, encoding: BufferEncoding, cb: Callback): void {
    writeChunk(this, toBytes(chunk, encoding), cb, countsOnceSent(chunk, encoding));
  }

  /** @internal Queued chunks to the RawConn at once. */
  override _writev(chunks: { chunk: unknown; encoding: BufferEncoding }[], cb: Callback): void {
    writeGeneric(this, chunks.map((c) => toBytes(c.chunk, c.encoding)), cb, chunks);
  }

  /** @internal Send FIN once every queued write is out. */
  override _final(cb: Callback): void {
    shutdown(this, cb);
  }

  /** @internal Close the RawConn; `'close'` follows. */
  override _destroy(err: Error | null, cb: Callback): void {
    destroy(this, err, cb);
  }
}

defineLegacySocketMembers(Socket.prototype);
defineStreamCorrections(Socket.prototype);

function onReadableStreamEnd(this: Socket): void {
  if (!this.allowHalfOpen) {
    this.write = writeAfterFIN;
    endWritableAfterEnd(this);
  }
}

// Typed listeners for Socket's events (declaration merging with the class above).
/** Socket's event methods, typed for its own events ({@link SocketEventMap}). */
export interface Socket {
  /** Call `listener` on every `event`. */
  on<K extends keyof SocketEventMap>(event: K, listener: (...args: SocketEventMap[K]) => void): this;
  /** Call `listener` on every `event` (an event of no declared type). */
  on(event: string | symbol, listener: AnyListener): this;
  /** Call `listener` on the next `event` only. */
  once<K extends keyof SocketEventMap>(event: K, listener: (...args: SocketEventMap[K]) => void): this;
  /** Call `listener` on the next `event` only (an event of no declared type). */
  once(event: string | symbol, listener: AnyListener): this;
  /** Alias of `on`. */
  addListener<K extends keyof SocketEventMap>(event: K, listener: (...args: SocketEventMap[K]) => void): this;
  /** Alias of `on` (an event of no declared type). */
  addListener(event: string | symbol, listener: AnyListener): this;
  /** As `on`, but `listener` runs before the listeners added earlier. */
  prependListener<K extends keyof SocketEventMap>(event: K, listener: (...args: SocketEventMap[K]) => void): this;
  /** As `on`, but `listener` runs before the listeners added earlier (an event of no declared type). */
  prependListener(event: string | symbol, listener: AnyListener): this;
  /** As `once`, but `listener` runs before the listeners added earlier. */
  prependOnceListener<K extends keyof SocketEventMap>(event: K, listener: (...args: SocketEventMap[K]) => void): this;
  /** As `once`, but `listener` runs before the listeners added earlier (an event of no declared type). */
  prependOnceListener(event: string | symbol, listener: AnyListener): this;
  /** Stop calling `listener` on `event` (removes one registration). */
  off<K extends keyof SocketEventMap>(event: K, listener: (...args: SocketEventMap[K]) => void): this;
  /** Stop calling `listener` on `event` (an event of no declared type). */
  off(event: string | symbol, listener: AnyListener): this;
  /** Alias of `off`. */
  removeListener<K extends keyof SocketEventMap>(event: K, listener: (...args: SocketEventMap[K]) => void): this;
  /** Alias of `off` (an event of no declared type). */
  removeListener(event: string | symbol, listener: AnyListener): this;
}
