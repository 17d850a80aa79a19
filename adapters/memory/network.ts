/**
 * The bindings of one memory network: which listener holds which TCP endpoint or socket
 * path, the ephemeral ports, and which addresses are this machine's. Rules as on Linux: a
 * wildcard (`0.0.0.0`, `::`) holds its port on every address of its family, `::` also on
 * IPv4 unless `ipv6Only`; a more specific listener wins over a wildcard; listeners
 * conflict with listeners (Node binds them with SO_REUSEADDR), ephemeral ports
 * (32768–60999) avoid every port in use.
 *
 * The machine is loopback only: its addresses are `127.0.0.0/8`, `::1`, the wildcards and
 * their IPv4-mapped forms (`::ffff:127.0.0.1`); binding anything else fails with
 * `EADDRNOTAVAIL`, as on a host without that address. Socket paths: see `files.ts`.
 *
 * @module
 */
import { formatIPv6, isIPv4, parseInetAddress } from "../../src/address/ip.ts";
import type { ListenOptions, RawAddress } from "../../src/contract.ts";
import type { MemoryConn } from "./conn.ts";
import { bindFailed, bindInUse, listenInUse } from "./errors.ts";
import { listenVerdict, type MemoryFileSystem } from "./files.ts";

const EPHEMERAL_FIRST = 32768;
const EPHEMERAL_LAST = 60999;

/** What takes a network's connections: a listener. */
export interface Acceptor {
  /** Hand an accepted connection over (called from the network's own turn). */
  accept(conn: MemoryConn): void;
}

/** A bound TCP endpoint. */
export interface Binding {
  listener: Acceptor;
  address: string;
  family: 4 | 6;
  ipv6Only: boolean;
}

/** An IP address as the kernel prints it back (`0:0::1` → `::1`, zone id dropped). */
export function canonicalIP(address: string, family: 4 | 6): string {
  if (family === 4) return address;
  const groups = parseInetAddress(address, 6);
  return groups === null ? address : formatIPv6(groups);
}

/** Whether this machine has `address` (canonical): loopback, a wildcard, or their IPv4-mapped forms. */
export function isLocal(address: string, family: 4 | 6): boolean {
  if (family === 4) return address === "0.0.0.0" || address.startsWith("127.");
  if (address === "::" || address === "::1") return true;
  return address.startsWith("::ffff:") && isIPv4(address.slice(7)) && isLocal(address.slice(7), 4);
}

/** Whether a binding receives connections to `address` (of `family`). */
function covers(b: Omit<Binding, "listener">, address: string, family: 4 | 6): boolean {
  if (b.address === address) return true;
  if (b.address === "0.0.0.0") return family === 4;
  if (b.address === "::") return family === 6 || !b.ipv6Only;
  return false;
}

function overlaps(a: Omit<Binding, "listener">, b: Omit<Binding, "listener">): boolean {
  return covers(a, b.address, b.family) || covers(b, a.address, a.family);
}

/** The bindings and ports of one isolated memory network. */
export class MemoryNetwork {
  #tcp = new Map<number, Binding[]>();
  #paths = new Map<string, Acceptor>();
  /** Ports held by outgoing connections, with how many hold each. */
  #clientPorts = new Map<number, number>();
  #next = EPHEMERAL_FIRST;
  /** The file system socket paths are checked against, if the user gave one. */
  readonly fs: MemoryFileSystem | undefined;

  constructor(fs?: MemoryFileSystem) {
    this.fs = fs;
  }

  /** Bind a listener to its endpoint, or return the error `listen` reports. */
  bind(listener: Acceptor, options: ListenOptions): RawAddress | Error {
    if ("path" in options) {
      const { path } = options;
      if (this.#paths.has(path)) return listenInUse(path, -1);
      const verdict = listenVerdict(this.fs, path);
      if (verdict !== "") return bindFailed(verdict, path, -1);
      this.#paths.set(path, listener);
      return { path };
    }
    const family = options.family;
    const address = canonicalIP(options.host, family);
    if (!isLocal(address, family)) return bindFailed("EADDRNOTAVAIL", address, options.port);
    const binding: Binding = { listener, address, family, ipv6Only: options.ipv6Only };
    let port = options.port;
    if (port === 0) {
      port = this.#freePort();
      if (port === 0) return listenInUse(address, 0);
    } else if ((this.#tcp.get(port) ?? []).some((b) => overlaps(b, binding))) {
      return listenInUse(address, port);
    }
    const list = this.#tcp.get(port);
    if (list) list.push(binding);
    else this.#tcp.set(port, [binding]);
    return { address, family: family === 4 ? "IPv4" : "IPv6", port };
  }

  /** Release what `listener` holds. */
  unbind(listener: Acceptor, address: RawAddress): void {
    if ("path" in address) {
      if (this.#paths.get(address.path) === listener) this.#paths.delete(address.path);
      return;
    }
    const list = this.#tcp.get(address.port)?.filter((b) => b.listener !== listener) ?? [];
    if (list.length > 0) this.#tcp.set(address.port, list);
    else this.#tcp.delete(address.port);
  }

  /** The listener a connection to `address:port` reaches: the most specific one. */
  findTcp(address: string, family: 4 | 6, port: number): Binding | undefined {
    const list = this.#tcp.get(port);
    if (!list) return undefined;
    return list.find((b) => b.address === address) ?? list.find((b) => covers(b, address, family));
  }

  /** The listener on a socket path. */
  findPath(path: string): Acceptor | undefined {
    return this.#paths.get(path);
  }

  /**
   * Take a local port for an outgoing connection: `port` (bound on `address`) or a free
   * ephemeral one (0 when none is left). Returns `bind EADDRINUSE` when `port` is taken,
   * `bind EADDRNOTAVAIL` when `address` is not this machine's.
   */
  takePort(address: string, family: 4 | 6, port: number): number | Error {
    if (!isLocal(canonicalIP(address, family), family)) return bindFailed("EADDRNOTAVAIL", address, port);
    if (port === 0) port = this.#freePort();
    else {
      const local = { address, family, ipv6Only: false };
      if (this.#clientPorts.has(port) || (this.#tcp.get(port) ?? []).some((b) => overlaps(b, local))) {
        return bindInUse(address, port);
      }
    }
    if (port !== 0) this.#clientPorts.set(port, (this.#clientPorts.get(port) ?? 0) + 1);
    return port;
  }

  /** Give back a port `takePort` returned. */
  releasePort(port: number): void {
    const n = (this.#clientPorts.get(port) ?? 0) - 1;
    if (n > 0) this.#clientPorts.set(port, n);
    else this.#clientPorts.delete(port);
  }

  /** The next ephemeral port nothing holds, or 0. */
  #freePort(): number {
    const span = EPHEMERAL_LAST - EPHEMERAL_FIRST + 1;
    for (let i = 0; i < span; i++) {
      const port = this.#next;
      this.#next = port === EPHEMERAL_LAST ? EPHEMERAL_FIRST : port + 1;
      if (!this.#tcp.has(port) && !this.#clientPorts.has(port)) return port;
    }
    return 0;
  }
}
