/**
 * Benchmark: BlockList.check() with 10, 1,000 and 10,000 rules (mixed addresses, ranges
 * and subnets, IPv4 and IPv6), in ns per check, for omninet and for the running
 * runtime's own `node:net` BlockList when it has one.
 *
 *   deno run -A scripts/bench/blocklist.ts
 *   bun scripts/bench/blocklist.ts
 *   node scripts/bench/blocklist.ts        (Node 24: strips types natively)
 *
 * @module
 */
import { BlockList } from "../../src/address/blocklist.ts";

interface CheckList {
  addAddress(address: string, family?: string): void;
  addRange(start: string, end: string, family?: string): void;
  addSubnet(network: string, prefix: number, family?: string): void;
  check(address: string, family?: string): boolean;
}

const g = globalThis as { Deno?: { version: { deno: string } }; Bun?: { version: string } };
const runtime = g.Deno ? `Deno ${g.Deno.version.deno}` : g.Bun ? `Bun ${g.Bun.version}` : `Node ${process.version}`;

let NativeBlockList: (new () => CheckList) | undefined;
try {
  const net = await import("node:net");
  NativeBlockList = (net as unknown as { BlockList?: new () => CheckList }).BlockList;
} catch {
  NativeBlockList = undefined;
}

// A small seeded PRNG so every runtime benchmarks the same rules and probes.
let seed = 0x5eed;
function random(n: number): number {
  seed = (seed + 0x6d2b79f5) >>> 0;
  let t = seed;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return Math.floor((((t ^ (t >>> 14)) >>> 0) / 4294967296) * n);
}
const v4Text = (n: number): string => `${n >>> 24}.${(n >>> 16) & 255}.${(n >>> 8) & 255}.${n & 255}`;
const v6Text = (hi: number, mid: number, lo: number): string =>
  `2001:db8:${hi.toString(16)}:${mid.toString(16)}::${lo.toString(16)}`;
const v4 = (): number => 0x0a000000 + random(0x1000000);
const v6 = (): [number, number, number] => [random(0x10000), random(0x10000), random(0x10000)];

type Rule = [method: "addAddress" | "addRange" | "addSubnet", ...args: (string | number)[]];

// Rules cover a small share of the probed space, as real block lists do: most checks
// are misses, which is the case a rule-by-rule scan pays for in full.
function makeRules(count: number): Rule[] {
  const rules: Rule[] = [];
  for (let i = 0; i < count; i++) {
    const kind = random(3);
    if (i % 2 === 0) {
      const a = v4();
      if (kind === 0) rules.push(["addAddress", v4Text(a), "ipv4"]);
      else if (kind === 1) rules.push(["addRange", v4Text(a), v4Text(Math.min(a + random(1024), 0x0affffff)), "ipv4"]);
      else rules.push(["addSubnet", v4Text(a), 22 + random(11), "ipv4"]);
    } else {
      const [hi, mid, lo] = v6();
      if (kind === 0) rules.push(["addAddress", v6Text(hi, mid, lo), "ipv6"]);
      else if (kind === 1) {
        rules.push(["addRange", v6Text(hi, mid, lo), v6Text(hi, mid, Math.min(lo + random(1024), 0xffff)), "ipv6"]);
      } else rules.push(["addSubnet", v6Text(hi, mid, lo), 56 + random(73), "ipv6"]);
    }
  }
  return rules;
}

function build(List: new () => CheckList, rules: Rule[]): CheckList {
  const list = new List();
  for (const [method, ...args] of rules) {
    try {
      (list[method] as (...a: unknown[]) => void)(...args);
    } catch {
      // Not expected; a rule a list refuses is skipped in every list alike.
    }
  }
  return list;
}

// 1,024 probes: three in four random (mostly misses), one in four a rule's own address.
function makeProbes(rules: Rule[]): [string, string][] {
  const probes: [string, string][] = [];
  for (let i = 0; i < 1024; i++) {
    if (i % 4 === 3) {
      const rule = rules[random(rules.length)];
      probes.push([rule[1] as string, rule[rule.length - 1] as string]);
    } else probes.push(i % 2 === 0 ? [v4Text(v4()), "ipv4"] : [v6Text(...v6()), "ipv6"]);
  }
  return probes;
}

function measure(list: CheckList, probes: [string, string][], budgetMs: number): { ns: number; hits: number } {
  let hits = 0;
  for (const [a, f] of probes.slice(0, 64)) if (list.check(a, f)) hits++; // warm-up
  hits = 0;
  let checks = 0;
  const start = performance.now();
  let elapsed = 0;
  do {
    for (let i = 0; i < probes.length; i++) if (list.check(probes[i][0], probes[i][1])) hits++;
    checks += probes.length;
    elapsed = performance.now() - start;
  } while (elapsed < budgetMs);
  return { ns: (elapsed * 1e6) / checks, hits: hits / (checks / probes.length) };
}

const fmt = (ns: number): string => ns < 10 ? ns.toFixed(1) : Math.round(ns).toLocaleString("en-US");
const rows: string[][] = [["rules", "blocked", "omninet ns/check", "node:net ns/check", "speed-up"]];
for (const size of [10, 1_000, 10_000]) {
  const rules = makeRules(size);
  const probes = makeProbes(rules);
  const ours = measure(build(BlockList as unknown as new () => CheckList, rules), probes, 300);
  let theirs: { ns: number; hits: number } | undefined;
  if (NativeBlockList) {
    theirs = measure(build(NativeBlockList, rules), probes, 300);
    if (theirs.hits !== ours.hits) console.warn(`  ! ${size} rules: ${ours.hits} vs ${theirs.hits} blocked probes`);
  }
  rows.push([
    size.toLocaleString("en-US"),
    `${((ours.hits / 1024) * 100).toFixed(0)}%`,
    fmt(ours.ns),
    theirs ? fmt(theirs.ns) : "n/a",
    theirs ? `${(theirs.ns / ours.ns).toFixed(1)}x` : "",
  ]);
}

console.log(`BlockList.check() on ${runtime} (1,024 probes a size, half IPv4, half IPv6)`);
const widths = rows[0].map((_, c) => Math.max(...rows.map((r) => r[c].length)));
for (const row of rows) {
  console.log(row.map((cell, c) => c === 0 ? cell.padEnd(widths[c]) : cell.padStart(widths[c])).join("  "));
}
