// The differential suite on one network: every scenario's per-socket event trace must
// equal node:net's, recorded on Node 24 in tests/diff/expected.json. A scenario that needs
// a capability the adapter lacks checks the clear error users get instead.
import { suite } from "uvu";
import * as assert from "uvu/assert";
import type { RuntimeAdapter } from "../../src/contract.ts";
import { createNet } from "../../src/net.ts";
import { assertUnavailable } from "./_unavailable.ts";
import { type NetLike, runScenario, scenarios } from "./scenarios.ts";
import { readExpected } from "./_fixture.ts";

/**
 * Run every scenario on `makeNet()` (called per scenario: a memory network can start
 * empty each time), whose adapter is `adapter`.
 */
export function diffSuite(title: string, adapter: RuntimeAdapter, makeNet: () => NetLike): void {
  const expected = readExpected();
  const test = suite(`${title} against node:net (${expected.recordedWith})`);

  test("the fixture holds a trace for every scenario, and at least 40 of them", () => {
    const missing = scenarios.map((s) => s.name).filter((name) => !(name in expected.scenarios));
    assert.equal(missing, [], "scenarios without a recorded trace: run scripts/record_traces.ts on Node 24");
    assert.ok(scenarios.length >= 40, `${scenarios.length} scenarios`);
  });

  for (const scenario of scenarios) {
    const lacking = (scenario.needs ?? []).filter((cap) => !adapter.capabilities[cap]);
    if (lacking.length > 0) {
      // node:net's trace cannot happen on this adapter; what users get instead is a clear error.
      test(`${scenario.name} (${adapter.name} lacks ${lacking.join(", ")}: the clear error instead)`, async () => {
        await assertUnavailable(createNet(adapter), lacking);
      });
      continue;
    }
    test(scenario.name, async () => {
      const traces = await runScenario(makeNet(), scenario);
      assert.equal(traces, expected.scenarios[scenario.name], "omninet's trace differs from node:net's");
    });
  }

  test.run();
}
