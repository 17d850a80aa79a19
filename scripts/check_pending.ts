// Which pending differential scenarios (tests/diff/pending/) omninet now passes. First run
// on Node 24 with `--record` (node:net's traces into .pending.json), then on any runtime:
//
//   node_modules/node24/bin/node scripts/check_pending.ts --record
//   node_modules/.bin/deno run -A scripts/check_pending.ts [--memory]
//
// Prints, per scenario, "same" or the first differing lines. A scenario that is "same" on
// every target can move back into its area file (see tests/diff/pending/README.md).
import * as nodeNet from "node:net";
import { readFileSync, writeFileSync } from "node:fs";
import net from "../mod.ts";
import { createNet } from "../src/net.ts";
import { createMemoryAdapter } from "../adapters/memory/mod.ts";
import { etcHosts, realFileSystem } from "../tests/memory_machine.ts";
import { type NetLike, runScenario, type Scenario, type Traces } from "../tests/diff/scenarios.ts";
import { pendingFidelityScenarios } from "../tests/diff/pending/fidelity.ts";

const all: Scenario[] = [
  ...pendingFidelityScenarios,
];
const file = new URL("../.pending.json", import.meta.url);
const args = (globalThis as unknown as { process?: { argv: string[] } }).process?.argv ?? [];
const flag = (f: string) =>
  args.includes(f) || ((globalThis as { Deno?: { args: string[] } }).Deno?.args ?? []).includes(f);

if (flag("--record")) {
  const out: Record<string, Traces> = {};
  for (const s of all) out[s.name] = await runScenario(nodeNet as unknown as NetLike, s);
  writeFileSync(file, JSON.stringify(out));
  console.log(`recorded ${all.length} pending scenarios`);
} else {
  const expected = JSON.parse(readFileSync(file, "utf8")) as Record<string, Traces>;
  const memory = flag("--memory");
  for (const s of all) {
    const target = memory
      ? createNet(createMemoryAdapter({ fs: realFileSystem, hosts: etcHosts() })) as unknown as NetLike
      : net as unknown as NetLike;
    const got = await runScenario(target, s);
    const want = JSON.stringify(expected[s.name]);
    console.log(JSON.stringify(got) === want ? `same  ${s.name}` : `DIFF  ${s.name}`);
  }
}
