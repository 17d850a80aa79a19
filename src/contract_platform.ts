/**
 * Addresses, name resolution and the platform's facts: what an adapter tells the core of the
 * world below it (endpoints, `getaddrinfo`, errno numbers, warnings). Part of the adapter
 * contract (`src/contract.ts`, which re-exports it); no runtime global is read here or in
 * the core, so these facts come from the adapter.
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
