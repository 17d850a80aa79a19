// Differential test: omninet's SocketAddress against node:net's on generated options
// and parse() input. Runs on Node 20 and 24; Node 24-only features are compared only
// where node:net has them. Inputs that abort Node (a failed C++ CHECK) are left out:
// flowlabel > 0xfffff for IPv6 (both), flowlabel >= 2**31 (Node 24), string or -0
// ports (Node 20).
import * as net from "node:net";
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { SocketAddress } from "../../src/address/socket_address.ts";
import { ipCorpus, mutate, outcome, randomIPv4, randomIPv6, rng } from "./_ip_corpus.ts";

const SEED = 0x5a11;
const hasParse = typeof (net.SocketAddress as unknown as { parse?: unknown }).parse === "function";
type Ctor = new (options?: unknown) => { toJSON(): unknown; address: string; port: number; family: string };
const Ours = SocketAddress as unknown as Ctor;
const Theirs = net.SocketAddress as unknown as Ctor;

function describe(Class: Ctor, options: unknown): string {
  return outcome(() => {
    const sa = new Class(options);
    return [sa.toJSON(), sa.address, sa.port, sa.family];
  });
}

function show(value: unknown): string {
  try {
    return JSON.stringify(value, (_k, v) => typeof v === "bigint" ? `${v}n` : v === undefined ? "<undefined>" : v);
  } catch {
    return String(value);
  }
}

function report(diffs: string[]): void {
  if (diffs.length > 0) console.error(`first differences (seed ${SEED}):\n  ${diffs.slice(0, 20).join("\n  ")}`);
  assert.is(diffs.length, 0, `${diffs.length} differences from node:net`);
}

const families: unknown[] = [
  undefined,
  "ipv4",
  "ipv6",
  "IPv4",
  "IPv6",
  "IPV6",
  "ipv5",
  "",
  4,
  6,
  null,
  { toLowerCase: () => "ipv6" },
  { toLowerCase: () => "x" },
];
const ports: unknown[] = [undefined, 0, 1, 80, 443, 65535, 65536, -1, 1.5, NaN, Infinity, "", "   ", true, null, 10n];
const stringPorts: unknown[] = ["80", " 80 ", "0x10", "1e3", "65535", "65536", "-1", "08"];
const flowlabels: unknown[] = [undefined, 0, 1, 0xfffff, 12345, -1, 1.5, "1", NaN, 2 ** 32, null];

function generatedOptions(count: number): unknown[] {
  const r = rng(SEED);
  const corpus = ipCorpus(SEED, count);
  const out: unknown[] = [undefined, {}, null, [], "x", 1, () => {}];
  for (let i = 0; out.length < count; i++) {
    const family = r.pick(families);
    const options: Record<string, unknown> = {};
    if (family !== undefined || r.chance(0.5)) options.family = family;
    const address = r.chance(0.9) ? corpus[i % corpus.length] : r.pick([undefined, 1, null, {}, ["::1"]]);
    if (address !== undefined || r.chance(0.5)) options.address = address;
    const port = r.chance(0.7) ? 0 : hasParse && r.chance(0.3) ? r.pick(stringPorts) : r.pick(ports);
    if (port !== 0 || r.chance(0.5)) options.port = port;
    let flowlabel = r.chance(0.7) ? 0 : r.pick(flowlabels);
    if ((family === undefined || family === "ipv4") && r.chance(0.05)) flowlabel = 0x100000 + r.int(0x7fefffff);
    if (flowlabel !== 0 || r.chance(0.5)) options.flowlabel = flowlabel;
    out.push(options);
  }
  return out;
}

const Oracle = suite("SocketAddress oracle");

Oracle("new SocketAddress() agrees with node:net on 12,000 generated option objects", () => {
  const diffs: string[] = [];
  const seen = new Map<string, number>();
  for (const options of generatedOptions(12_000)) {
    const a = describe(Ours, options);
    const b = describe(Theirs, options);
    if (a !== b) diffs.push(`new SocketAddress(${show(options)}): omninet ${a}, node ${b}`);
    const kind = b.startsWith("ok") ? "ok" : b.split(" ")[2];
    seen.set(kind, (seen.get(kind) ?? 0) + 1);
  }
  report(diffs);
  // Every outcome Node has is exercised: success and each error code.
  const codes = ["ok", "ERR_INVALID_ADDRESS", "ERR_INVALID_ARG_TYPE", "ERR_INVALID_ARG_VALUE", "ERR_SOCKET_BAD_PORT"];
  for (const code of [...codes, "ERR_OUT_OF_RANGE"]) {
    assert.ok((seen.get(code) ?? 0) >= 50, `${code}: ${seen.get(code)}`);
  }
});

Oracle("every corpus string parses as Node parses it for both families", () => {
  const diffs: string[] = [];
  for (const address of ipCorpus(SEED + 1, 10_000)) {
    for (const family of ["ipv4", "ipv6"]) {
      const a = describe(Ours, { address, family });
      const b = describe(Theirs, { address, family });
      if (a !== b) diffs.push(`{address: ${show(address)}, family: ${family}}: omninet ${a}, node ${b}`);
    }
  }
  report(diffs);
});

function parseCorpus(count: number): string[] {
  const r = rng(SEED + 2);
  const hosts = [
    () => randomIPv4(r),
    () => `[${randomIPv6(r, false)}]`,
    () => `[${randomIPv6(r)}]`,
    () => randomIPv6(r, false),
    () => r.pick(["127.1", "0x7f.1", "2130706433", "0177.0.0.1", "1.2.3", "localhost", "example.com", "%31.2.3.4"]),
    () => r.pick(["", "[]", "[::1", "::1]", "[1.2.3.4]", "[::ffff:1.2.3.4]", "user@1.2.3.4", "u:p@[::1]"]),
  ];
  const suffixes = ["", ":", ":0", ":80", ":81", ":8080", ":65535", ":65536", ":-1", ":080", ":1e3", "/x", "?q", "#f"];
  const out: string[] = [];
  while (out.length < count) {
    let s = r.pick(hosts)() + r.pick(suffixes);
    if (r.chance(0.1)) s += r.pick(suffixes);
    if (r.chance(0.1)) s = r.pick([` ${s}`, `${s}\t`, `\n${s}`, `${s}\\x`, s.toUpperCase()]);
    if (r.chance(0.2)) s = mutate(r, s);
    out.push(s);
  }
  return out;
}

Oracle("SocketAddress.parse() agrees with node:net on 10,000 generated strings (Node 24)", () => {
  if (!hasParse) {
    console.log("  (node:net has no SocketAddress.parse on this Node; not compared)");
    return;
  }
  const parse = (net.SocketAddress as unknown as { parse(s: unknown): { toJSON(): unknown } | undefined }).parse;
  const diffs: string[] = [];
  let parsed = 0;
  for (const input of [...parseCorpus(10_000), 1, undefined, null, {}] as unknown[]) {
    const a = outcome(() => SocketAddress.parse(input as string)?.toJSON());
    const b = outcome(() => parse(input)?.toJSON());
    if (a !== b) diffs.push(`parse(${show(input)}): omninet ${a}, node ${b}`);
    if (b.startsWith("ok {")) parsed++;
  }
  report(diffs);
  assert.ok(parsed > 2_000 && parsed < 8_000, `${parsed} of 10,000 parsed`);
});

Oracle("isSocketAddress() agrees with node:net on its own instances and on look-alikes", () => {
  const isSocketAddress = (net.SocketAddress as unknown as { isSocketAddress(v: unknown): boolean }).isSocketAddress;
  const values = [undefined, null, 1, "1.2.3.4", {}, { address: "1.2.3.4", port: 0, family: "ipv4" }];
  for (const value of values) {
    assert.is(SocketAddress.isSocketAddress(value), isSocketAddress(value));
  }
  assert.is(SocketAddress.isSocketAddress(new SocketAddress()), true);
  assert.is(isSocketAddress(new Theirs()), true);
});

Oracle.run();
