// The differential check on every runtime: each scenario in tests/diff/ runs on omninet
// and its per-socket event trace must equal node:net's, recorded on Node 24 in
// tests/diff/expected.json (scripts/record_traces.ts; tests/oracle/diff_oracle_test.ts
// keeps that fixture honest against the live node:net).
import { suite } from "uvu";
import * as assert from "uvu/assert";
import net, { createNet, detectAdapter } from "../mod.ts";
import { assertUnavailable } from "./diff/_unavailable.ts";
import { type NetLike, runScenario, scenarios } from "./diff/scenarios.ts";
import { readExpected } from "./diff/_fixture.ts";
import { runtime } from "./_util.ts";

const expected = readExpected();
const test = suite(`diff: omninet on ${runtime} against node:net (${expected.recordedWith})`);

test("the fixture holds a trace for every scenario, and at least 40 of them", () => {
  const missing = scenarios.map((s) => s.name).filter((name) => !(name in expected.scenarios));
  assert.equal(missing, [], "scenarios without a recorded trace: run scripts/record_traces.ts on Node 24");
  assert.ok(scenarios.length >= 40, `${scenarios.length} scenarios`);
});

const adapter = detectAdapter();

for (const scenario of scenarios) {
  const lacking = (scenario.needs ?? []).filter((cap) => !adapter.capabilities[cap]);
  if (lacking.length > 0) {
    // node:net's trace cannot happen on this runtime; what users get instead is a clear error.
    test(`${scenario.name} (${adapter.name} lacks ${lacking.join(", ")}: the clear error instead)`, async () => {
      await assertUnavailable(createNet(adapter), lacking);
    });
    continue;
  }
  test(scenario.name, async () => {
    const traces = await runScenario(net as unknown as NetLike, scenario);
    assert.equal(traces, expected.scenarios[scenario.name], "omninet's trace differs from node:net's");
  });
}

test.run();
