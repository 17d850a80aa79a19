// The types the Socket's modules share. A leaf: it imports nothing from socket/ but other
// leaves, so the socket's files can name one another's shapes without importing one
// another in a circle (scripts/check_cycles.ts).
import type { Duplex } from "node:stream";
import type { ConnectOptions, InetAddress, RawConn, RuntimeAdapter } from "../contract.ts";
import type { kAdapter, kConn, kServerHooks, kState } from "../_symbols.ts";
import type { BlockListLike } from "../address/blocklist.ts";
import type { IdleTimer } from "./_idle_timer.ts";
import type { OnRead } from "./_onread.ts";

/** A user lookup function with the shape of `dns.lookup`. */
export type LookupFunction = (
  hostname: string,
  options: LookupFunctionOptions,
  callback: (err: Error | null, address: string | LookupResult[], family?: number) => void,
) => void;

/** What `connect()` passes to a `lookup` function, as to `dns.lookup`. */
export interface LookupFunctionOptions {
  /** 0, 4 or 6 (or `"IPv4"`/`"IPv6"`, as given to connect). */
  family?: number | "IPv4" | "IPv6";
  /** getaddrinfo flags, in the runtime's `dns` constants. */
  hints?: number;
  /** Ask for every address (Happy Eyeballs). */
  all?: boolean;
}

/** One address a `lookup` function gives back with `all: true`. */
export interface LookupResult {
  /** The IP address. */
  address: string;
  /** 4 or 6. */
  family: number;
}

/** What the socket tells a Happy Eyeballs attempt's owner. */
export interface AttemptHooks {
  /** The attempt connected; return false to have it closed (it lost the race). */
  onConnect(conn: RawConn): boolean;
  /** The attempt failed before connecting (`bind`: binding the local port failed). */
  onFail(err: Error, bind: boolean): void;
}

/** How a connection attempt reports back. */
export interface ConnectAttempt {
  /** Emit `'connectionAttempt'` (deferred while a local bind may still fail). */
  announce?: () => void;
  /** Happy Eyeballs: the attempt's owner decides what a result means. */
  hooks?: AttemptHooks;
}

/** An outgoing connection's target and how its attempt reports back. */
export type Connecting = { target: ConnectOptions } & ConnectAttempt;

/** Hooks a Server keeps on the sockets it accepted. */
export interface ServerHooks {
  /** The socket was destroyed. */
  onDestroy(socket: SocketCore): void;
}

/**
 * A Socket's internal state, one object under `socket[kState]`: what its constructor, its
 * methods and the function modules (`_read.ts`, `_write.ts`, `_open.ts`, `_attempt.ts`, `_close.ts`,
 * `_options.ts`) read and write. Node keeps the same facts on the socket and its handle.
 */
export interface SocketState {
  /** The `onread` delivery, when that option was given. */
  onread: OnRead | null;
  /** The idle timer behind setTimeout(). */
  idle: IdleTimer;
  /** Set once `options.signal` aborted. */
  aborted: boolean;
  /**
   * The signal had aborted when the socket was built: its AbortError and bare `'close'` are
   * still to come (a connect() meanwhile starts its attempt after them, as in Node).
   */
  abortClose: boolean;
  /** connect() was called since the last destroy (Node has made a handle). */
  hasHandle: boolean;
  /** The handle is a Unix socket. */
  pipe: boolean;
  /** The current RawConn reached 'connect' (or was accepted). */
  connected: boolean;
  /** The current RawConn reported its close. */
  handleClosed: boolean;
  /** destroy() closed the RawConn and waits for its close to emit 'close'. */
  closeWanted: boolean;
  /** The argument 'close' will carry. */
  hadError: boolean;
  /** resetAndDestroy(): close with RST. */
  reset: boolean;
  /** The peer's FIN arrived on the current RawConn. */
  eof: boolean;
  /** Bytes received on the current RawConn. */
  bytesRead: number;
  /** Bytes handed to the current RawConn. */
  bytesDispatched: number;
  /** Chunks written while connecting (counted by bytesWritten). */
  pendingData: Uint8Array[] | null;
  /** TCP_NODELAY wanted. */
  noDelay: boolean;
  /** Keep-alive wanted. */
  keepAlive: boolean;
  /** Keep-alive delay in seconds. */
  keepAliveDelay: number;
  /** The socket keeps the process alive. */
  refed: boolean;
  /** The peer's address, once read. */
  peername: InetAddress | null;
  /** Our address, once read. */
  sockname: InetAddress | null;
}

/** What the socket's function modules see of a Socket. */
export interface SocketCore extends Duplex {
  [kAdapter]: RuntimeAdapter;
  [kConn]: RawConn | null;
  [kState]: SocketState;
  [kServerHooks]: ServerHooks | null;
  connecting: boolean;
  autoSelectFamilyAttemptedAddresses: string[] | undefined;
  blockList: BlockListLike | undefined;
  /** Node's `_host`: the host name of the last connect() that needed a lookup. */
  _host: string | null;
  _unrefTimer(): void;
}
