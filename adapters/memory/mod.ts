/**
 * The memory adapter: an in-process network for omninet's core, with the kernel's
 * semantics and no sockets. Each {@link createMemoryAdapter} call makes a network of its
 * own; servers and clients bound to it through `createNet` behave as on loopback:
 * ephemeral ports (32768–60999), wildcard and dual-stack listeners, `EADDRINUSE`,
 * `ECONNREFUSED`, Unix socket paths (`ENOENT` when nothing listens), FIN, RST, write
 * backpressure through the kernel's buffers per direction ({@link TCP_KERNEL_BUFFER},
 * {@link KERNEL_BUFFER} for a Unix socket; what they take is written at once), and Linux's
 * answers to writes and reads after the peer closed (see `conn.ts`, `peer_close.ts`).
 *
 * The machine is loopback only: a listener (or a connect's `localAddress`) may bind
 * `127.0.0.0/8`, `::1` and the wildcards; any other address fails with `EADDRNOTAVAIL`.
 * Names resolve through a hosts table (`hosts`): by default `localhost` → `127.0.0.1`
 * only; IP literals resolve to themselves, anything else fails with `getaddrinfo
 * ENOTFOUND`. Unix socket paths live in the network's own namespace; given a file system
 * (`fs`), paths that exist there, or whose directory does not, fail as on Linux (see
 * {@link MemoryFileSystem}); without one, every directory exists and no file does.
 *
 * Nothing in a memory network holds the event loop open: a process whose only work is a
 * listening memory server exits. `ref`/`unref`, `setNoDelay` and `setKeepAlive` are
 * accepted and remembered, with no other effect. `backlog`, `readableAll` and
 * `writableAll` are ignored; `reusePort` is not supported.
 *
 * Faults on demand ({@link MemoryAdapter.faults}): refused or hanging connects, a full
 * backlog, resets and FINs mid-stream, slow readers, fragmentation and latency, each
 * scoped to a host, port, path or one connection, and removable. None by default.
 *
 * @example
 * ```ts
 * import { createMemoryAdapter } from "@omninet/net/adapters/memory";
 * import { createNet } from "@omninet/net";
 *
 * const net = createNet(createMemoryAdapter());
 * const server = net.createServer((socket) => socket.pipe(socket));
 * server.listen(7, "127.0.0.1", () => {
 *   const client = net.connect(7, "127.0.0.1", () => client.end("ping"));
 *   client.on("data", (data) => console.log(String(data))); // "ping"
 *   client.on("close", () => server.close());
 * });
 * ```
 *
 * @module
 */
import { setImmediate, setTimeout } from "node:timers";
import type {
  Capabilities,
  ConnectOptions,
  ConnSink,
  ListenerSink,
  ListenOptions,
  LookupFlags,
  RawConn,
  RawListener,
  RuntimeAdapter,
  WarningOptions,
} from "../../src/contract.ts";
import { linuxPlatform } from "../_shared/linux_platform.ts";
import { MemoryConn } from "./conn.ts";
import { FaultTable, type Wire } from "./fault_table.ts";
import type { MemoryFaults } from "./faults.ts";
import type { MemoryFileSystem } from "./files.ts";
import { DEFAULT_HOSTS, type HostsTable, resolver } from "./hosts.ts";
import { MemoryListener } from "./listener.ts";
import { MemoryNetwork } from "./network.ts";
import { route } from "./routing.ts";

export { KERNEL_BUFFER, TCP_KERNEL_BUFFER } from "./conn.ts";
export { DEFAULT_HOSTS, type HostsTable } from "./hosts.ts";
export type { FileType, MemoryFileSystem } from "./files.ts";
/** The adapter contract's types, which this module's signatures name. */
export type * from "../../src/contract.ts";
export type {
  DirectionFaultOptions,
  Fault,
  FaultScope,
  FragmentOptions,
  MemoryFaults,
  Side,
  SlowReaderOptions,
  StreamFaultOptions,
} from "./faults.ts";

/** Options of {@link createMemoryAdapter}. */
export interface MemoryAdapterOptions {
  /**
   * Where the core's warnings go (`TimeoutOverflowWarning` …). The memory adapter reaches
   * no runtime global, so it does not call `process.emitWarning` itself.
   * @default printing `Type: message` with `console.warn`
   */
  emitWarning?: (message: string, options: WarningOptions) => void;
  /**
   * The numbers a user's numeric `hints` is read with: pass the running runtime's
   * `dns.ADDRCONFIG`, `dns.V4MAPPED`, `dns.ALL` where they are not Linux's (Deno's are
   * not). The memory adapter imports no `node:dns` to find them itself.
   * @default Node's on Linux (`{ addrconfig: 32, v4mapped: 8, all: 16 }`)
   */
  lookupFlags?: LookupFlags;
  /**
   * The hosts table names resolve through: each name (case-insensitive) with its IP
   * addresses, in the order a family-0 lookup returns them. It replaces the default;
   * whether `localhost` has `::1` too depends on a machine's `/etc/hosts`, so add it where
   * the machine under test has it. Throws a TypeError for an entry that is not an IP.
   * @default {@link DEFAULT_HOSTS}: `{ localhost: ["127.0.0.1"] }`
   */
  hosts?: HostsTable;
  /**
   * The file system Unix socket paths are checked against (read-only; see
   * {@link MemoryFileSystem}): `listen` on a path that exists there fails with
   * `EADDRINUSE`, in a missing directory with `EACCES`; `connect` to an existing
   * non-listening path with `ECONNREFUSED`. The network never writes to it.
   * @default none: every directory exists and no file does
   */
  fs?: MemoryFileSystem;
}

/** A {@link RuntimeAdapter} over one isolated in-process network. */
export interface MemoryAdapter extends RuntimeAdapter {
  /** Always `"memory"`. */
  readonly name: "memory";
  /**
   * The network's faults on demand: refused or hanging connects, resets and FINs
   * mid-stream, slow readers, fragmentation, latency (see {@link MemoryFaults}). None by
   * default.
   *
   * @example
   * ```ts
   * import { createMemoryAdapter } from "@omninet/net/adapters/memory";
   *
   * const memory = createMemoryAdapter();
   * const fault = memory.faults.refuse({ port: 6379, count: 1 });
   * fault.remove();
   * ```
   */
  readonly faults: MemoryFaults;
}

const capabilities: Capabilities = Object.freeze({
  unix: true,
  halfOpen: true,
  noDelay: true,
  keepAlive: true,
  keepAliveDelay: true,
  reusePort: false,
  ipv6Only: true,
  reset: true,
  localBind: true,
  syncWrite: true,
  pipeReset: true,
});

/**
 * A new, empty in-process network as an omninet adapter. Networks are isolated: a port
 * bound in one is not seen from another.
 *
 * @example
 * ```ts
 * import { createMemoryAdapter } from "@omninet/net/adapters/memory";
 * import { createNet } from "@omninet/net";
 *
 * const a = createNet(createMemoryAdapter());
 * const b = createNet(createMemoryAdapter());
 * a.createServer().listen(8080, "127.0.0.1");
 * b.connect(8080, "127.0.0.1").on("error", (err) => console.log(err.message));
 * // "connect ECONNREFUSED 127.0.0.1:8080"
 * ```
 */
export function createMemoryAdapter(options: MemoryAdapterOptions = {}): MemoryAdapter {
  const network = new MemoryNetwork(options.fs);
  const faults = new FaultTable();
  const lookup = resolver(options.hosts ?? DEFAULT_HOSTS);
  return {
    name: "memory",
    faults,
    capabilities,
    // The network behaves as Linux loopback: Linux's errno numbers and getaddrinfo flags.
    platform: options.lookupFlags ? { ...linuxPlatform, lookupFlags: options.lookupFlags } : linuxPlatform,
    emitWarning: options.emitWarning ?? printWarning,
    connect(options: ConnectOptions, sink: ConnSink): RawConn {
      const conn = new MemoryConn(sink);
      const wire: Wire = "path" in options
        ? { path: options.path }
        : { host: options.host, port: options.port, localPort: options.localPort };
      // A latency fault delays the handshake by a round trip.
      const rtt = faults.streaming ? faults.delay(wire, "client") + faults.delay(wire, "server") : 0;
      const go = () => route(network, faults, conn, options, wire);
      if (rtt > 0) setTimeout(go, rtt);
      else setImmediate(go);
      return conn;
    },
    listen(options: ListenOptions, sink: ListenerSink): RawListener {
      return new MemoryListener(network, options, sink);
    },
    lookup,
  };
}

function printWarning(message: string, options: WarningOptions): void {
  console.warn(`${options.type}: ${message}`);
}
