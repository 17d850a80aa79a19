/**
 * Where a connect goes in a memory network: the listener it reaches (or the error it gets,
 * as on Linux loopback), the addresses each end sees, and the link between the two ends.
 *
 * @module
 */
import { isIPv4 } from "../../src/address/ip.ts";
import type { ConnectOptions, Family, InetAddress, TcpConnectOptions } from "../../src/contract.ts";
import { MemoryConn } from "./conn.ts";
import { connectionRefused, noFreePort, pathConnectFailed } from "./errors.ts";
import type { FaultTable, Wire } from "./fault_table.ts";
import type { Side } from "./faults.ts";
import { connectVerdict } from "./files.ts";
import { canonicalIP, type MemoryNetwork } from "./network.ts";

/** Complete a connect attempt on the network's own turn. */
export function route(
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
  if (fate === "refuse") return conn.failed(pathConnectFailed("ECONNREFUSED", options.path));
  if (fate === "hold") return;
  if (listener === undefined) {
    conn.failed(pathConnectFailed(connectVerdict(network.fs, options.path), options.path));
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
