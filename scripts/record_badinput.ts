// Records node:net's outcome for every generated bad-input case (tests/badinput/) into
// tests/badinput/expected.json (`npm test`'s slice) and tests/badinput/soak.json (the
// soak set). Run it with Node 24 (the reference), which runs TypeScript directly:
//
//   node_modules/node24/bin/node scripts/record_badinput.ts [--runs N] [--only slice|soak]
//
// Every set runs N times (default 2) and a case whose outcome differs between runs is
// dropped from the fixture (the test then skips it), so only deterministic outcomes stay.
import * as nodeNet from "node:net";
import dns from "node:dns";
import { writeFileSync } from "node:fs";
import { type CaseSet, casesOf, type Expected, SLICE, SOAK } from "../tests/badinput/_fixture.ts";
import { runCases } from "../tests/badinput/_run.ts";

const proc = (globalThis as unknown as { process: { version: string; platform: string; argv: string[] } }).process;
const isNode = !("Deno" in globalThis) && !("Bun" in globalThis);
if (!isNode || !proc.version.startsWith("v24.")) {
  console.error(`record_badinput.ts must run on Node 24 (node_modules/node24/bin/node), not ${proc.version}`);
  throw new Error("wrong runtime");
}
const arg = (name: string): string | undefined => {
  const i = proc.argv.indexOf(name);
  return i > 0 ? proc.argv[i + 1] : undefined;
};
const runs = Number(arg("--runs") ?? 2);
const only = arg("--only");

// Guard: no case may send a name to DNS (only localhost and literal addresses resolve here).
const realLookup = dns.lookup;
const leaked = new Set<string>();
(dns as unknown as { lookup: (...a: unknown[]) => unknown }).lookup = function (host: unknown, ...rest: unknown[]) {
  if (typeof host === "string" && host !== "localhost" && nodeNet.isIP(host) === 0) {
    leaked.add(host);
    throw new Error(`record_badinput: a case reached DNS with ${JSON.stringify(host)}`);
  }
  return (realLookup as (...a: unknown[]) => unknown).call(dns, host, ...rest);
};

for (const set of [SLICE, SOAK] as CaseSet[]) {
  if (only && only !== set.name) continue;
  const cases = casesOf(set);
  const results = [];
  for (let i = 0; i < runs; i++) results.push(await runCases(nodeNet, cases));
  const out: Expected = { recordedWith: proc.version, platform: proc.platform, cases: {} };
  let dropped = 0;
  for (const c of cases) {
    const seen = results.map((r) => JSON.stringify(r[c.id]));
    if (seen.some((s) => s !== seen[0])) {
      dropped++;
      console.log(`unstable, dropped: ${c.id} ${c.desc}\n  ${[...new Set(seen)].join("\n  ")}`);
      continue;
    }
    out.cases[c.id] = { desc: c.desc, outcome: results[0][c.id] };
  }
  if (leaked.size > 0) throw new Error(`cases reached DNS: ${[...leaked].join(", ")}`);
  const target = new URL(`../tests/badinput/${set.file}`, import.meta.url);
  writeFileSync(target, JSON.stringify(out, null, 2) + "\n");
  console.log(
    `${set.name}: wrote ${Object.keys(out.cases).length} cases (${dropped} unstable dropped) to ${target.pathname}`,
  );
}
