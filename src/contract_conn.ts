/**
 * The connection side of the adapter contract: where to connect, the calls the core makes
 * on a connection (`RawConn`), the calls the adapter makes back (`ConnSink`, `WriteDone`),
 * and a connection that can start TLS later. Part of the adapter contract
 * (`src/contract.ts`, which re-exports it and states the rules every adapter keeps).
 *
 * @module
 */

import type { RawAddress } from "./contract_platform.ts";

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
