// Runs the differential scenarios whose name contains one of the arguments on omninet over
// Deno's handles (`handlesAdapter`) and prints each trace that differs from node:net's
// (tests/diff/expected.json): a quick loop while working on adapters/deno/_handles.ts.
//
//   node_modules/.bin/deno run -A scripts/investigate/deno_handles_scenarios.ts "accept write" "write sync"
import { handlesAdapter } from "../../adapters/deno/mod.ts";
import { createNet } from "../../src/net.ts";
import { type NetLike, runScenario, scenarios } from "../../tests/diff/scenarios.ts";
import { readExpected } from "../../tests/diff/_fixture.ts";

const expected = readExpected();
const filters = Deno.args;
let failed = 0;
let ran = 0;
for (const scenario of scenarios) {
  if (filters.length > 0 && !filters.some((f) => scenario.name.includes(f))) continue;
  if ((scenario.needs ?? []).some((cap) => !handlesAdapter.capabilities[cap])) continue;
  ran++;
  const traces = await runScenario(createNet(handlesAdapter) as unknown as NetLike, scenario);
  const want = JSON.stringify(expected.scenarios[scenario.name], null, 1);
  const got = JSON.stringify(traces, null, 1);
  if (want === got) continue;
  failed++;
  console.log(
    `DIFF ${scenario.name}\n  node:net: ${want.replace(/\n\s*/g, " ")}\n  omninet:  ${got.replace(/\n\s*/g, " ")}`,
  );
}
console.log(`${ran - failed} of ${ran} match`);
