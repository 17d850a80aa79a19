/**
 * The adapter contract: the one small shape every runtime adapter implements.
 *
 * The core (Socket, Server) owns every policy: event order, timers, backpressure,
 * validation, name resolution order, half-open handling. An adapter only moves bytes
 * and reports what its runtime's handle did. Rules every adapter keeps:
 *
 * - Sink calls and `done`s may be made at any time, also synchronously inside a call the
 *   core made (`connect`, `listen`, any `RawConn` method, `RawListener.close`): the core
 *   guards itself (`src/_reentry.ts`) and runs such calls after its own call returned, in
 *   the order they were made (a write's own `done` inside its `write` right then, see
 *   {@link WriteDone}; the rest from a microtask). Adapters need no deferral of their own. Once the core called
 *   `close()` or `reset()`, it takes nothing but `done`s and the one `onClose`.
 * - Accepting is one step: `ListenerSink.onConnection(conn, attach?)` returns the
 *   connection's sink. An adapter whose accepted connection takes every call at once passes
 *   `attach`: it gets the sink first, and the core's calls made inside `onConnection` (the
 *   user's writes in `'connection'`) reach `conn` right then. Without `attach`, the core
 *   calls nothing on `conn` but `localAddress()` and `remoteAddress()` until it has returned.
 * - Hand the core owned bytes: a chunk given to `onData` is never reused by the adapter.
 * - `close()` is idempotent and leads to exactly one `onClose()`.
 * - Every connection, connected or accepted, starts with Node's socket defaults:
 *   TCP_NODELAY off (Nagle on) and keep-alive off. The core turns them on when asked.
 * - Errors are Node-shaped system errors (see `src/errors/system_errors.ts`, `systemError`):
 *   `code`, `errno` (from the adapter's {@link PlatformFacts}), `syscall`, plus
 *   `address`/`port` where they apply. What the adapter cannot map becomes `UNKNOWN` with
 *   the original error as `cause`.
 * - Platform facts (errno numbers, getaddrinfo flag values, the OS's defaults) and the
 *   process's warning channel come from the adapter: the core reads no runtime global.
 *
 * @module
 */

/** An IP family as Node spells it in addresses. */
export type Family = "IPv4" | "IPv6";

/** A TCP endpoint. */
export interface InetAddress {
  /** The IP address, IPv6 without brackets. */
  address: string;
  /** `"IPv4"` or `"IPv6"`. */
  family: Family;
  /** The port number. */
  port: number;
}

/** A Unix domain socket endpoint. */
export interface PipeAddress {
  /** The socket's file system path (empty for an unnamed peer). */
  path: string;
}

/** Either kind of endpoint. */
export type RawAddress = InetAddress | PipeAddress;

export type { Capabilities } from "./capabilities.ts";
import type { Capabilities } from "./capabilities.ts";

/** Where to connect. `host` is always an IP address: name resolution is the core's job. */
export interface TcpConnectOptions {
  /** The IP address to connect to. */
  host: string;
  /** The port to connect to. */
  port: number;
  /** 4 or 6, matching `host`. */
  family: 4 | 6;
  /** Local IP address to bind before connecting. */
  localAddress?: string;
  /** Local port to bind before connecting. */
  localPort?: number;
}

/** A Unix domain socket to connect to. */
export interface PipeConnectOptions {
  /** The socket's file system path. */
  path: string;
}

/** Either kind of connect target. */
export type ConnectOptions = TcpConnectOptions | PipeConnectOptions;

/** Where to listen. `host` is an IP address; the core resolves names first. */
export interface TcpListenOptions {
  /** The IP address to bind (`::` or `0.0.0.0` for every address). */
  host: string;
  /** The port to bind; 0 picks a free one. */
  port: number;
  /** 4 or 6, matching `host`. */
  family: 4 | 6;
  /** Pending-connection queue length. */
  backlog: number;
  /** Bind IPv6 only (no dual stack). */
  ipv6Only: boolean;
  /** Share the port with other listeners (SO_REUSEPORT). */
  reusePort: boolean;
}

/** A Unix domain socket path to listen on. */
export interface PipeListenOptions {
  /** The socket's file system path. */
  path: string;
  /** Pending-connection queue length. */
  backlog: number;
  /** Make the socket readable by every user. */
  readableAll: boolean;
  /** Make the socket writable by every user. */
  writableAll: boolean;
}

/** Either kind of listen target. */
export type ListenOptions = TcpListenOptions | PipeListenOptions;

/** Callbacks an adapter makes into the core for one connection. */
export interface ConnSink {
  /** An outgoing connection was established (never called for accepted ones). */
  onConnect(): void;
  /** Bytes arrived. The chunk is owned by the core from now on. */
  onData(chunk: Uint8Array): void;
  /** The peer sent FIN; no more `onData` follows. */
  onEnd(): void;
  /** The connection failed (connect, read or write); `onClose` follows once closed. */
  onError(err: Error): void;
  /** The handle is closed; nothing follows. Exactly once after `close()` or `reset()`. */
  onClose(): void;
}

/**
 * How a `RawConn.write` goes, chunk by chunk. Each call reports that the next `accepted`
 * chunks of the batch (in order, counting on from those reported before) were accepted
 * whole: handed to the kernel, or to a send buffer of the runtime's own that will send
 * them without the adapter's help. A chunk taken only in part is not accepted.
 *
 * - Without `err`, a call reports progress; the write is over once every chunk is
 *   reported. With `err`, the write is over: the chunk after the accepted ones failed with
 *   `err` (`ECANCELED` when `close()`/`reset()` cut it off), and those after it were never
 *   sent. `done` is called no more after that.
 * - A `done` called synchronously inside the `RawConn.write` it belongs to says the
 *   runtime took those chunks at once (libuv's try_write; `EPIPE` and the like at once with
 *   `err`). The core then completes the user's write inside `write()`, as Node does: no
 *   queueing, no `'drain'`; a write failing at once makes `write()` return false. Report
 *   this way whatever the runtime confirms inside its own write call; a runtime that only
 *   tells later (a promise) reports later. The core takes the report once `write`
 *   returned, so it never re-enters the adapter from inside its `write`.
 * - Only what the runtime confirmed counts: where a runtime calls a write's callback
 *   without an error although the handle closed under it (Node 20's `node:net` does), or
 *   cannot tell how much of a batch went out, the adapter reports those chunks as failed.
 *   The core reports success to the user only for accepted chunks (Node's rule: a write
 *   succeeded once libuv handed it to the kernel).
 *
 * @param err Why the write stopped; null or undefined while it goes on or once it is done.
 * @param accepted How many more chunks were accepted, 0 or more.
 */
export type WriteDone = (err: Error | null | undefined, accepted: number) => void;

/** One TCP or Unix connection as the adapter sees it. */
export interface RawConn {
  /**
   * Start (or resume) reading from the kernel into `onData`. Reading is off until the
   * first call: before it the adapter reads nothing (a `pauseOnConnect` socket has read
   * nothing, so closing it with the peer's bytes unread resets the peer, as on Node).
   */
  readStart(): void;
  /**
   * Stop reading from the kernel: the core's backpressure, usually called from inside
   * `onData` once the socket's buffer reached its high-water mark. Like libuv, read no
   * further: what is not read stays in the kernel (node:net's `bytesRead` stops there, and
   * a close with bytes unread sends RST). A read already in flight may complete; its chunk
   * waits for `readStart`. To stop where node:net does, hand `onData` at most 64 KiB at a
   * time, with the chunks of a burst ending on its 64 KiB marks, as libuv's reads do.
   */
  readStop(): void;
  /**
   * Write the chunks in order, as one batch where the runtime can (writev), reporting
   * through `done` which chunks the runtime accepted (see {@link WriteDone}).
   */
  write(chunks: Uint8Array[], done: WriteDone): void;
  /** Half-close: send FIN after all pending writes; `done` once sent (or failed). */
  shutdown(done: (err?: Error | null) => void): void;
  /** Close the connection (FIN where nothing failed). Idempotent; one `onClose` follows. */
  close(): void;
  /** Close with RST so the peer sees ECONNRESET; one `onClose` follows. */
  reset(): void;
  /** TCP_NODELAY on or off. */
  setNoDelay(enable: boolean): void;
  /** SO_KEEPALIVE on or off with the initial delay in milliseconds. */
  setKeepAlive(enable: boolean, initialDelayMs: number): void;
  /** Let the connection keep the process alive (the default). */
  ref(): void;
  /** Do not let the connection keep the process alive. */
  unref(): void;
  /** Our end's address, or undefined while unknown. */
  localAddress(): RawAddress | undefined;
  /** The peer's address, or undefined while unknown. */
  remoteAddress(): RawAddress | undefined;
}

/** Callbacks an adapter makes into the core for one listener. */
export interface ListenerSink {
  /** The listener is bound and accepting. */
  onListening(): void;
  /**
   * A connection was accepted: returns the sink for its calls.
   *
   * Without `attach`, the core calls no method of `conn` but the address getters before
   * returning: what it does meanwhile (the Socket's options and first `readStart`, the
   * user's writes, `end()` or `destroy()` in the `'connection'` listener) reaches `conn` at
   * the next microtask, so such a write is queued and `'drain'` follows where node:net
   * completed it inside `write()` (see {@link WriteDone}).
   *
   * `attach`: pass it when `conn` is connected and takes every `RawConn` call at once, as
   * node:net's accepted socket does inside `'connection'`. The core calls it (with the same
   * sink it returns) before any call on `conn`, then may call every method of `conn` inside
   * `onConnection`. Sink calls and `done`s made inside those calls go through that sink as
   * anywhere else (the core's guard defers them; a write's own `done` completes the user's
   * write inside `write()`). The adapter still takes the sink `onConnection` returns: a
   * listener sink that leaves `attach` uncalled (a test's) calls nothing on `conn` before
   * returning, as without it.
   */
  onConnection(conn: RawConn, attach?: (sink: ConnSink) => void): ConnSink;
  /** Binding or accepting failed. After a bind error the listener is closed. */
  onError(err: Error): void;
}

/** One listening socket as the adapter sees it. */
export interface RawListener {
  /** The bound address (the port chosen for port 0), or undefined before listening. */
  address(): RawAddress | undefined;
  /** Stop accepting and release the socket; `done` once released. Idempotent. */
  close(done: () => void): void;
  /** Let the listener keep the process alive (the default). */
  ref(): void;
  /** Do not let the listener keep the process alive. */
  unref(): void;
}

/** One resolved address, as `dns.lookup(host, { all: true })` gives them. */
export interface LookupAddress {
  /** The IP address. */
  address: string;
  /** 4 or 6. */
  family: 4 | 6;
}

/**
 * getaddrinfo hints by name (Node's `dns.ADDRCONFIG`, `dns.V4MAPPED`, `dns.ALL`); each
 * adapter passes them on as its runtime's lookup takes them. An absent name is off.
 */
export interface LookupHints {
  /** `AI_ADDRCONFIG`: only the families this host has an address of. */
  addrconfig?: boolean;
  /** `AI_V4MAPPED`: IPv4-mapped IPv6 addresses when family 6 finds no IPv6 one. */
  v4mapped?: boolean;
  /** `AI_ALL`: with `v4mapped`, the IPv6 and the IPv4-mapped addresses. */
  all?: boolean;
}

/** Options for the adapter's name resolution. */
export interface LookupOptions {
  /** 0 for any, 4 or 6. */
  family: 0 | 4 | 6;
  /** getaddrinfo hints by name; `{}` for none. */
  hints: LookupHints;
}

/** The numbers a runtime's `node:dns` gives its getaddrinfo hints. */
export interface LookupFlags {
  /** `dns.ADDRCONFIG` (Node on Linux: 32; Deno: 64). */
  readonly addrconfig: number;
  /** `dns.V4MAPPED` (Node on Linux: 8). */
  readonly v4mapped: number;
  /** `dns.ALL` (Node on Linux: 16). */
  readonly all: number;
}

/** What the core must know of the OS and runtime below an adapter and may not guess. */
export interface PlatformFacts {
  /**
   * Node's `errno` for a system error code on this platform (negative, as in
   * `util.getSystemErrorMap()`: `ECONNREFUSED` is -111 on Linux, -61 on macOS), or
   * undefined for a code the platform does not have. `UNKNOWN` always has one.
   */
  errno(code: string): number | undefined;
  /** The runtime's `dns.ADDRCONFIG` …: a user's numeric `hints` is read with these. */
  readonly lookupFlags: LookupFlags;
  /** The hints of a connect without a family: Node's `dns.ADDRCONFIG`, none on Windows. */
  readonly defaultLookupHints: LookupHints;
  /**
   * The longest Unix socket path the OS takes, in bytes: the size of `sun_path` (Linux 108,
   * macOS and the BSDs 104). A longer path fails with Node 24's `EINVAL` (Node 20
   * truncated it). Undefined where there is no such limit to enforce.
   */
  readonly maxPipePathBytes: number | undefined;
}

/** What a warning is, as `process.emitWarning(message, { type, code })` takes it. */
export interface WarningOptions {
  /** The warning's name (`"UnsupportedWarning"`, `"TimeoutOverflowWarning"` …). */
  type: string;
  /** A code to tell the warning by (`"OMNINET_KEEPALIVE_DELAY"`). */
  code?: string;
}

/** How a client TLS session is set up on a connection ({@link UpgradableConn.startTls}). */
export interface TlsClientOptions {
  /**
   * The name the server's certificate must be valid for, also sent as SNI unless it is an
   * IP address.
   */
  serverName: string;
  /**
   * CA certificates (PEM) to trust instead of the runtime's default ones. An omninet
   * extension for tests and private CAs; absent, the runtime's defaults.
   */
  ca?: string[];
}

/** A TCP connection that can become a TLS client connection later (STARTTLS). */
export interface UpgradableConn extends RawConn {
  /**
   * Start TLS as a client over this connection, through the runtime's own TLS; call it
   * once connected. This conn is consumed: it makes no further sink calls, and its methods
   * no longer reach the transport but `close()`/`reset()`, which report its one `onClose`
   * without touching the connection. The returned conn owns the connection: its sink gets
   * `onConnect` once the handshake succeeded, or `onError` (then `onClose`) if it failed.
   */
  startTls(options: TlsClientOptions, sink: ConnSink): RawConn;
}

/** One runtime's raw TCP and Unix-socket handles, translated to the shape above. */
export interface RuntimeAdapter {
  /** `"node"`, `"deno"`, `"bun"`, `"memory"` … */
  readonly name: string;
  /** What this runtime can do. */
  readonly capabilities: Capabilities;
  /** Facts of the OS and runtime: errno numbers, getaddrinfo flags and defaults. */
  readonly platform: PlatformFacts;
  /**
   * Report a process warning, as Node's `process.emitWarning` does (printed once to
   * stderr, a `'warning'` event on `process`). The core warns only through this.
   */
  emitWarning(message: string, options: WarningOptions): void;
  /** Open an outgoing connection; `sink.onConnect` or `sink.onError` follows. */
  connect(options: ConnectOptions, sink: ConnSink): RawConn;
  /** Bind and listen; `sink.onListening` or `sink.onError` follows. */
  listen(options: ListenOptions, sink: ListenerSink): RawListener;
  /**
   * Resolve a host name to addresses, in the order the system gives them. Rejects with a
   * Node-shaped `getaddrinfo` error (`ENOTFOUND`, `EAI_AGAIN` …).
   */
  lookup(hostname: string, options: LookupOptions): Promise<LookupAddress[]>;
  /**
   * Optional: open a TCP connection as `connect` does, one that can start TLS later
   * (`startTls`). Adapters that have it give the Sockets API (`@omninet/net/sockets`) its
   * `secureTransport: "on"` and `"starttls"`; without it those are refused.
   */
  connectUpgradable?(options: TcpConnectOptions, sink: ConnSink): UpgradableConn;
}
