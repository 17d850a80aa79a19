// Deterministic generators for the differential tests: a seeded PRNG, random IPv4 and
// IPv6 text in every form Node accepts, near-misses and random mutations.

/** A seeded PRNG (mulberry32) with small helpers. */
export interface Rng {
  /** A float in [0, 1). */
  next(): number;
  /** An integer in [0, n). */
  int(n: number): number;
  /** One element of `items`. */
  pick<T>(items: readonly T[]): T;
  /** True with probability `p`. */
  chance(p: number): boolean;
}

/** Returns a PRNG seeded with `seed`. */
export function rng(seed: number): Rng {
  let a = seed >>> 0;
  const next = (): number => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    next,
    int: (n) => Math.floor(next() * n),
    pick: (items) => items[Math.floor(next() * items.length)],
    chance: (p) => next() < p,
  };
}

const octetEdges = [0, 1, 9, 10, 99, 100, 127, 199, 200, 249, 250, 254, 255];

/** A random IPv4 octet, biased to edge values. */
export function randomOctet(r: Rng): number {
  return r.chance(0.4) ? r.pick(octetEdges) : r.int(256);
}

/** Random dotted-decimal IPv4 text. */
export function randomIPv4(r: Rng): string {
  return [randomOctet(r), randomOctet(r), randomOctet(r), randomOctet(r)].join(".");
}

const groupEdges = [0, 1, 0xf, 0x10, 0xff, 0x100, 0xfff, 0x1000, 0xfffe, 0xffff, 0x2001, 0xdb8, 0xfe80];

/** Eight random IPv6 groups, often with zero runs or an IPv4-mapped prefix. */
export function randomGroups(r: Rng): number[] {
  const g: number[] = [];
  for (let i = 0; i < 8; i++) g.push(r.chance(0.35) ? 0 : r.chance(0.4) ? r.pick(groupEdges) : r.int(0x10000));
  const kind = r.int(6);
  if (kind === 0) g.fill(0, 0, 5).fill(0xffff, 5, 6); // ::ffff:a.b.c.d
  else if (kind === 1) g.fill(0, 0, 6); // ::a.b.c.d
  else if (kind === 2) g.fill(0, 1 + r.int(3), 4 + r.int(4));
  return g;
}

/** IPv6 text for `groups` in a random valid spelling (compression, case, zeros, IPv4 tail). */
export function spellIPv6(r: Rng, groups: number[]): string {
  const parts = groups.map((v) => {
    let s = v.toString(16);
    if (r.chance(0.15)) s = s.padStart(1 + r.int(4), "0");
    if (r.chance(0.2)) s = s.toUpperCase();
    return s;
  });
  let tail: string[] = [];
  let head = parts;
  if (r.chance(0.25)) {
    tail = [`${groups[6] >> 8}.${groups[6] & 255}.${groups[7] >> 8}.${groups[7] & 255}`];
    head = parts.slice(0, 6);
  }
  const all = [...head, ...tail];
  const weight = (i: number): number => i < head.length ? 1 : 2;
  if (r.chance(0.7)) {
    // Compress a run of zero groups (possibly of length one, as Node's grammar allows).
    const zeros: [number, number][] = [];
    for (let i = 0; i < head.length; i++) {
      if (groups[i] !== 0) continue;
      let j = i;
      while (j < head.length && groups[j] === 0) j++;
      zeros.push([i, j]);
      i = j;
    }
    if (zeros.length > 0) {
      const [from, to] = r.pick(zeros);
      const start = from + r.int(to - from);
      const end = start + 1 + r.int(to - start);
      let used = 0;
      for (let i = 0; i < all.length; i++) if (i < start || i >= end) used += weight(i);
      if (used <= 7) return `${all.slice(0, start).join(":")}::${all.slice(end).join(":")}`;
    }
  }
  return all.join(":");
}

/** Random valid IPv6 text, sometimes with a zone id. */
export function randomIPv6(r: Rng, zone = true): string {
  const text = spellIPv6(r, randomGroups(r));
  if (!zone || !r.chance(0.1)) return text;
  return `${text}%${r.pick(["eth0", "lo", "1", "en0.1", "a-b:c", "_x", "", "é", "%", "eth0 "])}`;
}

const noise = "0123456789abcdefABCDEFxXgG:.%-_ \t\n\0/[]+é";

/** Applies one to three random edits to `text`. */
export function mutate(r: Rng, text: string): string {
  let s = text;
  const edits = 1 + r.int(3);
  for (let e = 0; e < edits; e++) {
    const at = r.int(s.length + 1);
    switch (r.int(8)) {
      case 0:
        s = s.slice(0, at) + r.pick([...noise]) + s.slice(at);
        break;
      case 1:
        s = s.slice(0, at) + s.slice(at + 1);
        break;
      case 2:
        s = s.slice(0, at) + r.pick([...noise]) + s.slice(at + 1);
        break;
      case 3:
        s = s.slice(0, at) + r.pick(["::", ":", ".", "0", "00", "256", "ffff", "fffff", "1.2.3.4"]) + s.slice(at);
        break;
      case 4:
        s = s.slice(0, at);
        break;
      case 5:
        s = r.chance(0.5) ? ` ${s}` : `${s} `;
        break;
      case 6:
        s = s.replace(/\d+/, (d) => String(Number(d) + r.pick([-1, 1, 100, 256])));
        break;
      default:
        s = s + s.slice(at);
    }
  }
  return s;
}

/** Hand-picked edge cases for every IP text consumer. */
export const edgeCases: readonly string[] = [
  "",
  " ",
  "0",
  "1",
  "::",
  ":",
  ":::",
  "::0",
  "0::",
  "0::0",
  "::1",
  "1::",
  "1:",
  ":1",
  "1::2::3",
  "0.0.0.0",
  "255.255.255.255",
  "256.0.0.0",
  "1.2.3",
  "1.2.3.4.5",
  "01.2.3.4",
  "1.02.3.4",
  "1.2.3.04",
  "1.2.3.4 ",
  " 1.2.3.4",
  "1.2.3.4\n",
  "1.2.3.4\0",
  "1.2.3.4\0junk",
  "1..3.4",
  ".1.2.3",
  "1.2.3.",
  "0x7f.0.0.1",
  "127.1",
  "2130706433",
  "1:2:3:4:5:6:7:8",
  "1:2:3:4:5:6:7:8:9",
  "1:2:3:4:5:6:7::",
  "::2:3:4:5:6:7:8",
  "1:2:3:4:5:6::8",
  "1:2:3:4:5:6:7::8",
  "1::3:4:5:6:7:8",
  "::ffff:1.2.3.4",
  "::ffff:01.2.3.4",
  "::1.2.3.4",
  "1:2:3:4:5:6:1.2.3.4",
  "1:2:3:4:5:6:7:1.2.3.4",
  "1:2:3:4:5::1.2.3.4",
  "1:2:3:4:5:6::1.2.3.4",
  "::1.2.3.4:5",
  "1.2.3.4::",
  "::ffff:1.2.3",
  "::ffff:1.2.3.4.5",
  "fe80::1%eth0",
  "fe80::1%",
  "fe80::1%%1",
  "fe80::1%eth0%1",
  "fe80::1%a.b:c-d",
  "fe80::1%_",
  "fe80::1%eth0/64",
  "FE80::ABCD",
  "fe80::abcd",
  "00000::1",
  "0000::1",
  "1:2:3:4:5:6:7:8%1",
  "::%1",
  "[::1]",
  "::ffff:0:1.2.3.4",
  "::ffff:255.255.255.255",
  "1111:2222:3333:4444:5555:6666:7777:8888XYZ%eth0",
  "1111:2222:3333:4444:5555:6666:7777:8888%eth0",
  "::ffff:1.2.3.4%lo",
  "::1\0zz",
  "::1%lo\0zz",
  "1:2:3:4:5:6:7:8\u0000:9",
  "１.２.３.４",
  "::１",
  "2001:db8::1/64",
  "2001:0db8:0000:0000:0000:0000:0000:0001",
  "2001:DB8::",
  "g::1",
  "::g",
  "-1.2.3.4",
  "+1.2.3.4",
  "1.2.3.4/32",
  "1.2.3.-4",
  "1e0.2.3.4",
  "0.0.0.00",
  "100.200.300.400",
  "::ffff:256.1.1.1",
];

/** A deterministic corpus of at least `count` IP-ish strings. */
export function ipCorpus(seed: number, count: number): string[] {
  const r = rng(seed);
  const out = [...edgeCases];
  while (out.length < count) {
    switch (r.int(7)) {
      case 0:
        out.push(randomIPv4(r));
        break;
      case 1:
        out.push(randomIPv6(r));
        break;
      case 2:
        out.push(mutate(r, randomIPv4(r)));
        break;
      case 3:
      case 4:
        out.push(mutate(r, randomIPv6(r)));
        break;
      case 5:
        out.push(mutate(r, r.pick(edgeCases)));
        break;
      default: {
        let s = "";
        for (let n = r.int(14); n > 0; n--) s += r.pick([...noise]);
        out.push(s);
      }
    }
  }
  return out;
}

/** Describes a call's outcome for comparison: the value, or the thrown error's shape. */
export function outcome(fn: () => unknown): string {
  try {
    return `ok ${JSON.stringify(fn())}`;
  } catch (err) {
    const e = err as { name?: string; code?: string; message?: string };
    return `throws ${e.name} ${e.code} ${e.message}`;
  }
}
