/**
 * `Socket`: a `node:stream` Duplex over one RawConn, with Node's event order, timers,
 * backpressure and half-close rules. Reading and writing live in `socket_stream.ts`,
 * options and addresses in `socket_base.ts`, connecting in `socket_connect.ts` and
 * `happy_eyeballs.ts`.
 *
 * @module
 */
import { setImmediate } from "node:timers";
import type { ConnectOptions, RawAddress, RawConn } from "../contract.ts";
import {
  kAdapter,
  kConn,
  kConnectTo,
  kPipe,
  kRawConn,
  kServerHooks,
  kSinkClose,
  kSinkConnect,
  kSinkConnectError,
} from "../_symbols.ts";
import { type Connecting, SocketSink } from "./_sink.ts";
import { GuardedConn } from "../_reentry.ts";
import { ERR_FEATURE_UNAVAILABLE_ON_PLATFORM, ERR_INVALID_HANDLE_TYPE, ERR_SOCKET_CLOSED } from "../errors/errors.ts";
import { withConnectDetails } from "../errors/system_errors.ts";
import { destroyOnAbort, writeAfterFIN } from "./_util.ts";
import { connectSocket, type SocketConnectOpts } from "./connect.ts";
import type { AttemptHooks } from "./happy_eyeballs.ts";
import type { SocketConstructorOpts } from "./socket_base.ts";
import { SocketStream } from "./socket_stream.ts";
import type { SocketEventMap } from "../events.ts";

export type { ServerHooks, SocketConstructorOpts } from "./socket_base.ts";

type Callback = (err?: Error | null) => void;

/** How a connection attempt reports back (see `socket_connect.ts`). */
export interface ConnectAttempt {
  /** Emit `'connectionAttempt'` (deferred while a local bind may still fail). */
  announce?: () => void;
  /** Happy Eyeballs: the attempt's owner decides what a result means. */
  hooks?: AttemptHooks;
}

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
export class Socket extends SocketStream {
  #closeWanted = false;
  #hadError = false;
  #reset = false;
  #hasHandle = false;
  #pipe = false;
  /** The current RawConn reached 'connect' (or was accepted). */
  #connected = false;
  #signal: AbortSignal | undefined;

  constructor(options: SocketConstructorOpts | number = {}) {
    const opts: SocketConstructorOpts = typeof options === "number" ? { fd: options } : options;
    super(opts);
    this.on("end", onReadableStreamEnd);
    const conn = opts[kRawConn];
    if (conn) {
      this[kConn] = conn;
      this.#hasHandle = true;
      this.#connected = true;
      this.#pipe = opts[kPipe] ?? isPipeAddress(conn.localAddress());
      this.onread?.init();
      conn.attach(new SocketSink(this, conn, null));
      this.applyOptions(conn);
      if (opts.pauseOnCreate) {
        // deno-lint-ignore no-explicit-any
        (this as any)._readableState.flowing = false;
      } else {
        this.read(0);
      }
    }
    if (opts.signal) {
      this.#signal = opts.signal;
      destroyOnAbort(this, opts.signal, () => this.aborted = true);
    }
  }

  /** Connect to a server: `(port[, host][, cb])`, `(path[, cb])` or `(options[, cb])`. */
  connect(options: SocketConnectOpts, connectListener?: () => void): this;
  connect(port: number, host?: string, connectListener?: () => void): this;
  connect(port: number, connectListener?: () => void): this;
  connect(path: string, connectListener?: () => void): this;
  connect(...args: unknown[]): this {
    // An aborted signal keeps the socket closed. (Node 24 destroys the socket and then
    // connects it anyway; omninet does not open a connection the caller aborted.)
    if (this.#signal?.aborted) return this;
    connectSocket(this, args);
    return this;
  }

  /** @internal Prepare for a (re)connect: a destroyed socket starts over, as with a new handle. */
  resetForConnect(pipe: boolean): void {
    if (this.write !== Socket.prototype.write) this.write = Socket.prototype.write;
    if (this.destroyed || !this.#hasHandle) {
      this[kConn] = null;
      this.#connected = false;
      this.#closeWanted = false;
      this.#pipe = pipe;
      this.forgetAddresses();
      this.resetStream();
      // deno-lint-ignore no-explicit-any
      (this as any)._undestroy();
      this.onread?.init();
    }
    this.#hasHandle = true;
    this.idle.refresh();
  }

  /**
   * @internal Open a RawConn to a resolved target; the socket must be connecting. With
   * `attempt.hooks` (Happy Eyeballs) a failure goes to the attempt's owner instead of
   * destroying the socket.
   */
  [kConnectTo](target: ConnectOptions, attempt: ConnectAttempt = {}): RawConn {
    const live = this[kConn];
    if (live && !this.handleClosed && !attempt.hooks && this.#connected) {
      // connect() on a connected socket: Node's handle stays on its connection and
      // reports 'connect' again; no second connection is opened.
      attempt.announce?.();
      queueMicrotask(() => {
        if (this.connecting && this[kConn] === live) this.#afterConnect(live);
      });
      return live;
    }
    const sink = new SocketSink(this, null, { target, ...attempt });
    const conn = GuardedConn.connect(this[kAdapter], target, sink);
    sink.conn = conn;
    this[kConn] = conn;
    return conn;
  }

  /** @internal Happy Eyeballs gave up on an attempt: close it without closing the socket. */
  abandonAttempt(conn: RawConn): void {
    conn.close();
  }

  /** @internal The adapter reports `conn` connected (it is still the current one). */
  [kSinkConnect](conn: RawConn, connecting: Connecting | null): void {
    connecting?.announce?.();
    if (connecting?.hooks && !connecting.hooks.onConnect(conn)) {
      this.abandonAttempt(conn);
      return;
    }
    this.#afterConnect(conn);
  }

  /** @internal Connecting `conn` failed: Node's `'connectionAttemptFailed'`, or the attempt's owner decides. */
  [kSinkConnectError](conn: RawConn, connecting: Connecting, error: Error): void {
    const { target, announce, hooks } = connecting;
    const err = withConnectDetails(error, target);
    const bind = (err as { syscall?: string }).syscall === "bind";
    if (!bind) announce?.();
    if (hooks) {
      this.abandonAttempt(conn);
      hooks.onFail(err, bind);
      return;
    }
    if (!bind) {
      if ("path" in target) this.emit("connectionAttemptFailed", target.path, undefined, undefined, err);
      else this.emit("connectionAttemptFailed", target.host, target.port, target.family, err);
    }
    if (!this.destroyed) this.destroy(err);
  }

  /** @internal The current RawConn's handle closed. */
  [kSinkClose](): void {
    this.handleClosed = true;
    if (!this.destroyed) this.destroy();
    if (this.#closeWanted) {
      this.#closeWanted = false;
      setImmediate(() => this.emit("close", this.#hadError));
    }
  }

  #afterConnect(conn: RawConn): void {
    this.connecting = false;
    this.#connected = true;
    this.forgetAddresses();
    this.idle.refresh();
    this.applyOptions(conn);
    this.emit("connect");
    this.emit("ready");
    if (!this.isPaused()) this.read(0);
  }

  /** @internal */
  override _destroy(err: Error | null, cb: Callback): void {
    this.connecting = false;
    this.idle.clear();
    const conn = this[kConn];
    if (conn) {
      this.#hadError = Boolean(err);
      if (this.handleClosed) {
        setImmediate(() => this.emit("close", this.#hadError));
      } else {
        this.#closeWanted = true;
        if (this.#reset) conn.reset();
        else conn.close();
      }
      this.#reset = false;
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

  /**
   * Close the connection with RST, so the peer sees ECONNRESET (TCP only; a Unix socket
   * throws ERR_INVALID_HANDLE_TYPE, as in Node).
   */
  resetAndDestroy(): this {
    if (this.#hasHandle && !this.destroyed) {
      if (this.#pipe) throw ERR_INVALID_HANDLE_TYPE();
      // A runtime that cannot send RST says so, rather than closing with FIN silently.
      const adapter = this[kAdapter];
      if (!adapter.capabilities.reset) {
        throw ERR_FEATURE_UNAVAILABLE_ON_PLATFORM("socket.resetAndDestroy()", adapter.name);
      }
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
}

function onReadableStreamEnd(this: Socket): void {
  if (!this.allowHalfOpen) this.write = writeAfterFIN;
}

function isPipeAddress(address: RawAddress | undefined): boolean {
  return address !== undefined && "path" in address;
}

// Typed listeners for Socket's events (declaration merging with the class above).
// deno-lint-ignore no-explicit-any
type AnyListener = (...args: any[]) => void;
export interface Socket {
  /** Listen for `event` (typed for Socket's own events). */
  on<K extends keyof SocketEventMap>(event: K, listener: (...args: SocketEventMap[K]) => void): this;
  /** Listen for any other event. */
  on(event: string | symbol, listener: AnyListener): this;
  /** Listen for `event` (typed for Socket's own events). */
  once<K extends keyof SocketEventMap>(event: K, listener: (...args: SocketEventMap[K]) => void): this;
  /** Listen for any other event. */
  once(event: string | symbol, listener: AnyListener): this;
  /** Listen for `event` (typed for Socket's own events). */
  addListener<K extends keyof SocketEventMap>(event: K, listener: (...args: SocketEventMap[K]) => void): this;
  /** Listen for any other event. */
  addListener(event: string | symbol, listener: AnyListener): this;
  /** Listen for `event` (typed for Socket's own events). */
  prependListener<K extends keyof SocketEventMap>(event: K, listener: (...args: SocketEventMap[K]) => void): this;
  /** Listen for any other event. */
  prependListener(event: string | symbol, listener: AnyListener): this;
  /** Listen for `event` (typed for Socket's own events). */
  prependOnceListener<K extends keyof SocketEventMap>(event: K, listener: (...args: SocketEventMap[K]) => void): this;
  /** Listen for any other event. */
  prependOnceListener(event: string | symbol, listener: AnyListener): this;
  /** Listen for `event` (typed for Socket's own events). */
  off<K extends keyof SocketEventMap>(event: K, listener: (...args: SocketEventMap[K]) => void): this;
  /** Listen for any other event. */
  off(event: string | symbol, listener: AnyListener): this;
  /** Listen for `event` (typed for Socket's own events). */
  removeListener<K extends keyof SocketEventMap>(event: K, listener: (...args: SocketEventMap[K]) => void): this;
  /** Listen for any other event. */
  removeListener(event: string | symbol, listener: AnyListener): this;
}
