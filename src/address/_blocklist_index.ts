// The lookup structure behind BlockList.check(): every rule reduces, for each probe
// family, to one closed interval of addresses (IPv4 as uint32, IPv6 as four big-endian
// uint32 words). A probe is blocked when it falls in the union of those intervals, so
// the intervals are kept sorted and coalesced and a check is a binary search. Intervals
// added since the last rebuild wait in a short pending list that is scanned linearly.
//
// How a rule maps to intervals follows Node's C++ (node_sockaddr.cc): IPv4 values
// compare with IPv6 ones only through the IPv4-mapped form ::ffff:a.b.c.d, and a
// range bound that cannot be compared (NOT_COMPARABLE) never matches.
import type { InetValue } from "./socket_address.ts";

const kPendingLimit = 16;

/** Compares a[ai..ai+3] with b[bi..bi+3] as 128-bit numbers: <0, 0 or >0. */
export function compare128(a: ArrayLike<number>, ai: number, b: ArrayLike<number>, bi: number): number {
  return compareWords(a, ai, b, bi, 4);
}

function compareWords(a: ArrayLike<number>, ai: number, b: ArrayLike<number>, bi: number, width: number): number {
  for (let k = 0; k < width; k++) {
    const d = a[ai + k] - b[bi + k];
    if (d !== 0) return d;
  }
  return 0;
}

/**
 * A union of closed intervals of `width`-word unsigned numbers (1 word for IPv4, 4
 * big-endian words for IPv6), kept sorted and coalesced.
 */
class IntervalSet {
  readonly #width: number;
  #lo = new Uint32Array(0);
  #hi = new Uint32Array(0);
  #pending: number[] = [];

  constructor(width: number) {
    this.#width = width;
  }

  /** Adds [lo, hi] (lo <= hi). */
  add(lo: ArrayLike<number>, hi: ArrayLike<number>): void {
    for (let k = 0; k < this.#width; k++) this.#pending.push(lo[k]);
    for (let k = 0; k < this.#width; k++) this.#pending.push(hi[k]);
  }

  /** Whether `value` (`width` words) lies in any interval. */
  has(value: ArrayLike<number>): boolean {
    const w = this.#width;
    const pending = this.#pending;
    // Rebuild once the pending list outgrows sqrt(n): amortised O(sqrt n) per add and
    // per check even when adds and checks interleave.
    const limit = Math.max(kPendingLimit, Math.sqrt(this.#lo.length / w));
    if (pending.length > 2 * w * limit) this.#rebuild();
    else {
      for (let i = 0; i < pending.length; i += 2 * w) {
        if (compareWords(pending, i, value, 0, w) <= 0 && compareWords(pending, i + w, value, 0, w) >= 0) return true;
      }
    }
    const lo = this.#lo;
    const hi = this.#hi;
    let left = 0;
    let right = lo.length / w - 1;
    if (w === 1) {
      // IPv4: plain numbers, no word loop.
      const v = value[0];
      while (left <= right) {
        const mid = (left + right) >>> 1;
        if (lo[mid] <= v) left = mid + 1;
        else right = mid - 1;
      }
      return right >= 0 && v <= hi[right];
    }
    while (left <= right) {
      const mid = (left + right) >>> 1;
      if (compareWords(lo, mid * w, value, 0, w) <= 0) left = mid + 1;
      else right = mid - 1;
    }
    return right >= 0 && compareWords(hi, right * w, value, 0, w) >= 0;
  }

  // Sorts the pending intervals and merges them into the sorted ones: linear in the
  // number of rules, so interleaving adds and checks stays cheap.
  #rebuild(): void {
    const w = this.#width;
    const pending = this.#pending;
    const order: number[] = [];
    for (let at = 0; at < pending.length; at += 2 * w) order.push(at);
    order.sort((a, b) => compareWords(pending, a, pending, b, w));
    const oldLo = this.#lo;
    const oldHi = this.#hi;
    const oldCount = oldLo.length / w;
    const lo = new Uint32Array(oldLo.length + pending.length / 2);
    const hi = new Uint32Array(lo.length);
    let n = -1;
    const push = (src: ArrayLike<number>, l: number, srcHi: ArrayLike<number>, h: number): void => {
      if (n >= 0 && compareWords(src, l, hi, n * w, w) <= 0) {
        if (compareWords(srcHi, h, hi, n * w, w) > 0) { for (let k = 0; k < w; k++) hi[n * w + k] = srcHi[h + k]; }
        return;
      }
      n++;
      for (let k = 0; k < w; k++) {
        lo[n * w + k] = src[l + k];
        hi[n * w + k] = srcHi[h + k];
      }
    };
    let i = 0;
    let j = 0;
    while (i < oldCount || j < order.length) {
      if (j === order.length || (i < oldCount && compareWords(oldLo, i * w, pending, order[j], w) <= 0)) {
        push(oldLo, i * w, oldHi, i * w);
        i++;
      } else {
        push(pending, order[j], pending, order[j] + w);
        j++;
      }
    }
    this.#lo = lo.slice(0, (n + 1) * w);
    this.#hi = hi.slice(0, (n + 1) * w);
    this.#pending = [];
  }
}

const MAPPED_LO = [0, 0, 0xffff, 0];
const MAPPED_HI = [0, 0, 0xffff, 0xffffffff];

function words(groups: ArrayLike<number>): number[] {
  const w: number[] = [];
  for (let i = 0; i < 8; i += 2) w.push(((groups[i] << 16) | groups[i + 1]) >>> 0);
  return w;
}

// An address as four words; IPv4 as its IPv4-mapped form.
function wordsOf(value: InetValue): number[] {
  return value.groups === null ? [0, 0, 0xffff, value.v4] : words(value.groups);
}

function isMapped(w: number[]): boolean {
  return w[0] === 0 && w[1] === 0 && w[2] === 0xffff;
}

function prefix4(value: number, prefix: number): [number, number] {
  const mask = prefix === 0 ? 0 : (-1 << (32 - prefix)) >>> 0;
  const lo = (value & mask) >>> 0;
  return [lo, (lo | ~mask) >>> 0];
}

function prefix6(w: number[], prefix: number): [number[], number[]] {
  const lo: number[] = [];
  const hi: number[] = [];
  for (let k = 0; k < 4; k++) {
    const bits = Math.max(0, Math.min(32, prefix - 32 * k));
    const mask = bits === 0 ? 0 : (-1 << (32 - bits)) >>> 0;
    lo.push((w[k] & mask) >>> 0);
    hi.push((w[k] | ~mask) >>> 0);
  }
  return [lo, hi];
}

/**
 * Node's SocketAddress::compare: <0, 0 or >0, or `null` (NOT_COMPARABLE) when one side
 * is IPv4 and the other an IPv6 address that is not IPv4-mapped.
 */
export function compareValues(a: InetValue, b: InetValue): number | null {
  if (a.groups === null && b.groups === null) return a.v4 - b.v4;
  const wa = wordsOf(a);
  const wb = wordsOf(b);
  if ((a.groups === null || b.groups === null) && !isMapped(a.groups === null ? wb : wa)) return null;
  return compare128(wa, 0, wb, 0);
}

/** Every rule of a BlockList as intervals, one set for IPv4 probes, one for IPv6. */
export class RuleIndex {
  #v4 = new IntervalSet(1);
  #v6 = new IntervalSet(4);
  #probe = new Uint32Array(4);

  /** An address rule (an IPv4-mapped IPv6 address also blocks its IPv4 form). */
  addAddress(value: InetValue): void {
    const w = wordsOf(value);
    if (value.groups === null || isMapped(w)) this.#v4.add([w[3]], [w[3]]);
    this.#v6.add(w, w);
  }

  /** A range rule; `start` does not compare greater than `end`. */
  addRange(start: InetValue, end: InetValue): void {
    const sw = wordsOf(start);
    const ew = wordsOf(end);
    // IPv4 probes compare only with IPv4 or IPv4-mapped bounds.
    if ((start.groups === null || isMapped(sw)) && (end.groups === null || isMapped(ew)) && sw[3] <= ew[3]) {
      this.#v4.add([sw[3]], [ew[3]]);
    }
    // IPv6 probes compare with an IPv4 bound only when they are IPv4-mapped themselves.
    const anyV4 = start.groups === null || end.groups === null;
    const lo = anyV4 && compare128(sw, 0, MAPPED_LO, 0) < 0 ? MAPPED_LO : sw;
    const hi = anyV4 && compare128(ew, 0, MAPPED_HI, 0) > 0 ? MAPPED_HI : ew;
    if (compare128(lo, 0, hi, 0) <= 0) this.#v6.add(lo, hi);
  }

  /** A subnet rule; `prefix` is valid for the family. */
  addSubnet(network: InetValue, prefix: number): void {
    if (network.groups === null) {
      const [lo, hi] = prefix4(network.v4, prefix);
      this.#v4.add([lo], [hi]);
      this.#v6.add([0, 0, 0xffff, lo], [0, 0, 0xffff, hi]);
      return;
    }
    const [lo, hi] = prefix6(words(network.groups), prefix);
    this.#v6.add(lo, hi);
    // IPv4 probes match as their IPv4-mapped form.
    const mlo = compare128(lo, 0, MAPPED_LO, 0) < 0 ? MAPPED_LO : lo;
    const mhi = compare128(hi, 0, MAPPED_HI, 0) > 0 ? MAPPED_HI : hi;
    if (compare128(mlo, 0, mhi, 0) <= 0) this.#v4.add([mlo[3]], [mhi[3]]);
  }

  /** Whether an IPv4 address (uint32) is blocked. */
  hasIPv4(value: number): boolean {
    this.#probe[0] = value;
    return this.#v4.has(this.#probe);
  }

  /** Whether an IPv6 address (eight groups) is blocked. */
  hasIPv6(g: ArrayLike<number>): boolean {
    const probe = this.#probe;
    for (let k = 0; k < 4; k++) probe[k] = (g[2 * k] << 16) | g[2 * k + 1];
    return this.#v6.has(probe);
  }
}
