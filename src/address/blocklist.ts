/**
 * Node's `net.BlockList`: rules that block single addresses, ranges and subnets, with
 * Node's matching across families (IPv4 rules match IPv4-mapped IPv6 addresses and
 * IPv6 rules over `::ffff:0:0/96` match IPv4 addresses), Node's `rules` strings (newest
 * first), and Node 24's `isBlockList`, `toJSON` and `fromJSON`.
 *
 * @module
 */
import { ERR_INVALID_ARG_TYPE, ERR_INVALID_ARG_VALUE } from "../errors/errors.ts";
import { parseInetAddress } from "./ip.ts";
import { compareValues, RuleIndex } from "./_blocklist_index.ts";
import {
  type InetValue,
  inspectSocketAddress,
  type IPVersion,
  SocketAddress,
  socketAddressValue,
} from "./socket_address.ts";
import { validateInt32, validateString } from "../errors/validators.ts";

const inspectCustom = Symbol.for("nodejs.util.inspect.custom");
/** The brand every copy of omninet in a process recognises (see `kSocketAddress`). */
const kBlockList: unique symbol = Symbol.for("omninet.BlockList");
const probeGroups = new Uint16Array(8);

const familyName = (value: InetValue): string => value.family === 4 ? "IPv4" : "IPv6";

// ERR_INVALID_ARG_VALUE with Node's rendering of the SocketAddress (which the core's
// small inspect cannot lay out over several lines).
function startAfterEnd(start: SocketAddress): Error {
  const err = ERR_INVALID_ARG_VALUE("start", "", "must come before end");
  let shown = inspectSocketAddress(start);
  if (shown.length > 128) shown = `${shown.slice(0, 128)}...`;
  const message = `The argument 'start' must come before end. Received ${shown}`;
  if (typeof err.stack === "string") err.stack = err.stack.replace(err.message, message);
  err.message = message;
  return err;
}

function toSocketAddress(value: unknown, name: string, family: unknown): SocketAddress {
  if (SocketAddress.isSocketAddress(value)) return value;
  validateString(value, name);
  validateString(family, "family");
  return new SocketAddress({ address: value, family: family as IPVersion });
}

/**
 * A list of blocked addresses, ranges and subnets. `check` is a binary search over
 * coalesced intervals, so it stays fast with many thousands of rules.
 *
 * @example
 * ```ts
 * import { BlockList } from "./blocklist.ts";
 * const list = new BlockList();
 * list.addSubnet("10.0.0.0", 8);
 * list.addAddress("2001:db8::1", "ipv6");
 * list.check("10.1.2.3"); // true
 * list.check("::ffff:10.1.2.3", "ipv6"); // true
 * list.rules; // ["Address: IPv6 2001:db8::1", "Subnet: IPv4 10.0.0.0/8"]
 * ```
 */
export class BlockList {
  #rules: string[] = [];
  #index = new RuleIndex();

  /**
   * Whether `value` is a BlockList, built by any copy of omninet in the process (the npm
   * package's ES module and CommonJS builds are two copies when an app both imports and
   * requires it).
   *
   * @example
   * ```ts
   * import { BlockList } from "./blocklist.ts";
   * BlockList.isBlockList(new BlockList()); // true
   * BlockList.isBlockList({}); // false
   * ```
   */
  static isBlockList(value: unknown): value is BlockList {
    if (typeof value !== "object" || value === null) return false;
    return #rules in value || (value as { [kBlockList]?: unknown })[kBlockList] === true;
  }

  /** The cross-copy brand: true only on a real instance (see `isBlockList`). */
  get [kBlockList](): boolean {
    return #rules in this;
  }

  /**
   * Blocks one address (an IPv4 address also blocks its IPv4-mapped IPv6 form).
   *
   * @param family `"ipv4"` or `"ipv6"`; ignored when `address` is a SocketAddress. @default "ipv4"
   * @example
   * ```ts
   * import { BlockList } from "./blocklist.ts";
   * const list = new BlockList();
   * list.addAddress("192.0.2.1");
   * list.check("::ffff:192.0.2.1", "ipv6"); // true
   * ```
   */
  addAddress(address: string | SocketAddress, family: IPVersion = "ipv4"): void {
    const sa = toSocketAddress(address, "address", family);
    const value = socketAddressValue(sa);
    this.#index.addAddress(value);
    this.#rules.push(`Address: ${familyName(value)} ${sa.address}`);
  }

  /**
   * Blocks every address from `start` to `end`, inclusive. Throws ERR_INVALID_ARG_VALUE
   * when `start` comes after `end`.
   *
   * @param family `"ipv4"` or `"ipv6"`, for string arguments. @default "ipv4"
   * @example
   * ```ts
   * import { BlockList } from "./blocklist.ts";
   * const list = new BlockList();
   * list.addRange("10.0.0.10", "10.0.0.20");
   * list.check("10.0.0.15"); // true
   * ```
   */
  addRange(start: string | SocketAddress, end: string | SocketAddress, family: IPVersion = "ipv4"): void {
    const startAddress = toSocketAddress(start, "start", family);
    const endAddress = toSocketAddress(end, "end", family);
    const s = socketAddressValue(startAddress);
    const e = socketAddressValue(endAddress);
    const order = compareValues(s, e);
    if (order !== null && order > 0) {
      throw startAfterEnd(startAddress);
    }
    this.#index.addRange(s, e);
    this.#rules.push(`Range: ${familyName(s)} ${startAddress.address}-${endAddress.address}`);
  }

  /**
   * Blocks the subnet `network/prefix` (0–32 for IPv4, 0–128 for IPv6).
   *
   * @param family `"ipv4"` or `"ipv6"`; ignored when `network` is a SocketAddress. @default "ipv4"
   * @example
   * ```ts
   * import { BlockList } from "./blocklist.ts";
   * const list = new BlockList();
   * list.addSubnet("2001:db8::", 32, "ipv6");
   * list.check("2001:db8:1::5", "ipv6"); // true
   * ```
   */
  addSubnet(network: string | SocketAddress, prefix: number, family: IPVersion = "ipv4"): void {
    const sa = toSocketAddress(network, "network", family);
    const value = socketAddressValue(sa);
    validateInt32(prefix, "prefix", 0, value.family === 4 ? 32 : 128);
    this.#index.addSubnet(value, prefix);
    this.#rules.push(`Subnet: ${familyName(value)} ${sa.address}/${prefix}`);
  }

  /**
   * Whether `address` is blocked. Text that is not an address of `family` (or an
   * unknown family) is never blocked.
   *
   * @param family `"ipv4"` or `"ipv6"`; ignored when `address` is a SocketAddress. @default "ipv4"
   * @example
   * ```ts
   * import { BlockList } from "./blocklist.ts";
   * const list = new BlockList();
   * list.addAddress("198.51.100.7");
   * list.check("198.51.100.7"); // true
   * list.check("not an address"); // false
   * ```
   */
  check(address: string | SocketAddress, family: IPVersion = "ipv4"): boolean {
    if (SocketAddress.isSocketAddress(address)) {
      const value = socketAddressValue(address);
      return value.groups === null ? this.#index.hasIPv4(value.v4) : this.#index.hasIPv6(value.groups);
    }
    validateString(address, "address");
    validateString(family, "family");
    const lower = family.toLowerCase();
    if (lower === "ipv4") {
      const v4 = parseInetAddress(address, 4);
      return v4 !== null && this.#index.hasIPv4(v4);
    }
    if (lower !== "ipv6") return false;
    const groups = parseInetAddress(address, 6, probeGroups);
    return groups !== null && this.#index.hasIPv6(groups);
  }

  /** The rules as Node prints them, newest first (`"Subnet: IPv4 10.0.0.0/8"` …). */
  get rules(): string[] {
    return this.#rules.slice().reverse();
  }

  /**
   * The rules, for `JSON.stringify`.
   *
   * @example
   * ```ts
   * import { BlockList } from "./blocklist.ts";
   * const list = new BlockList();
   * list.addAddress("10.0.0.1");
   * JSON.stringify(list); // '["Address: IPv4 10.0.0.1"]'
   * ```
   */
  toJSON(): string[] {
    return this.rules;
  }

  /**
   * Adds the rules in `data` (an array of rule strings, or its JSON text) as Node 24
   * does; strings that are not rules are skipped. The rules are added in order, so
   * they list in reverse.
   *
   * @example
   * ```ts
   * import { BlockList } from "./blocklist.ts";
   * const list = new BlockList();
   * list.fromJSON(["Subnet: IPv4 10.0.0.0/8", "Address: IPv6 ::1"]);
   * list.rules; // ["Address: IPv6 ::1", "Subnet: IPv4 10.0.0.0/8"]
   * ```
   */
  fromJSON(data: string | readonly string[]): void {
    let items: unknown = data;
    if (!Array.isArray(items)) {
      if (typeof items !== "string") throw ERR_INVALID_ARG_TYPE("data", ["string", "string[]"], data);
      items = JSON.parse(items);
      if (!Array.isArray(items)) throw ERR_INVALID_ARG_TYPE("data", ["string", "string[]"], items);
    }
    for (const item of items as unknown[]) {
      if (typeof item !== "string") throw ERR_INVALID_ARG_TYPE("data", ["string", "string[]"], items);
    }
    for (const item of items as string[]) this.#addRuleText(item);
  }

  // Node 24's #parseIPInfo: unanchored patterns, tried in this order.
  #addRuleText(item: string): void {
    if (item.includes("IPv4")) {
      let m = item.match(/Subnet: IPv4 (\d{1,3}(?:\.\d{1,3}){3})\/(\d{1,2})/);
      if (m) return this.addSubnet(m[1], Number.parseInt(m[2]));
      m = item.match(/Address: IPv4 (\d{1,3}(?:\.\d{1,3}){3})/);
      if (m) return this.addAddress(m[1]);
      m = item.match(/Range: IPv4 (\d{1,3}(?:\.\d{1,3}){3})-(\d{1,3}(?:\.\d{1,3}){3})/);
      if (m) return this.addRange(m[1], m[2]);
    }
    if (item.includes("IPv6")) {
      let m = item.match(/Subnet: IPv6 ([0-9a-fA-F:]{1,39})\/([0-9]{1,3})/i);
      if (m) return this.addSubnet(m[1], Number.parseInt(m[2]), "ipv6");
      m = item.match(/Address: IPv6 ([0-9a-fA-F:]{1,39})/i);
      if (m) return this.addAddress(m[1], "ipv6");
      m = item.match(/Range: IPv6 ([0-9a-fA-F:]{1,39})-([0-9a-fA-F:]{1,39})/i);
      if (m) return this.addRange(m[1], m[2], "ipv6");
    }
  }

  /** Node's `util.inspect` form: `BlockList { rules: [ … ] }`. */
  [inspectCustom](depth: number, options: { depth?: number | null }, inspect?: (v: unknown, o: unknown) => string):
    | string
    | this
    | { rules: string[] } {
    if (depth < 0) return this;
    if (typeof inspect !== "function") return { rules: this.rules };
    const opts = { ...options, depth: options.depth == null ? null : options.depth - 1 };
    return `BlockList ${inspect({ rules: this.rules }, opts)}`;
  }
}

/**
 * What the `blockList` options take: an omninet {@link BlockList}, or any object that
 * checks addresses the same way (such as `node:net`'s own BlockList on Node).
 */
export interface BlockListLike {
  /** True when `address` (of `type` `"ipv4"` or `"ipv6"`) is blocked. */
  check(address: string, type?: string): boolean;
}

/** Whether `value` can serve as a `blockList` option. */
export function isBlockListLike(value: unknown): value is BlockListLike {
  return BlockList.isBlockList(value) ||
    (typeof value === "object" && value !== null && typeof (value as { check?: unknown }).check === "function");
}
