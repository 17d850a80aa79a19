/**
 * IP address text: Node's `net.isIP`, `net.isIPv4` and `net.isIPv6`, and the strict
 * parsers and printers the rest of the core shares. The parsers follow libuv's
 * `uv_inet_pton` (what Node's SocketAddress and BlockList use), the printers libuv's
 * `uv_inet_ntop` (so `::ffff:1.2.3.4` and `::1.2.3.4` print as Node prints them).
 *
 * @module
 */

const COLON = 58;
const DOT = 46;

// Hex digit values by char code (-1: not a hex digit).
const HEX = new Int8Array(128).fill(-1);
for (let i = 0; i < 10; i++) HEX[48 + i] = i;
for (let i = 0; i < 6; i++) HEX[65 + i] = HEX[97 + i] = 10 + i;

// libuv's inet_pton4 over text[start, end): four decimal octets, no leading zeros.
function pton4(text: string, start: number, end: number): number {
  let sawDigit = false;
  let octets = 0;
  let octet = 0;
  let value = 0;
  for (let i = start; i < end; i++) {
    const ch = text.charCodeAt(i);
    const digit = ch - 48;
    if (digit >= 0 && digit <= 9) {
      const next = octet * 10 + digit;
      if (sawDigit && octet === 0) return -1;
      if (next > 255) return -1;
      octet = next;
      if (!sawDigit) {
        if (++octets > 4) return -1;
        sawDigit = true;
      }
    } else if (ch === DOT && sawDigit) {
      if (octets === 4) return -1;
      value = (value << 8) | octet;
      octet = 0;
      sawDigit = false;
    } else {
      return -1;
    }
  }
  if (octets < 4) return -1;
  return ((value << 8) | octet) >>> 0;
}

/**
 * Parses dotted-decimal IPv4 text as libuv's `inet_pton` does (exactly four octets,
 * 0–255, no leading zeros, nothing else) and returns it as an unsigned 32-bit number,
 * or `-1` when the text is not an IPv4 address.
 *
 * @example
 * ```ts
 * import { parseIPv4 } from "./ip.ts";
 * parseIPv4("192.168.0.1"); // 3232235521
 * parseIPv4("01.2.3.4"); // -1
 * ```
 */
export function parseIPv4(text: string): number {
  return pton4(text, 0, text.length);
}

/**
 * Parses IPv6 text (no zone id) as libuv's `inet_pton` does, including an embedded
 * IPv4 tail (`::ffff:1.2.3.4`), into eight 16-bit groups. Returns `out` (a new array
 * unless one is given), or `null` when the text is not an IPv6 address.
 *
 * @example
 * ```ts
 * import { parseIPv6 } from "./ip.ts";
 * parseIPv6("2001:db8::1"); // Uint16Array [0x2001, 0xdb8, 0, 0, 0, 0, 0, 1]
 * parseIPv6("1::2::3"); // null
 * ```
 */
export function parseIPv6(text: string, out: Uint16Array = new Uint16Array(8)): Uint16Array | null {
  out.fill(0);
  const n = text.length;
  let i = 0;
  if (n > 0 && text.charCodeAt(0) === COLON) {
    if (n < 2 || text.charCodeAt(1) !== COLON) return null;
    i = 1;
  }
  let token = i;
  let tp = 0;
  let colonAt = -1;
  let digits = 0;
  let value = 0;
  while (i < n) {
    const ch = text.charCodeAt(i++);
    const h = ch < 128 ? HEX[ch] : -1;
    if (h >= 0) {
      value = (value << 4) | h;
      if (++digits > 4) return null;
      continue;
    }
    if (ch === COLON) {
      token = i;
      if (digits === 0) {
        if (colonAt !== -1) return null;
        colonAt = tp;
        continue;
      } else if (i === n) {
        return null;
      }
      if (tp + 1 > 8) return null;
      out[tp++] = value;
      digits = 0;
      value = 0;
      continue;
    }
    if (ch === DOT && tp + 2 <= 8) {
      const v4 = pton4(text, token, n);
      if (v4 >= 0) {
        out[tp++] = v4 >>> 16;
        out[tp++] = v4 & 0xffff;
        digits = 0;
        break;
      }
    }
    return null;
  }
  if (digits > 0) {
    if (tp + 1 > 8) return null;
    out[tp++] = value;
  }
  if (colonAt !== -1) {
    if (tp === 8) return null;
    const moved = tp - colonAt;
    for (let k = 1; k <= moved; k++) {
      out[8 - k] = out[colonAt + moved - k];
      out[colonAt + moved - k] = 0;
    }
    tp = 8;
  }
  return tp === 8 ? out : null;
}

/**
 * Prints an unsigned 32-bit IPv4 address in dotted-decimal form.
 *
 * @example
 * ```ts
 * import { formatIPv4 } from "./ip.ts";
 * formatIPv4(0x7f000001); // "127.0.0.1"
 * ```
 */
export function formatIPv4(value: number): string {
  return `${value >>> 24}.${(value >>> 16) & 255}.${(value >>> 8) & 255}.${value & 255}`;
}

/**
 * Prints eight 16-bit groups as libuv's `inet_ntop` does: lower-case hex, the first
 * longest run of two or more zero groups as `::`, and an IPv4 tail for IPv4-mapped
 * (`::ffff:1.2.3.4`) and IPv4-compatible (`::1.2.3.4`) addresses.
 *
 * @example
 * ```ts
 * import { formatIPv6 } from "./ip.ts";
 * formatIPv6([0x2001, 0xdb8, 0, 0, 1, 0, 0, 1]); // "2001:db8::1:0:0:1"
 * formatIPv6([0, 0, 0, 0, 0, 0xffff, 0x7f00, 1]); // "::ffff:127.0.0.1"
 * ```
 */
export function formatIPv6(groups: ArrayLike<number>): string {
  let bestBase = -1;
  let bestLen = 0;
  let curBase = -1;
  let curLen = 0;
  for (let i = 0; i < 8; i++) {
    if (groups[i] === 0) {
      if (curBase === -1) {
        curBase = i;
        curLen = 1;
      } else {
        curLen++;
      }
    } else if (curBase !== -1) {
      if (bestBase === -1 || curLen > bestLen) {
        bestBase = curBase;
        bestLen = curLen;
      }
      curBase = -1;
    }
  }
  if (curBase !== -1 && (bestBase === -1 || curLen > bestLen)) {
    bestBase = curBase;
    bestLen = curLen;
  }
  if (bestBase !== -1 && bestLen < 2) bestBase = -1;
  let out = "";
  for (let i = 0; i < 8; i++) {
    if (bestBase !== -1 && i >= bestBase && i < bestBase + bestLen) {
      if (i === bestBase) out += ":";
      continue;
    }
    if (i !== 0) out += ":";
    if (
      i === 6 && bestBase === 0 &&
      (bestLen === 6 || (bestLen === 7 && groups[7] !== 1) || (bestLen === 5 && groups[5] === 0xffff))
    ) {
      out += formatIPv4(((groups[6] << 16) | groups[7]) >>> 0);
      break;
    }
    out += groups[i].toString(16);
  }
  if (bestBase !== -1 && bestBase + bestLen === 8) out += ":";
  return out;
}

// Node converts the JS string to a C string: everything from the first NUL on is lost.
function cString(text: string): string {
  const nul = text.indexOf("\0");
  return nul === -1 ? text : text.slice(0, nul);
}

/**
 * Parses address text for a socket address of the given family exactly as Node's
 * SocketAddress does (libuv's `uv_ip4_addr` / `uv_ip6_addr`): text after a NUL is
 * ignored, and an IPv6 zone id (`%eth0`) is dropped together with anything past the
 * 39th character before it. Returns the address as a uint32 (`family` 4) or eight
 * groups (`family` 6), or `null` when the text is invalid.
 *
 * @example
 * ```ts
 * import { parseInetAddress } from "./ip.ts";
 * parseInetAddress("10.0.0.1", 4); // 167772161
 * parseInetAddress("fe80::1%eth0", 6); // Uint16Array [0xfe80, 0, 0, 0, 0, 0, 0, 1]
 * ```
 */
export function parseInetAddress(text: string, family: 4): number | null;
export function parseInetAddress(text: string, family: 6, out?: Uint16Array): Uint16Array | null;
export function parseInetAddress(text: string, family: 4 | 6, out?: Uint16Array): number | Uint16Array | null {
  let s = cString(text);
  if (family === 4) {
    const value = pton4(s, 0, s.length);
    return value < 0 ? null : value;
  }
  const zone = s.indexOf("%");
  if (zone !== -1) s = s.slice(0, zone < 39 ? zone : 39);
  return parseIPv6(s, out);
}

const scratch = new Uint16Array(8);

function isZoneChar(ch: number): boolean {
  return (ch >= 48 && ch <= 58) || (ch >= 65 && ch <= 90) || (ch >= 97 && ch <= 122) || ch === 45 || ch === DOT;
}

function isIPv6Text(s: string): boolean {
  const zone = s.indexOf("%");
  if (zone === -1) return parseIPv6(s, scratch) !== null;
  if (zone === s.length - 1) return false;
  for (let i = zone + 1; i < s.length; i++) {
    if (!isZoneChar(s.charCodeAt(i))) return false;
  }
  return parseIPv6(s.slice(0, zone), scratch) !== null;
}

/**
 * Whether `input` is an IPv4 address in dotted-decimal form (four octets 0–255, no
 * leading zeros), as Node's `net.isIPv4`. Non-strings are converted with `String`
 * semantics first, as Node does.
 *
 * @example
 * ```ts
 * import { isIPv4 } from "./ip.ts";
 * isIPv4("127.0.0.1"); // true
 * isIPv4("127.000.000.001"); // false
 * ```
 */
export function isIPv4(input: string): boolean {
  const s = typeof input === "string" ? input : `${input}`;
  return pton4(s, 0, s.length) !== -1;
}

/**
 * Whether `input` is an IPv6 address, optionally with a zone id (`fe80::1%eth0`), as
 * Node's `net.isIPv6`.
 *
 * @example
 * ```ts
 * import { isIPv6 } from "./ip.ts";
 * isIPv6("::ffff:127.0.0.1"); // true
 * isIPv6("fe80::1%eth0"); // true
 * isIPv6("1::2::3"); // false
 * ```
 */
export function isIPv6(input: string): boolean {
  return isIPv6Text(typeof input === "string" ? input : `${input}`);
}

/**
 * `4` for an IPv4 address, `6` for an IPv6 address, `0` otherwise, as Node's
 * `net.isIP`.
 *
 * @example
 * ```ts
 * import { isIP } from "./ip.ts";
 * isIP("10.0.0.1"); // 4
 * isIP("::1"); // 6
 * isIP("localhost"); // 0
 * ```
 */
export function isIP(input: string): number {
  if (isIPv4(input)) return 4;
  if (isIPv6(input)) return 6;
  return 0;
}
