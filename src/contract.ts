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
 * The types are grouped by side, each group in a file of its own and re-exported here:
 * `contract_conn.ts` (connections), `contract_listener.ts` (listeners),
 * `contract_platform.ts` (addresses, name resolution, platform facts) and
 * `capabilities.ts`. This file keeps the one shape that ties them together,
 * {@link RuntimeAdapter}.
 *
 * @module
 */

export type { Capabilities } from "./capabilities.ts";
export type {
  ConnectOptions,
  ConnSink,
  PipeConnectOptions,
  RawConn,
  TcpConnectOptions,
  TlsClientOptions,
  UpgradableConn,
  WriteDone,
} from "./contract_conn.ts";
export type {
  ListenerSink,
  ListenOptions,
  PipeListenOptions,
  RawListener,
  TcpListenOptions,
} from "./contract_listener.ts";
export type {
  Family,
  InetAddress,
  LookupAddress,
  LookupFlags,
  LookupHints,
  LookupOptions,
  PipeAddress,
  PlatformFacts,
  RawAddress,
  WarningOptions,
} from "./contract_platform.ts";

import type { Capabilities } from "./capabilities.ts";
import type { ConnectOptions, ConnSink, RawConn, TcpConnectOptions, UpgradableConn } from "./contract_conn.ts";
import type { ListenerSink, ListenOptions, RawListener } from "./contract_listener.ts";
import type { LookupAddress, LookupOptions, PlatformFacts, WarningOptions } from "./contract_platform.ts";

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
