// Records node:net's trace for every differential scenario into tests/diff/expected.json.
// Run it with Node 24 (the reference), which runs TypeScript directly:
//
//   node_modules/node24/bin/node scripts/record_traces.ts [--runs N]
//
// Each scenario runs N times (default 5); a scenario whose trace changes between runs is
// reported and nothing is written, so only deterministic traces become the fixture.
import * as nodeNet from "node:net";
import { writeFileSync } from "node:fs";
import { type NetLike, runScenario, scenarios, type Traces } from "../tests/diff/scenarios.ts";
import type { Expected } from "../tests/diff/_fixture.ts";

const target = new URL("../tests/diff/expected.json", import.meta.url);

const proc = (globalThis as unknown as { process: { version: string; platform: string; argv: string[] } }).process;
const isNode = !("Deno" in globalThis) && !("Bun" in globalThis);
if (!isNode || !proc.version.startsWith("v24.")) {
  console.error(`record_traces.ts must run on Node 24 (node_modules/node24/bin/node), not ${proc.version}`);
  throw new Error("wrong runtime");
}
const runsArg = proc.argv.indexOf("--runs");
const runs = runsArg > 0 ? Number(proc.argv[runsArg + 1]) : 5;

const names = new Set<string>();
const out: Record<string, Traces> = {};
const unstable: string[] = [];
for (const scenario of scenarios) {
  if (names.has(scenario.name)) throw new Error(`duplicate scenario name: ${scenario.name}`);
  names.add(scenario.name);
  const seen: string[] = [];
  let first: Traces | undefined;
  for (let i = 0; i < runs; i++) {
    const traces = await runScenario(nodeNet as unknown as NetLike, scenario);
    first ??= traces;
    seen.push(JSON.stringify(traces));
  }
  const stable = seen.every((s) => s === seen[0]);
  const failed = first && "harness" in first;
  console.log(`${stable && !failed ? "ok      " : "UNSTABLE"} ${scenario.name}`);
  if (!stable || failed) {
    unstable.push(scenario.name);
    for (const s of new Set(seen)) console.log(`  ${s}`);
  }
  out[scenario.name] = first!;
}

if (unstable.length > 0) {
  console.error(`${unstable.length} scenario(s) unstable or failing on node:net; fixture not written`);
  throw new Error("unstable scenarios");
}
const expected: Expected = { recordedWith: proc.version, platform: proc.platform, scenarios: out };
writeFileSync(target, JSON.stringify(expected, null, 2) + "\n");
console.log(`wrote ${Object.keys(out).length} scenarios to ${target.pathname}`);
