/**
 * Node's `net.SocketAddress`: an immutable, validated IP address + port (+ IPv6 flow
 * label), as Node 24 has it, including `SocketAddress.parse`.
 *
 * @module
 */
import { ERR_INVALID_ADDRESS, ERR_INVALID_ARG_VALUE, ERR_OUT_OF_RANGE } from "../errors/errors.ts";
import { formatIPv4, formatIPv6, parseInetAddress } from "./ip.ts";
import { validateObject, validatePort, validateString, validateUint32 } from "../errors/validators.ts";

/** An address family as SocketAddress and BlockList name it. */
export type IPVersion = "ipv4" | "ipv6";

/** Options for {@link SocketAddress}. */
export interface SocketAddressInitOptions {
  /**
   * The IP address. An IPv6 zone id (`fe80::1%eth0`) is accepted and dropped.
   * @default "127.0.0.1" when `family` is `"ipv4"`, `"::"` otherwise
   */
  address?: string;
  /**
   * `"ipv4"` or `"ipv6"` (compared case-insensitively).
   * @default "ipv4"
   */
  family?: IPVersion;
  /**
   * The IPv6 flow label (0–1048575); ignored for IPv4.
   * @default 0
   */
  flowlabel?: number;
  /**
   * The port, 0–65535 (a numeric string is accepted).
   * @default 0
   */
  port?: number | string;
}

/** The plain-object form of a {@link SocketAddress}, as `toJSON()` returns it. */
export interface SocketAddressJSON {
  /** The IP address, as Node prints it. */
  address: string;
  /** The port. */
  port: number;
  /** `"ipv4"` or `"ipv6"`. */
  family: IPVersion;
  /** The IPv6 flow label (always 0 for IPv4). */
  flowlabel: number;
}

/**
 * The parsed form of a SocketAddress the rest of the core works on: `family` 4 with
 * `v4` an unsigned 32-bit number, or `family` 6 with `groups` eight 16-bit groups.
 */
export interface InetValue {
  /** 4 or 6. */
  readonly family: 4 | 6;
  /** The IPv4 address as an unsigned 32-bit number (0 for IPv6). */
  readonly v4: number;
  /** The IPv6 address as eight 16-bit groups (`null` for IPv4). */
  readonly groups: Uint16Array | null;
}

const inspectCustom = Symbol.for("nodejs.util.inspect.custom");
const kLabelMax = 0xfffff;
/**
 * The brand every copy of omninet in a process recognises: the npm package's ES module and
 * CommonJS builds are two copies when one part of an app imports it and another requires
 * it, and `#private` fields only know their own copy's instances.
 */
const kSocketAddress: unique symbol = Symbol.for("omninet.SocketAddress");

let readValue: (address: SocketAddress) => InetValue = () => {
  throw new TypeError("SocketAddress is not initialized");
};
let isOwn: (value: object) => boolean = () => false;

/**
 * An IP socket address. Invalid input throws Node's errors (`ERR_INVALID_ARG_TYPE`,
 * `ERR_INVALID_ARG_VALUE`, `ERR_SOCKET_BAD_PORT`, `ERR_OUT_OF_RANGE`,
 * `ERR_INVALID_ADDRESS`).
 *
 * @example
 * ```ts
 * import { SocketAddress } from "./socket_address.ts";
 * const sa = new SocketAddress({ address: "::ffff:10.0.0.1", family: "ipv6", port: 443 });
 * sa.address; // "::ffff:10.0.0.1"
 * sa.toJSON(); // { address: "::ffff:10.0.0.1", port: 443, family: "ipv6", flowlabel: 0 }
 * ```
 */
export class SocketAddress {
  #value: InetValue;
  #port: number;
  #flowlabel: number;
  #text: string | undefined;

  static {
    readValue = (address) => address.#value;
    isOwn = (value) => #value in value;
  }

  /** Validates `options` and builds the address. */
  constructor(options: SocketAddressInitOptions = {}) {
    validateObject(options, "options");
    let { family = "ipv4" } = options as { family?: unknown };
    const { address = family === "ipv4" ? "127.0.0.1" : "::", port = 0, flowlabel = 0 } = options as {
      address?: unknown;
      port?: unknown;
      flowlabel?: unknown;
    };
    const lower = (family as { toLowerCase?: unknown } | null | undefined)?.toLowerCase;
    if (typeof lower === "function") family = lower.call(family);
    if (family !== "ipv4" && family !== "ipv6") {
      throw ERR_INVALID_ARG_VALUE("options.family", (options as { family?: unknown }).family);
    }
    validateString(address, "options.address");
    const portNumber = validatePort(port, "options.port");
    validateUint32(flowlabel, "options.flowlabel", false);
    if (family === "ipv4") {
      const v4 = parseInetAddress(address, 4);
      if (v4 === null) throw ERR_INVALID_ADDRESS();
      this.#value = { family: 4, v4, groups: null };
      this.#flowlabel = 0;
    } else {
      const groups = parseInetAddress(address, 6);
      if (groups === null) throw ERR_INVALID_ADDRESS();
      // Node aborts the process here (a failed CHECK); a catchable error is kinder.
      if (flowlabel > kLabelMax) throw ERR_OUT_OF_RANGE("options.flowlabel", `>= 0 && <= ${kLabelMax}`, flowlabel);
      this.#value = { family: 6, v4: 0, groups };
      this.#flowlabel = flowlabel;
    }
    this.#port = portNumber;
  }

  /**
   * Whether `value` is a SocketAddress (built by any copy of omninet in the process).
   *
   * @example
   * ```ts
   * import { SocketAddress } from "./socket_address.ts";
   * SocketAddress.isSocketAddress(new SocketAddress()); // true
   * SocketAddress.isSocketAddress({ address: "127.0.0.1" }); // false
   * ```
   */
  static isSocketAddress(value: unknown): value is SocketAddress {
    if (typeof value !== "object" || value === null) return false;
    return #value in value || (value as { [kSocketAddress]?: unknown })[kSocketAddress] === true;
  }

  /** The cross-copy brand: true only on a real instance (see `isSocketAddress`). */
  get [kSocketAddress](): boolean {
    return #value in this;
  }

  /**
   * Parses `"ip:port"` or `"[ipv6]:port"` text the way Node 24 does (through the URL
   * parser, so `127.1` means `127.0.0.1` and port 80 reads as 0). Returns `undefined`
   * when the text is not a socket address.
   *
   * @example
   * ```ts
   * import { SocketAddress } from "./socket_address.ts";
   * SocketAddress.parse("[::1]:8080")?.toJSON(); // { address: "::1", port: 8080, family: "ipv6", flowlabel: 0 }
   * SocketAddress.parse("example.com:80"); // undefined
   * ```
   */
  static parse(input: string): SocketAddress | undefined {
    validateString(input, "input");
    try {
      const { hostname, port } = new URL(`http://${input}`);
      if (hostname.startsWith("[") && hostname.endsWith("]")) {
        return new SocketAddress({ address: hostname.slice(1, -1), port: +port | 0, family: "ipv6" });
      }
      return new SocketAddress({ address: hostname, port: +port | 0 });
    } catch {
      return undefined;
    }
  }

  /** The IP address as Node prints it (`::ffff:1.2.3.4`, zone id dropped). */
  get address(): string {
    if (this.#text === undefined) {
      const value = this.#value;
      this.#text = value.groups === null ? formatIPv4(value.v4) : formatIPv6(value.groups);
    }
    return this.#text;
  }

  /** The port. */
  get port(): number {
    return this.#port;
  }

  /** `"ipv4"` or `"ipv6"`. */
  get family(): IPVersion {
    return this.#value.family === 4 ? "ipv4" : "ipv6";
  }

  /** The IPv6 flow label (0 for IPv4). */
  get flowlabel(): number {
    return this.#flowlabel;
  }

  /**
   * The address as a plain object.
   *
   * @example
   * ```ts
   * import { SocketAddress } from "./socket_address.ts";
   * new SocketAddress().toJSON(); // { address: "127.0.0.1", port: 0, family: "ipv4", flowlabel: 0 }
   * ```
   */
  toJSON(): SocketAddressJSON {
    return { address: this.address, port: this.port, family: this.family, flowlabel: this.flowlabel };
  }

  /** Node's `util.inspect` form: `SocketAddress { address: …, port: …, … }`. */
  [inspectCustom](depth: number, options: { depth?: number | null }, inspect?: (v: unknown, o: unknown) => string):
    | string
    | this
    | SocketAddressJSON {
    if (depth < 0) return this;
    if (typeof inspect !== "function") return this.toJSON();
    const opts = { ...options, depth: options.depth == null ? null : options.depth - 1 };
    return `SocketAddress ${inspect(this.toJSON(), opts)}`;
  }
}

/**
 * The parsed address inside a SocketAddress (for BlockList and the rest of the core).
 *
 * @example
 * ```ts
 * import { SocketAddress, socketAddressValue } from "./socket_address.ts";
 * socketAddressValue(new SocketAddress({ address: "10.0.0.1" })).v4; // 167772161
 * ```
 */
export function socketAddressValue(address: SocketAddress): InetValue {
  // Another copy's SocketAddress: its public fields rebuild it in this copy.
  if (!isOwn(address)) return readValue(new SocketAddress({ address: address.address, family: address.family }));
  return readValue(address);
}

/**
 * A SocketAddress as Node's `util.inspect` prints it with default options (one line
 * when it fits in 80 columns, one property a line otherwise), for error messages.
 *
 * @example
 * ```ts
 * import { inspectSocketAddress, SocketAddress } from "./socket_address.ts";
 * inspectSocketAddress(new SocketAddress()); // "SocketAddress { address: '127.0.0.1', port: 0, family: 'ipv4', flowlabel: 0 }"
 * ```
 */
export function inspectSocketAddress(address: SocketAddress): string {
  const entries = [
    `address: '${address.address}'`,
    `port: ${address.port}`,
    `family: '${address.family}'`,
    `flowlabel: ${address.flowlabel}`,
  ];
  // util.inspect's isBelowBreakLength: entries + separators + "{" + 10 within breakLength.
  let total = entries.length * 2 + 1 + 10;
  for (const entry of entries) total += entry.length;
  return total <= 80 ? `SocketAddress { ${entries.join(", ")} }` : `SocketAddress {\n  ${entries.join(",\n  ")}\n}`;
}
