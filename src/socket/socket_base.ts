// What a Socket is besides its stream engine: construction and option handling, TCP
// options applied to the RawConn, ref/unref, addresses and state getters.
import * as stream from "node:stream";
import type { EventEmitter } from "node:events";
import { Duplex, type DuplexOptions } from "node:stream";
import type { InetAddress, RawConn, RuntimeAdapter } from "../contract.ts";
import { kAdapter, kConn, kHost, type kPipe, type kRawConn, kServerHooks } from "../_symbols.ts";
import { ERR_FEATURE_UNAVAILABLE_ON_PLATFORM, ERR_INVALID_ARG_TYPE, ERR_INVALID_ARG_VALUE } from "../errors/errors.ts";
import { validateAbortSignal, validateNumber } from "../errors/validators.ts";
import { BlockList } from "../address/blocklist.ts";
import { OnRead, type OnReadOpts } from "./_onread.ts";
import type { GuardedConn } from "../_reentry.ts";

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
  /** Deliver incoming bytes into a user buffer instead of `'data'` events. */
  onread?: OnReadOpts;
  /** Refuse to connect to addresses this list blocks (`ERR_IP_BLOCKED`). */
  blockList?: BlockList;
  /** Not available on this runtime layer: passing it throws. */
  fd?: number;
  /** @internal An accepted connection (used by Server). */
  [kRawConn]?: GuardedConn;
  /** @internal The accepted connection is a Unix socket (the server knows; no address call). */
  [kPipe]?: boolean;
  /** @internal Accepted connection starts paused (Server's pauseOnConnect). */
  pauseOnCreate?: boolean;
}

/**
 * Node 24's stream buffer size (64 KiB) where the runtime's node:stream still defaults to
 * Node 20's 16 KiB; undefined where the runtime's default already is Node 24's (or was
 * changed with `stream.setDefaultHighWaterMark`).
 */
function node24HighWaterMark(): number | undefined {
  const get = (stream as { getDefaultHighWaterMark?: (objectMode: boolean) => number }).getDefaultHighWaterMark;
  const current = get?.(false);
  return current === undefined || current === 16 * 1024 ? 64 * 1024 : undefined;
}

/** Hooks a Server keeps on the sockets it accepted. */
export interface ServerHooks {
  onDestroy(socket: SocketBase): void;
}

type Endpoint = InetAddress | Record<string, never>;
type ReadyState = "opening" | "open" | "readOnly" | "writeOnly" | "closed";

/** The Socket's state and options; the stream engine is `Socket` in socket.ts. */
export class SocketBase extends Duplex {
  declare [kAdapter]: RuntimeAdapter;
  /** True from `connect()` until `'connect'` or failure. */
  connecting = false;
  /** The addresses Happy Eyeballs tried, as `"address:port"`. */
  autoSelectFamilyAttemptedAddresses: string[] | undefined = undefined;
  /** The BlockList given as `options.blockList`. */
  blockList: BlockList | undefined = undefined;
  /** The server that accepted this socket (null for client sockets), as Node's `socket.server`. */
  server: EventEmitter | null = null;
  /** Alias of `server` (Node keeps both). */
  _server: EventEmitter | null = null;
  /** @internal Set once `options.signal` aborted. */
  aborted = false;
  /** @internal The current RawConn. */
  [kConn]: RawConn | null = null;
  /** @internal Set by a Server on accepted sockets. */
  [kServerHooks]: ServerHooks | null = null;
  /** @internal The host name being connected to. */
  [kHost]: string | null = null;
  /** @internal The `onread` delivery, when that option was given. */
  protected onread: OnRead | null;

  #peername: InetAddress | null = null;
  #sockname: InetAddress | null = null;
  #noDelay: boolean;
  #keepAlive: boolean;
  #keepAliveDelay: number;
  #refed = true;

  constructor(options: SocketConstructorOpts) {
    const opts = options as SocketConstructorOpts & Record<string, unknown>;
    if (opts.objectMode) {
      throw ERR_INVALID_ARG_VALUE("options.objectMode", opts.objectMode, "is not supported");
    } else if (opts.readableObjectMode || opts.writableObjectMode) {
      const name = opts.readableObjectMode ? "readableObjectMode" : "writableObjectMode";
      throw ERR_INVALID_ARG_VALUE(
        `options.${name}`,
        opts.readableObjectMode || opts.writableObjectMode,
        "is not supported",
      );
    }
    let keepAliveInitialDelay = options.keepAliveInitialDelay;
    if (keepAliveInitialDelay !== undefined) {
      validateNumber(keepAliveInitialDelay, "options.keepAliveInitialDelay");
      if (keepAliveInitialDelay < 0) keepAliveInitialDelay = 0;
    }
    // node:stream checks the signal (as "signal"); the Socket acts on it (socket.ts).
    if (options.signal) validateAbortSignal(options.signal, "signal");
    const duplexOptions: DuplexOptions & SocketConstructorOpts = {
      ...options,
      allowHalfOpen: Boolean(options.allowHalfOpen),
      emitClose: false,
      autoDestroy: true,
      decodeStrings: false,
    };
    delete duplexOptions.signal;
    const hwm = node24HighWaterMark();
    if (hwm !== undefined && options.highWaterMark === undefined) {
      duplexOptions.readableHighWaterMark ??= hwm;
      duplexOptions.writableHighWaterMark ??= hwm;
    }
    super(duplexOptions);
    if (options.fd !== undefined) {
      throw ERR_FEATURE_UNAVAILABLE_ON_PLATFORM("options.fd", new.target.prototype[kAdapter]?.name ?? "this runtime");
    }
    this.onread = OnRead.from(options.onread);
    this.#noDelay = Boolean(options.noDelay);
    this.#keepAlive = Boolean(options.keepAlive);
    this.#keepAliveDelay = ~~((keepAliveInitialDelay as number) / 1000);
    if (options.blockList) {
      if (!BlockList.isBlockList(options.blockList)) {
        throw ERR_INVALID_ARG_TYPE("options.blockList", "net.BlockList", options.blockList);
      }
      this.blockList = options.blockList;
    }
  }

  /** @internal Apply the TCP options and ref state to a connected RawConn. */
  protected applyOptions(conn: RawConn): void {
    if (this.#noDelay) conn.setNoDelay(true);
    if (this.#keepAlive) this.#applyKeepAlive(conn, true, this.#keepAliveDelay);
    if (!this.#refed) conn.unref();
  }

  /** @internal Drop cached addresses (after a reconnect). */
  protected forgetAddresses(): void {
    this.#peername = null;
    this.#sockname = null;
  }

  /** Turn Nagle's algorithm off (`true`, the default) or on. */
  setNoDelay(enable?: boolean): this {
    const on = enable === undefined ? true : Boolean(enable);
    const conn = this[kConn];
    if (!conn || this.connecting) {
      this.#noDelay = on;
      return this;
    }
    if (on !== this.#noDelay) {
      this.#noDelay = on;
      conn.setNoDelay(on);
    }
    return this;
  }

  /** Enable or disable TCP keep-alive, with the initial delay in milliseconds. */
  setKeepAlive(enable?: boolean, initialDelay?: number): this {
    const on = Boolean(enable);
    const delay = ~~((initialDelay ?? 0) / 1000);
    const conn = this[kConn];
    if (!conn || this.connecting) {
      this.#keepAlive = on;
      this.#keepAliveDelay = delay;
      return this;
    }
    if (on !== this.#keepAlive || (on && delay !== this.#keepAliveDelay)) {
      this.#keepAlive = on;
      this.#keepAliveDelay = delay;
      this.#applyKeepAlive(conn, on, delay);
    }
    return this;
  }

  #applyKeepAlive(conn: RawConn, on: boolean, delaySeconds: number): void {
    const adapter = this[kAdapter];
    if (on && delaySeconds > 0 && !adapter.capabilities.keepAliveDelay) warnKeepAliveDelay(adapter.name);
    conn.setKeepAlive(on, delaySeconds * 1000);
  }

  /** Let this socket keep the process alive (the default). */
  ref(): this {
    this.#refed = true;
    this[kConn]?.ref();
    return this;
  }

  /** Let the process exit even while this socket is open. */
  unref(): this {
    this.#refed = false;
    this[kConn]?.unref();
    return this;
  }

  /** Our end's address: `{ address, family, port }`, or `{}` before connecting and after destroy. */
  address(): Endpoint {
    // Node drops the handle on destroy, and with it the local address (the peer's stays cached).
    if (this.destroyed) return {};
    this.#sockname ??= this.#endpoint("local");
    return this.#sockname ?? {};
  }

  #peer(): Endpoint {
    // As Node: once destroyed, only an address read before is still known.
    if (this.destroyed) return this.#peername ?? {};
    this.#peername ??= this.#endpoint("remote");
    return this.#peername ?? {};
  }

  /** One end's TCP address from the connected RawConn, or null (not connected, or a pipe). */
  #endpoint(side: "local" | "remote"): InetAddress | null {
    const conn = this[kConn];
    if (!conn || this.connecting) return null;
    const a = side === "local" ? conn.localAddress() : conn.remoteAddress();
    return a && "port" in a ? { address: a.address, family: a.family, port: a.port } : null;
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

  /** True until connected (no handle yet, or still connecting). */
  get pending(): boolean {
    // Node drops its handle on destroy (and makes a new one on reconnect).
    return !this[kConn] || this.connecting || this.destroyed;
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

let keepAliveDelayWarned = false;

// A runtime that cannot set the keep-alive delay still turns keep-alive on, and says so
// once per process with a warning (Node's channel for a partly supported feature).
function warnKeepAliveDelay(runtime: string): void {
  if (keepAliveDelayWarned) return;
  keepAliveDelayWarned = true;
  const proc = (globalThis as { process?: { emitWarning?(message: string, options: object): void } }).process;
  proc?.emitWarning?.(
    `socket.setKeepAlive(): the initial delay cannot be set on ${runtime}; the system's default applies`,
    { type: "UnsupportedWarning", code: "OMNINET_KEEPALIVE_DELAY" },
  );
}
