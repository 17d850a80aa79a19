/**
 * The Cloudflare Workers adapter: omninet's `net.connect` / `net.Socket` inside a Worker
 * (workerd), over `connect()` of `cloudflare:sockets`. Client side only.
 *
 * The module loads on any runtime: `cloudflare:sockets` is imported on the first connect.
 *
 * What a Worker cannot do, and says so in {@link adapter}'s capabilities:
 * - `listen` (a Worker accepts no TCP): `server.listen()` emits `'error'` with Node's
 *   `ERR_FEATURE_UNAVAILABLE_ON_PLATFORM`.
 * - Unix sockets (`unix: false`): `connect({ path })` throws that error.
 * - `setNoDelay` / `setKeepAlive` (`noDelay`, `keepAlive`: false): cloudflare:sockets has no
 *   socket options; the calls return the socket and change nothing (a keep-alive delay
 *   warns once, as on every runtime that cannot set it).
 * - RST (`reset: false`): `resetAndDestroy()` throws; `localAddress`/`localPort` binding
 *   (`localBind: false`); `socket.localAddress`/`localPort` stay undefined (not exposed).
 * - Writes: a chunk counts as written (its callback says ok) once workerd's writer took it,
 *   at once while under 64 KiB are in flight, as a kernel's send buffer takes it
 *   (`_write_queue.ts`); `destroy()` closes at once while workerd sends those on its own.
 * - Half-close works (`halfOpen: true`): sockets are opened with `allowHalfOpen: true` and
 *   `end()` closes only the writable stream (FIN) while reading goes on.
 * - Name resolution: a Worker has no `getaddrinfo`; `connect()` of cloudflare:sockets
 *   resolves names itself but the contract hands adapters IP addresses only. So
 *   {@link adapter}'s `lookup` answers `localhost` (and `*.localhost`, RFC 6761) with the
 *   loopback addresses and rejects every other name with `EAI_FAIL` (a non-recoverable
 *   failure: there is no resolver, so `ENOTFOUND` would be a guess), naming the remedy: a
 *   `lookup` option to `net.connect` (for example a DNS-over-HTTPS query made with `fetch`),
 *   or {@link createWorkerdAdapter}'s `lookup`.
 * - Connect errors: workerd reports a refused port, a forbidden address and an unknown host
 *   with one message, so they become `UNKNOWN` (original as `cause`), never a guessed
 *   ECONNREFUSED.
 *
 * @example
 * ```ts
 * import { adapter } from "./adapters/workerd/mod.ts";
 * import { createNet } from "./src/net.ts";
 *
 * const net = createNet(adapter);
 * export default {
 *   async fetch(): Promise<Response> {
 *     const socket = net.connect(6379, "127.0.0.1");
 *     socket.end("PING\r\n");
 *     const chunks: Uint8Array[] = [];
 *     for await (const chunk of socket) chunks.push(chunk);
 *     return new Response(new Blob(chunks));
 *   },
 * };
 * ```
 *
 * @module
 */
import type {
  Capabilities,
  ConnectOptions,
  ConnSink,
  ListenerSink,
  ListenOptions,
  LookupAddress,
  LookupOptions,
  RawAddress,
  RawConn,
  RawListener,
  RuntimeAdapter,
  WarningOptions,
} from "../../src/contract.ts";
import { ERR_FEATURE_UNAVAILABLE_ON_PLATFORM } from "../../src/errors/errors.ts";
import { systemError } from "../../src/errors/system_errors.ts";
import { linuxPlatform } from "../_shared/linux_platform.ts";
import { deliver } from "../_shared/deliver.ts";
import { type CfConnect, loadConnect } from "./_sockets.ts";
import { WorkerdRawConn } from "./conn.ts";

export type {
  CfConnect,
  CfSocket,
  SocketAddress as CfSocketAddress,
  SocketInfo as CfSocketInfo,
  SocketOptions as CfSocketOptions,
} from "./_sockets.ts";

/** What a Worker's sockets can do (see the module doc for each `false`). */
const capabilities: Capabilities = Object.freeze({
  unix: false,
  halfOpen: true,
  noDelay: false,
  keepAlive: false,
  keepAliveDelay: false,
  reusePort: false,
  ipv6Only: false,
  reset: false,
  localBind: false,
  syncWrite: true,
});

/** Options of {@link createWorkerdAdapter}. */
export interface WorkerdAdapterOptions {
  /**
   * The `connect` of `cloudflare:sockets` (or a stand-in with its shape).
   * @default the one imported from `cloudflare:sockets` on first use
   */
  connect?: CfConnect;
  /**
   * Name resolution for names other than `localhost`, in the contract's shape.
   * @default none: such names fail with `EAI_FAIL`
   */
  lookup?: (hostname: string, options: LookupOptions) => Promise<LookupAddress[]>;
}

// RFC 6761: `localhost` and `*.localhost` are loopback, without asking any resolver.
function isLocalhost(hostname: string): boolean {
  const name = hostname.toLowerCase().replace(/\.$/, "");
  return name === "localhost" || name.endsWith(".localhost");
}

function localhostAddresses(family: 0 | 4 | 6): LookupAddress[] {
  const v4: LookupAddress = { address: "127.0.0.1", family: 4 };
  const v6: LookupAddress = { address: "::1", family: 6 };
  return family === 4 ? [v4] : family === 6 ? [v6] : [v4, v6];
}

function noResolver(hostname: string): Promise<LookupAddress[]> {
  const err = systemError(linuxPlatform, "EAI_FAIL", "getaddrinfo", { hostname });
  err.message += " (a Worker has no resolver: pass a `lookup` option to net.connect)";
  return Promise.reject(err);
}

function emitWarning(message: string, options: WarningOptions): void {
  // workerd's nodejs_compat `process` has emitWarning; without it, the console.
  const proc = (globalThis as { process?: { emitWarning?: (m: string, o: WarningOptions) => void } }).process;
  if (typeof proc?.emitWarning === "function") proc.emitWarning(message, options);
  else console.warn(`(omninet) ${options.type}: ${message}`);
}

/** A listener that never binds: a Worker accepts no TCP connections. */
class UnavailableListener implements RawListener {
  constructor(sink: ListenerSink) {
    deliver(() => sink.onError(ERR_FEATURE_UNAVAILABLE_ON_PLATFORM("server.listen()", "workerd")));
  }
  address(): RawAddress | undefined {
    return undefined;
  }
  close(done: () => void): void {
    done();
  }
  ref(): void {}
  unref(): void {}
}

/**
 * An adapter over a given `connect` (tests, or a Worker that imported it itself) and an
 * optional resolver.
 *
 * @example
 * ```ts
 * import { connect } from "cloudflare:sockets";
 * import { createWorkerdAdapter } from "./adapters/workerd/mod.ts";
 * import { createNet } from "./src/net.ts";
 *
 * const net = createNet(createWorkerdAdapter({ connect }));
 * ```
 */
export function createWorkerdAdapter(options: WorkerdAdapterOptions = {}): RuntimeAdapter {
  const resolve = options.lookup;
  return {
    name: "workerd",
    capabilities,
    platform: linuxPlatform,
    emitWarning,
    connect(target: ConnectOptions, sink: ConnSink): RawConn {
      // The core checks capabilities.unix before it gets here; a path is a bug.
      if ("path" in target) throw ERR_FEATURE_UNAVAILABLE_ON_PLATFORM("options.path", "workerd");
      const conn = new WorkerdRawConn(target, sink);
      conn.start(options.connect ? Promise.resolve(options.connect) : loadConnect());
      return conn;
    },
    listen(_target: ListenOptions, sink: ListenerSink): RawListener {
      return new UnavailableListener(sink);
    },
    lookup(hostname: string, lookupOptions: LookupOptions): Promise<LookupAddress[]> {
      if (isLocalhost(hostname)) return Promise.resolve(localhostAddresses(lookupOptions.family));
      return resolve ? resolve(hostname, lookupOptions) : noResolver(hostname);
    },
  };
}

/**
 * omninet's adapter for Cloudflare Workers (`cloudflare:sockets`, imported on first connect).
 *
 * @example
 * ```ts
 * import { adapter } from "./adapters/workerd/mod.ts";
 *
 * console.log(adapter.capabilities.halfOpen); // true
 * ```
 */
export const adapter: RuntimeAdapter = createWorkerdAdapter();
