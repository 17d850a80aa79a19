// Differential test: omninet's BlockList against node:net's on random rule sets and
// probes near every rule boundary, in both families and across them. Runs on Node 20
// and 24; toJSON/fromJSON/isBlockList are compared where node:net has them (Node 24).
import * as net from "node:net";
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { BlockList } from "../../src/address/blocklist.ts";
import { SocketAddress } from "../../src/address/socket_address.ts";
import { mutate, outcome, type Rng, rng, spellIPv6 } from "./_ip_corpus.ts";

const SEED = 0xb10c;
const MAPPED = 0xffff00000000n;
const MAX128 = (1n << 128n) - 1n;
const hasJSON = typeof (net.BlockList.prototype as { fromJSON?: unknown }).fromJSON === "function";

// deno-lint-ignore no-explicit-any
type AnyList = any;

// A value handed to both implementations: plain data, or a SocketAddress built by each.
type Arg = { kind: "value"; value: unknown } | { kind: "sa"; options: Record<string, unknown> };
type Op = { method: "addAddress" | "addRange" | "addSubnet" | "check" | "fromJSON"; args: Arg[] };

const v = (value: unknown): Arg => ({ kind: "value", value });
function realize(arg: Arg, ours: boolean): unknown {
  if (arg.kind === "value") return arg.value;
  try {
    return ours ? new SocketAddress(arg.options) : new net.SocketAddress(arg.options as net.SocketAddressInitOptions);
  } catch {
    return undefined;
  }
}
function showArg(arg: Arg): string {
  return arg.kind === "value" ? JSON.stringify(arg.value) ?? String(arg.value) : `SA(${JSON.stringify(arg.options)})`;
}

function apply(list: AnyList, op: Op, ours: boolean): string {
  return outcome(() => list[op.method](...op.args.map((a) => realize(a, ours))));
}

// Addresses live in one 128-bit space; IPv4 a is the IPv4-mapped ::ffff:a.
const v4Bases = [0x0a000000, 0xc0a80100, 0x01020300, 0, 0xffffff00, 0x7f000000];
const v6Bases = [0x20010db8n << 96n, 0xfe80n << 112n, MAPPED, 0n, MAX128 - 0xffffn, 0xabcdn << 64n];

function randomV4(r: Rng): number {
  return r.chance(0.8) ? (r.pick(v4Bases) + r.int(r.chance(0.5) ? 16 : 4096)) >>> 0 : r.int(2 ** 32);
}
function randomV6(r: Rng): bigint {
  if (r.chance(0.2)) return MAPPED + BigInt(randomV4(r));
  if (r.chance(0.1)) return BigInt(randomV4(r)); // IPv4-compatible ::a.b.c.d
  if (r.chance(0.8)) return (r.pick(v6Bases) + BigInt(r.int(r.chance(0.5) ? 16 : 1 << 20))) & MAX128;
  let x = 0n;
  for (let i = 0; i < 4; i++) x = (x << 32n) | BigInt(r.int(2 ** 32));
  return x;
}
const v4Text = (a: number): string => `${a >>> 24}.${(a >>> 16) & 255}.${(a >>> 8) & 255}.${a & 255}`;
function v6Text(r: Rng, x: bigint): string {
  const groups: number[] = [];
  for (let i = 7; i >= 0; i--) groups.push(Number((x >> BigInt(16 * i)) & 0xffffn));
  return spellIPv6(r, groups);
}
const v6Family = (r: Rng): string => r.pick(["ipv6", "ipv6", "ipv6", "IPv6"]);

function addressArg(r: Rng, family: 4 | 6, value: number | bigint): Arg {
  const text = family === 4 ? v4Text(value as number) : v6Text(r, value as bigint);
  if (r.chance(0.15)) return { kind: "sa", options: { address: text, family: family === 4 ? "ipv4" : "ipv6" } };
  return v(text);
}

// One random rule, and the boundary points (in the 128-bit space) it suggests probing.
function randomRule(r: Rng): { op: Op; points: bigint[] } {
  const family: 4 | 6 = r.chance(0.5) ? 4 : 6;
  const famArg = family === 4 ? (r.chance(0.8) ? [] : [v("ipv4")]) : [v(v6Family(r))];
  const pick = (): bigint => family === 4 ? MAPPED + BigInt(randomV4(r)) : randomV6(r);
  const arg = (x: bigint, fam: 4 | 6 = family): Arg => addressArg(r, fam, fam === 4 ? Number(x - MAPPED) : x);
  const kind = r.int(10);
  if (kind < 3) {
    const x = pick();
    return { op: { method: "addAddress", args: [arg(x), ...famArg] }, points: [x] };
  }
  if (kind < 6) {
    let a = pick();
    let b = r.chance(0.5) ? a + BigInt(r.int(300)) : pick();
    if (family === 4 && b > MAPPED + 0xffffffffn) b = MAPPED + 0xffffffffn;
    if (b > MAX128) b = MAX128;
    if (a > b && r.chance(0.8)) [a, b] = [b, a];
    if (r.chance(0.15)) {
      // Mixed families through SocketAddress arguments.
      const fa: 4 | 6 = r.chance(0.5) ? 4 : 6;
      const fb: 4 | 6 = r.chance(0.5) ? 4 : 6;
      const fit = (x: bigint, f: 4 | 6): bigint => f === 4 ? MAPPED + (x & 0xffffffffn) : x;
      a = fit(a, fa);
      b = fit(b, fb);
      const sa = (x: bigint, f: 4 | 6): Arg => ({
        kind: "sa",
        options: { address: f === 4 ? v4Text(Number(x - MAPPED)) : v6Text(r, x), family: f === 4 ? "ipv4" : "ipv6" },
      });
      return { op: { method: "addRange", args: [sa(a, fa), sa(b, fb)] }, points: [a, b] };
    }
    return { op: { method: "addRange", args: [arg(a), arg(b), ...famArg] }, points: [a, b] };
  }
  const x = pick();
  const max = family === 4 ? 32 : 128;
  const prefix = r.chance(0.95)
    ? (r.chance(0.3) ? r.pick([0, 1, max - 1, max, 96, 104, 112, 120]) : r.int(max + 1))
    : r.pick([-1, max + 1, 1.5, "8", undefined]);
  const points: bigint[] = [x];
  if (typeof prefix === "number" && prefix >= 0 && prefix <= max && Number.isInteger(prefix)) {
    const span = BigInt(max - Math.min(max, prefix));
    const lo = (x >> span) << span;
    points.push(lo, lo + (1n << span) - 1n);
  }
  return { op: { method: "addSubnet", args: [arg(x), v(prefix), ...famArg] }, points };
}

function invalidOp(r: Rng): Op {
  const method = r.pick(["addAddress", "addRange", "addSubnet"] as const);
  const bad = r.pick<unknown>(["1.2.3", "::g", "", 1, null, undefined, "1.2.3.4%lo", "::1"]);
  const fam = r.pick<unknown>(["ipv4", "ipv6", "ipv5", 4, undefined]);
  if (method === "addRange") return { method, args: [v(bad), v(r.pick(["1.2.3.4", "::1", bad])), v(fam)] };
  if (method === "addSubnet") return { method, args: [v(bad), v(8), v(fam)] };
  return { method, args: [v(bad), v(fam)] };
}

// Probes for a boundary point x: x-1, x, x+1 spelled as IPv4 (when mapped), as mapped
// and compatible IPv6, and as plain IPv6.
function probesFor(r: Rng, x: bigint): Op[] {
  const out: Op[] = [];
  for (const y of [x - 1n, x, x + 1n]) {
    if (y < 0n || y > MAX128) continue;
    const fam = (f: string): Arg[] => r.chance(0.7) && f === "ipv4" ? [] : [v(f)];
    out.push({ method: "check", args: [addressArg(r, 6, y), ...fam(v6Family(r))] });
    if (y >= MAPPED && y <= MAPPED + 0xffffffffn) {
      const a = Number(y - MAPPED);
      out.push({ method: "check", args: [addressArg(r, 4, a), ...fam("ipv4")] });
      out.push({ method: "check", args: [v(v6Text(r, BigInt(a))), v("ipv6")] });
    }
  }
  return out;
}

function randomProbe(r: Rng): Op {
  const k = r.int(10);
  if (k < 4) return { method: "check", args: [addressArg(r, 4, randomV4(r))] };
  if (k < 8) return { method: "check", args: [addressArg(r, 6, randomV6(r)), v(v6Family(r))] };
  const text = r.pick(["1.2.3.4", "::ffff:1.2.3.4", "10.0.0.1", "::1"]);
  return {
    method: "check",
    args: [
      v(r.chance(0.5) ? mutate(r, text) : r.pick<unknown>([text, 1, null])),
      v(r.pick<unknown>(["ipv4", "ipv6", "IPV4", "ipv5", 4, undefined])),
    ],
  };
}

function report(diffs: string[]): void {
  if (diffs.length > 0) console.error(`first differences (seed ${SEED}):\n  ${diffs.slice(0, 20).join("\n  ")}`);
  assert.is(diffs.length, 0, `${diffs.length} differences from node:net`);
}

interface Pair {
  ours: AnyList;
  theirs: AnyList;
  log: string[];
  diffs: string[];
}

function newPair(diffs: string[]): Pair {
  return { ours: new BlockList(), theirs: new net.BlockList(), log: [], diffs };
}

// Runs `op` on both lists and records any difference; returns node's outcome.
function run(pair: Pair, op: Op): string {
  const a = apply(pair.ours, op, true);
  const b = apply(pair.theirs, op, false);
  const text = `${op.method}(${op.args.map(showArg).join(", ")})`;
  if (a !== b) pair.diffs.push(`[${pair.log.slice(-12).join("; ")}] ${text}: omninet ${a}, node ${b}`);
  if (op.method !== "check") pair.log.push(text);
  return b;
}

function compareRules(pair: Pair): void {
  const a = JSON.stringify(pair.ours.rules);
  const b = JSON.stringify(pair.theirs.rules);
  if (a !== b) pair.diffs.push(`[${pair.log.slice(-12).join("; ")}] rules: omninet ${a}, node ${b}`);
}

interface Tally {
  checks: number;
  hits: number;
}

// Adds `ruleCount` random rules, then probes every rule boundary and `extra` random
// points. With `interleave`, probes also run between the adds.
function exercise(r: Rng, pair: Pair, ruleCount: number, extra: number, interleave: boolean, tally: Tally): void {
  const points: bigint[] = [];
  const probe = (op: Op): void => {
    if (run(pair, op) === "ok true") tally.hits++;
    tally.checks++;
  };
  for (let i = 0; i < ruleCount; i++) {
    const { op, points: p } = r.chance(0.05) ? { op: invalidOp(r), points: [] } : randomRule(r);
    if (run(pair, op).startsWith("ok")) points.push(...p);
    if (interleave) { for (let k = 0; k < 3; k++) probe(randomProbe(r)); }
  }
  compareRules(pair);
  for (const x of points) for (const op of probesFor(r, x)) probe(op);
  for (let i = 0; i < extra; i++) probe(randomProbe(r));
}

const Oracle = suite("BlockList oracle");

Oracle("check() and rules agree with node:net over 400 random rule sets and 100,000+ checks", () => {
  const r = rng(SEED);
  const diffs: string[] = [];
  const tally = { checks: 0, hits: 0 };
  for (let set = 0; set < 400 && diffs.length < 20; set++) {
    const ruleCount = 1 + r.int(set % 4 === 0 ? 60 : 12);
    exercise(r, newPair(diffs), ruleCount, 150, set % 3 === 0, tally);
  }
  report(diffs);
  console.log(`  ${tally.checks} checks, ${tally.hits} blocked`);
  assert.ok(tally.checks >= 100_000, `${tally.checks} checks`);
  assert.ok(tally.hits > tally.checks / 10, `only ${tally.hits} of ${tally.checks} checks were blocked`);
});

Oracle("check() agrees with node:net on one list of 3,000 rules", () => {
  const r = rng(SEED + 1);
  const diffs: string[] = [];
  const tally = { checks: 0, hits: 0 };
  const pair = newPair(diffs);
  exercise(r, pair, 3_000, 3_000, false, tally);
  report(diffs);
  assert.ok(tally.hits > tally.checks / 10, `only ${tally.hits} of ${tally.checks} checks were blocked`);
});

Oracle("isBlockList() agrees with node:net (Node 24)", () => {
  const isBlockList = (net.BlockList as unknown as { isBlockList?: (v: unknown) => boolean }).isBlockList;
  if (isBlockList === undefined) {
    console.log("  (node:net has no BlockList.isBlockList on this Node; not compared)");
    return;
  }
  for (const value of [undefined, null, 1, "x", {}, { rules: [] }, new SocketAddress()]) {
    assert.is(BlockList.isBlockList(value), isBlockList(value));
  }
  assert.is(BlockList.isBlockList(new BlockList()), isBlockList(new net.BlockList()));
});

Oracle("toJSON() and fromJSON() agree with node:net, including malformed rule text (Node 24)", () => {
  if (!hasJSON) {
    console.log("  (node:net has no BlockList toJSON/fromJSON on this Node; not compared)");
    return;
  }
  const r = rng(SEED + 2);
  const diffs: string[] = [];
  const tally = { checks: 0, hits: 0 };
  for (let set = 0; set < 150 && diffs.length < 20; set++) {
    const source = newPair(diffs);
    exercise(r, source, 1 + r.int(15), 0, false, { checks: 0, hits: 0 });
    const a = JSON.stringify(source.ours);
    const b = JSON.stringify(source.theirs);
    if (a !== b) diffs.push(`JSON.stringify: omninet ${a}, node ${b}`);
    const rules: string[] = source.theirs.toJSON();
    const data: unknown[] = [
      rules,
      JSON.stringify(rules),
      rules.map((rule) => r.chance(0.3) ? mutate(r, rule) : rule),
      [...rules, r.pick(["junk", "Address: IPv4", "Subnet: IPv6 ::/129", "Range: IPv6 ::2-::1", "IPv4 IPv6"])],
      r.pick<unknown>(["[]", "{}", "[1]", "not json", 1, null, [1], ["Address: ipv6 ::1"]]),
    ];
    for (const input of data) {
      const pair = newPair(diffs);
      run(pair, { method: "fromJSON", args: [v(input)] });
      compareRules(pair);
      for (let i = 0; i < 40; i++) {
        if (run(pair, randomProbe(r)) === "ok true") tally.hits++;
        tally.checks++;
      }
    }
  }
  report(diffs);
  assert.ok(tally.hits > 0);
});

Oracle.run();
