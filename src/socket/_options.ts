// A Socket's options: the constructor's (validated and turned into the Duplex's), the TCP
// options applied to each RawConn, and its two addresses.
import * as stream from "node:stream";
import type { DuplexOptions } from "node:stream";
import type { InetAddress, RawConn, RuntimeAdapter } from "../contract.ts";
import { kAdapter, kConn, type kPipe, type kRawConn, kState } from "../_symbols.ts";
import { ERR_INVALID_ARG_VALUE } from "../errors/errors.ts";
import { validateAbortSignal, validateNumber } from "../errors/validators.ts";
import type { BlockListLike } from "../address/blocklist.ts";
import { OnRead, type OnReadOpts } from "./_onread.ts";
import { IdleTimer } from "./_idle_timer.ts";
import { newSocketState } from "./_state.ts";
import type { Accepted } from "../_direct.ts";
import type { SocketCore, SocketState } from "./_types.ts";

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
  blockList?: BlockListLike;
  /** Not available on this runtime layer: passing it throws. */
  fd?: number;
  /** @internal An accepted connection (used by Server). */
  [kRawConn]?: Accepted;
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

/**
 * The default buffer size of a byte stream as Node 24 has it: what a server gives the
 * sockets it accepts (`server.highWaterMark`) when not told otherwise.
 */
export function defaultHighWaterMark(): number {
  return node24HighWaterMark() ?? stream.getDefaultHighWaterMark(false);
}

/**
 * Validate the constructor's options as Node does and return the Duplex's options and the
 * keep-alive delay in seconds.
 */
export function duplexOptions(options: SocketConstructorOpts): [DuplexOptions, number] {
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
  const result: DuplexOptions & SocketConstructorOpts = {
    ...options,
    allowHalfOpen: Boolean(options.allowHalfOpen),
    emitClose: false,
    autoDestroy: true,
    decodeStrings: false,
  };
  // Not `delete`: that turns the object into a slow dictionary on every construction.
  if (result.signal !== undefined) result.signal = undefined;
  const hwm = node24HighWaterMark();
  if (hwm !== undefined && options.highWaterMark === undefined) {
    result.readableHighWaterMark ??= hwm;
    result.writableHighWaterMark ??= hwm;
  }
  return [result, ~~((keepAliveInitialDelay as number) / 1000)];
}

/** A new socket's state (see `SocketState`). */
export function initialState(
  options: SocketConstructorOpts,
  keepAliveDelay: number,
): SocketState {
  return newSocketState(
    OnRead.from(options.onread),
    IdleTimer.none,
    Boolean(options.noDelay),
    Boolean(options.keepAlive),
    keepAliveDelay,
  );
}

/** Apply the TCP options and ref state to a connected RawConn. */
export function applyOptions(socket: SocketCore, conn: RawConn): void {
  const state = socket[kState];
  if (state.noDelay) conn.setNoDelay(true);
  if (state.keepAlive) applyKeepAlive(socket, conn, true, state.keepAliveDelay);
  if (!state.refed) conn.unref();
}

/** Implements `socket.setNoDelay(enable)`. */
export function setNoDelay(socket: SocketCore, enable?: boolean): void {
  const state = socket[kState];
  const on = enable === undefined ? true : Boolean(enable);
  const conn = socket[kConn];
  if (!conn || socket.connecting) {
    state.noDelay = on;
    return;
  }
  if (on !== state.noDelay) {
    state.noDelay = on;
    conn.setNoDelay(on);
  }
}

/** Implements `socket.setKeepAlive(enable, initialDelay)`. */
export function setKeepAlive(socket: SocketCore, enable?: boolean, initialDelay?: number): void {
  const state = socket[kState];
  const on = Boolean(enable);
  const delay = ~~((initialDelay ?? 0) / 1000);
  const conn = socket[kConn];
  if (!conn || socket.connecting) {
    state.keepAlive = on;
    state.keepAliveDelay = delay;
    return;
  }
  if (on !== state.keepAlive || (on && delay !== state.keepAliveDelay)) {
    state.keepAlive = on;
    state.keepAliveDelay = delay;
    applyKeepAlive(socket, conn, on, delay);
  }
}

function applyKeepAlive(socket: SocketCore, conn: RawConn, on: boolean, delaySeconds: number): void {
  const adapter = socket[kAdapter];
  if (on && delaySeconds > 0 && !adapter.capabilities.keepAliveDelay) warnKeepAliveDelay(adapter);
  conn.setKeepAlive(on, delaySeconds * 1000);
}

/** `socket.setKeepAlive(options)`, as newer Node takes it. */
export interface SetKeepAliveOptions {
  /** Keep-alive on or off. @default false */
  enable?: boolean;
  /** Milliseconds of idleness before the first probe. @default 0 */
  initialDelay?: number;
  /** Milliseconds between probes (the system's here). @default 1000 */
  interval?: number;
  /** Probes before the connection is dropped (the system's here). @default 10 */
  count?: number;
}

let keepAliveProbesWarned = false;

/** Keep-alive probe spacing and count cannot be set through any runtime here: say so once. */
export function warnKeepAliveProbes(adapter: RuntimeAdapter): void {
  if (keepAliveProbesWarned) return;
  keepAliveProbesWarned = true;
  adapter.emitWarning(
    `socket.setKeepAlive(): the probe interval and count cannot be set on ${adapter.name}; the system's apply`,
    { type: "UnsupportedWarning", code: "OMNINET_KEEPALIVE_PROBES" },
  );
}

let keepAliveDelayWarned = false;

// A runtime that cannot set the keep-alive delay still turns keep-alive on, and says so
// once per process with a warning (Node's channel for a partly supported feature).
function warnKeepAliveDelay(adapter: RuntimeAdapter): void {
  if (keepAliveDelayWarned) return;
  keepAliveDelayWarned = true;
  adapter.emitWarning(
    `socket.setKeepAlive(): the initial delay cannot be set on ${adapter.name}; the system's default applies`,
    { type: "UnsupportedWarning", code: "OMNINET_KEEPALIVE_DELAY" },
  );
}

/** Our end's address, `null` when unknown (Node drops the handle, and it, on destroy). */
export function localEndpoint(socket: SocketCore): InetAddress | null {
  if (socket.destroyed) return null;
  const state = socket[kState];
  state.sockname ??= endpoint(socket, "local");
  return state.sockname;
}

/** The peer's address; once destroyed, only an address read before is still known (as Node). */
export function peerEndpoint(socket: SocketCore): InetAddress | null {
  const state = socket[kState];
  if (socket.destroyed) return state.peername;
  state.peername ??= endpoint(socket, "remote");
  return state.peername;
}

/** Drop cached addresses (after a reconnect). */
export function forgetAddresses(socket: SocketCore): void {
  const state = socket[kState];
  state.peername = null;
  state.sockname = null;
}

/** One end's TCP address from the connected RawConn, or null (not connected, or a pipe). */
function endpoint(socket: SocketCore, side: "local" | "remote"): InetAddress | null {
  const conn = socket[kConn];
  if (!conn || socket.connecting) return null;
  const a = side === "local" ? conn.localAddress() : conn.remoteAddress();
  return a && "port" in a ? { address: a.address, family: a.family, port: a.port } : null;
}
