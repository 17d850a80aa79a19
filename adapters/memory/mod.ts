/**
 * The memory adapter: an in-process network for omninet's core, with the kernel's
 * semantics and no sockets. Each {@link createMemoryAdapter} call makes a network of its
 * own; servers and clients bound to it through `createNet` behave as on loopback:
 * ephemeral ports (32768–60999), wildcard and dual-stack listeners, `EADDRINUSE`,
 * `ECONNREFUSED`, Unix socket paths (`ENOENT` when nothing listens), FIN, RST, write
 * backpressure through a bounded buffer of 256 KiB per direction, and Linux's answers to
 * writes after the peer closed (see `conn.ts`).
 *
 * Every address belongs to the virtual machine: a listener may bind any IP address.
 * Names: an IP literal resolves to itself, `localhost` to `127.0.0.1` (to `::1` when
 * family 6 is asked), anything else fails with `getaddrinfo ENOTFOUND`.
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
import { isIP, isIPv4 } from "../../src/address/ip.ts";
import type {
  Capabilities,
  ConnectOptions,
  ConnSink,
  Family,
  InetAddress,
  ListenerSink,
  ListenOptions,
  LookupAddress,
  LookupFlags,
  LookupOptions,
  RawConn,
  RawListener,
  RuntimeAdapter,
  TcpConnectOptions,
  WarningOptions,
} from "../../src/contract.ts";
import { linuxPlatform } from "../_shared/linux_platform.ts";
import { MemoryConn } from "./conn.ts";
import { connectionRefused, hostNotFound, noFreePort, noSuchPath, pathRefused } from "./errors.ts";
import { FaultTable, type Wire } from "./fault_table.ts";
import type { MemoryFaults, Side } from "./faults.ts";
import { canonicalIP, MemoryListener, MemoryNetwork } from "./listener.ts";

export { KERNEL_BUFFER } from "./conn.ts";
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
  const network = new MemoryNetwork();
  const faults = new FaultTable();
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

/** Complete a connect attempt on the network's own turn. */
function route(
  network: MemoryNetwork,
  faults: FaultTable,
  conn: MemoryConn,
  options: ConnectOptions,
  wire: Wire,
): void {
  if (conn.closed) return; // closed while connecting: its onClose is on the way
  if (!("path" in options)) {
    routeTcp(network, faults, conn, options, wire);
    return;
  }
  const listener = network.findPath(options.path);
  // A fault may refuse the connect or hold it (its SYN dropped) until the fault is removed.
  const fate = faults.onConnect(wire, listener !== undefined, () => route(network, faults, conn, options, wire));
  if (fate === "refuse") return conn.failed(pathRefused(options.path));
  if (fate === "hold") return;
  if (listener === undefined) {
    conn.failed(noSuchPath(options.path));
    return;
  }
  const server = new MemoryConn();
  const path = { path: options.path };
  const fault = (side: Side) => ({ table: faults, wire, side });
  MemoryConn.link(
    conn,
    { local: { path: "" }, remote: path, faults: fault("client") },
    server,
    { local: path, remote: { path: "" }, faults: fault("server") },
  );
  listener.accept(server);
  conn.connected();
}

function routeTcp(
  network: MemoryNetwork,
  faults: FaultTable,
  conn: MemoryConn,
  options: TcpConnectOptions,
  wire: Wire,
): void {
  const { family, port } = options;
  let host = canonicalIP(options.host, family);
  if (host === "0.0.0.0") host = "127.0.0.1"; // as Linux: the unspecified address is this host
  else if (host === "::") host = "::1";
  const [wireHost, wireFamily] = onWire(host, family);
  const listening = network.findTcp(wireHost, wireFamily, port) !== undefined;
  const retry = () => route(network, faults, conn, options, wire);
  const fate = faults.onConnect(wire, listening, retry);
  if (fate === "refuse") return conn.failed(connectionRefused(options.host, port));
  if (fate === "hold") return;
  const wildcard = family === 4 ? "0.0.0.0" : "::";
  const bindAddress = options.localAddress ? canonicalIP(options.localAddress, family) : wildcard;
  const localHost = bindAddress === wildcard ? host : bindAddress;
  const localPort = network.takePort(options.localAddress ?? wildcard, family, options.localPort ?? 0);
  if (localPort instanceof Error) return conn.failed(localPort);
  if (localPort === 0) return conn.failed(noFreePort(options.host, port));
  wire.localPort = localPort;
  const binding = network.findTcp(wireHost, wireFamily, port);
  if (binding === undefined) {
    network.releasePort(localPort);
    return conn.failed(connectionRefused(options.host, port));
  }
  // What the accepting side sees: IPv4 peers of a dual-stack listener as `::ffff:a.b.c.d`.
  const seen = ([address, fam]: [string, 4 | 6], p: number): InetAddress =>
    binding.family === 6 && fam === 4
      ? { address: `::ffff:${address}`, family: "IPv6", port: p }
      : { address, family: familyName(fam), port: p };
  const server = new MemoryConn();
  MemoryConn.link(
    conn,
    {
      local: { address: localHost, family: familyName(family), port: localPort },
      remote: { address: host, family: familyName(family), port },
      release: () => network.releasePort(localPort),
      faults: { table: faults, wire, side: "client" },
    },
    server,
    {
      local: seen([wireHost, wireFamily], port),
      remote: seen(onWire(localHost, family), localPort),
      faults: { table: faults, wire, side: "server" },
    },
  );
  binding.listener.accept(server);
  conn.connected();
}

/** The address a packet carries: an IPv4-mapped IPv6 address travels as IPv4. */
function onWire(address: string, family: 4 | 6): [string, 4 | 6] {
  if (family === 6 && address.startsWith("::ffff:") && isIPv4(address.slice(7))) return [address.slice(7), 4];
  return [address, family];
}

function familyName(family: 4 | 6): Family {
  return family === 4 ? "IPv4" : "IPv6";
}

/** The virtual network's resolver: IP literals, `localhost`, and nothing else. */
function lookup(hostname: string, options: LookupOptions): Promise<LookupAddress[]> {
  const family = isIP(hostname);
  if (family !== 0) return Promise.resolve([{ address: hostname, family: family as 4 | 6 }]);
  if (hostname.toLowerCase() === "localhost") {
    return Promise.resolve([
      options.family === 6 ? { address: "::1", family: 6 } : { address: "127.0.0.1", family: 4 },
    ]);
  }
  return Promise.reject(hostNotFound(hostname));
}
