/**
 * The Deno adapters: omninet's contract over Deno's own sockets (`Deno.connect`,
 * `Deno.listen`, TCP and Unix: {@link adapter}, the default), or over Deno's libuv-style
 * stream handles (the native `TCP`/`Pipe` handles of `process.binding('tcp_wrap' |
 * 'pipe_wrap')` that Deno's `node:net` runs on, driven by the Node adapter's
 * HandleConn/HandleListener with Deno's differences smoothed in `_handles.ts`:
 * {@link handlesAdapter}, opt-in); getaddrinfo through Deno's `node:dns` `lookup`.
 *
 * The module loads on any runtime (the library's entry point imports every adapter); it
 * touches `Deno` only when called.
 *
 * On Deno.connect: a connection that binds its local end (`localAddress`/`localPort`) or
 * goes to port 0 is opened with Deno's `node:net`; no RST (`reset()` closes with FIN), no
 * `ipv6Only`, `reusePort` only with `--unstable-net`, keep-alive without its delay. On the
 * handles: RST (`reset`), `reusePort` (without `--unstable-net`), the keep-alive delay, and
 * writes completing inside `write()` (`syncWrite`) work; `ipv6Only` does not.
 *
 * @example
 * ```ts
 * import { adapter } from "./adapters/deno/mod.ts";
 * import { createNet } from "./src/net.ts";
 *
 * const net = createNet(adapter);
 * ```
 *
 * @module
 */
import dns from "node:dns";
import type {
  Capabilities,
  ConnectOptions,
  ConnSink,
  ListenerSink,
  ListenOptions,
  LookupAddress,
  LookupOptions,
  RawConn,
  RawListener,
  RuntimeAdapter,
} from "../../src/contract.ts";
import { denoApi, hasUnstableNet } from "./_deno_api.ts";
import { denoHandles } from "./_handles.ts";
import { type Libuv, libuv } from "../node/_libuv.ts";
import { connectHandle } from "../node/handle_conn.ts";
import { listenHandle } from "../node/handle_listener.ts";
import { DenoRawConn } from "./conn.ts";
import { connectNodeNet } from "../node/conn.ts";
import { emitWarning, runtimeHints, runtimePlatform } from "../_shared/runtime_platform.ts";
import { lookupError } from "./errors.ts";
import { DenoRawListener } from "./listener.ts";
import { connectUpgradable } from "../_shared/node_tls.ts";

let connCapabilities: Capabilities | undefined;
let handlesCapabilities: Capabilities | undefined;

/** What the adapter can do over `Deno.connect`/`Deno.listen`. */
function capabilitiesOf(): Capabilities {
  connCapabilities ??= {
    unix: true,
    halfOpen: true,
    noDelay: true,
    keepAlive: true,
    // Deno.TcpConn.setKeepAlive takes no delay: the system's TCP_KEEPIDLE applies.
    keepAliveDelay: false,
    reusePort: hasUnstableNet(),
    ipv6Only: false,
    reset: false,
    localBind: true,
    pipeReset: true,
  };
  return connCapabilities;
}

/** What it can do over Deno's handles (those of `Deno.connect` where they are not used). */
function handlesCapabilitiesOf(): Capabilities {
  if (transport(true) === null) return capabilitiesOf();
  handlesCapabilities ??= {
    ...capabilitiesOf(),
    // RST, the keep-alive delay and SO_REUSEPORT (without --unstable-net) reach the socket.
    keepAliveDelay: true,
    reusePort: true,
    reset: true,
    // A write the handle's try_write took reports inside write(), as on Node.
    syncWrite: true,
    // No reentrySafe: Deno calls a pending write's oncomplete (ECANCELED) inside close(),
    // where libuv calls it from its close phase, so the core's guard stays. No closePhase
    // either: Deno's close callback is not libuv's close phase.
  };
  return handlesCapabilities;
}

/**
 * The default adapter's transport, unless `OMNINET_DENO_TRANSPORT` (`handles` or `conn`,
 * read only where `--allow-env` grants it) says otherwise: `Deno.connect`/`Deno.listen`.
 * Deno's handles measure faster and leaner, but three of Deno's behaviours no adapter can
 * hide keep them opt-in ({@link handlesAdapter}; tests/deno/handles_test.ts lists the
 * scenarios): a write in 'connection' cannot complete inside `write()`, writes queued in
 * Deno fail with EPIPE once the socket reads EOF, and every write failure is EPIPE
 * (scripts/investigate/deno_tcp_wrap.md).
 */
const DEFAULT_TRANSPORT: "handles" | "conn" = "conn";

let envChoice: Libuv | null | undefined;

/**
 * Deno's own libuv-style handles (the ones its node:net runs on), run through the Node
 * adapter's HandleConn/HandleListener, when `wanted` (else by the default and the
 * environment); null where this Deno lacks them or its permissions are limited: a
 * handle's connect or bind refused by them throws (NotCapable) instead of failing, and
 * Deno.connect's error names the missing flag.
 */
function transport(wanted?: boolean): Libuv | null {
  if (wanted === undefined) {
    if (envChoice === undefined) {
      envChoice = transport((envTransport() ?? DEFAULT_TRANSPORT) === "handles");
    }
    return envChoice;
  }
  if (!wanted) return null;
  // `libuv` is Deno's handles here (adapters/node/_libuv.ts loads them on Deno), the ones
  // the Node adapter's HandleConn, which connectHandle makes, runs on. Asked once: a
  // permission query costs more than a connection's own work.
  handles ??= fullyPermitted() && libuv === denoHandles() ? libuv : null;
  return handles;
}

let handles: Libuv | null | undefined;

function fullyPermitted(): boolean {
  try {
    const query = denoApi().permissions?.querySync;
    if (query === undefined) return false;
    return (["net", "read", "write"] as const).every((name) => query({ name }).state === "granted");
  } catch {
    return false;
  }
}

function envTransport(): string | undefined {
  const name = "OMNINET_DENO_TRANSPORT";
  try {
    // Asked first, so that a run without --allow-env is never prompted.
    const d = denoApi();
    if (d.permissions?.querySync?.({ name: "env", variable: name }).state !== "granted") return undefined;
    return d.env?.get(name);
  } catch {
    return undefined; // no --allow-env: the default
  }
}

// What Deno.connect cannot do, Deno's own node:net can: bind the local end
// (`localAddress`/`localPort`), and connect to port 0 (Deno.connect refuses the port
// without trying; the system says ECONNREFUSED, as Node reports). Those connections are
// node:net sockets, wrapped as the Node adapter wraps them.
function needsNodeNet(options: ConnectOptions): boolean {
  return !("path" in options) &&
    (options.localAddress !== undefined || options.localPort !== undefined || options.port === 0);
}

function connectWith(uv: Libuv | null, options: ConnectOptions, sink: ConnSink): RawConn {
  if (uv !== null) return connectHandle(options, sink);
  if (needsNodeNet(options)) return connectNodeNet(options, sink);
  const conn = new DenoRawConn(null, sink);
  conn.connect(options);
  return conn;
}

function listenWith(uv: Libuv | null, options: ListenOptions, sink: ListenerSink): RawListener {
  if (uv !== null) return listenHandle(options, sink);
  const listener = new DenoRawListener(sink);
  listener.listen(options);
  return listener;
}

// getaddrinfo(3) through Deno's node:dns (Deno.resolveDns would query DNS servers and
// skip /etc/hosts). `order: "verbatim"` keeps the system's order. `hints` pass through
// untouched: they are Deno's own `dns.ADDRCONFIG`… values, which differ from Node's.
// `dns.lookup` is read at each call, as node:net does: applications and tests replace it.
function lookup(hostname: string, options: LookupOptions): Promise<LookupAddress[]> {
  return new Promise((resolve, reject) => {
    const done = (err: NodeJS.ErrnoException | null, addresses: { address: string; family: number }[]) => {
      if (err) reject(lookupError(err, hostname));
      else resolve(addresses.map((a) => ({ address: a.address, family: a.family === 6 ? 6 : 4 })));
    };
    try {
      dns.lookup(
        hostname,
        { all: true, family: options.family, hints: runtimeHints(options.hints), order: "verbatim" },
        done,
      );
    } catch (err) {
      reject(err); // Deno's argument validation (hints it does not know): an ERR_* error
    }
  });
}

/**
 * omninet's adapter for Deno: `Deno.connect` / `Deno.listen` (Deno's handles only where
 * `OMNINET_DENO_TRANSPORT=handles` asks for them).
 *
 * @example
 * ```ts
 * import { adapter } from "./adapters/deno/mod.ts";
 *
 * console.log(adapter.capabilities.unix); // true
 * ```
 */
export const adapter: RuntimeAdapter = {
  name: "deno",
  get capabilities(): Capabilities {
    return transport() === null ? capabilitiesOf() : handlesCapabilitiesOf();
  },
  platform: runtimePlatform,
  emitWarning,
  connect: (options, sink) => connectWith(transport(), options, sink),
  listen: (options, sink) => listenWith(transport(), options, sink),
  lookup,
  connectUpgradable,
};

/**
 * omninet's adapter for Deno over Deno's own libuv-style handles, the ones Deno's
 * `node:net` runs on: about half the memory per connection of {@link adapter} and faster
 * with many connections, with RST, `reusePort` and writes completing inside `write()`.
 * Opt-in (`createNet(handlesAdapter)`): a write in 'connection' is queued (Deno's poll
 * has not taken the socket yet), Deno fails writes it queued with EPIPE once the socket
 * reads EOF, and reports ECONNRESET as EPIPE (scripts/investigate/deno_tcp_wrap.md).
 * Where Deno lacks the handles or its permissions are limited, it is {@link adapter}'s
 * transport.
 *
 * @example
 * ```ts
 * import { handlesAdapter } from "./adapters/deno/mod.ts";
 * import { createNet } from "./src/net.ts";
 *
 * const net = createNet(handlesAdapter);
 * ```
 */
export const handlesAdapter: RuntimeAdapter = {
  name: "deno",
  get capabilities(): Capabilities {
    return handlesCapabilitiesOf();
  },
  platform: runtimePlatform,
  emitWarning,
  connect: (options, sink) => connectWith(transport(true), options, sink),
  listen: (options, sink) => listenWith(transport(true), options, sink),
  lookup,
  connectUpgradable,
};
