/**
 * The listener side of the adapter contract: where to listen, the calls the core makes on a
 * listener (`RawListener`) and the calls the adapter makes back (`ListenerSink`), accepting
 * included. Part of the adapter contract (`src/contract.ts`, which re-exports it).
 *
 * @module
 */

import type { ConnSink, RawConn } from "./contract_conn.ts";
import type { RawAddress } from "./contract_platform.ts";

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
