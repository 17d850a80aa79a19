// The differential check against the live oracle (Node only): every scenario runs on
// node:net and on omninet in this process. On Node 24 node:net must still produce the
// recorded fixture (a stale fixture fails here) and omninet must match it. On other Node
// majors node:net is not the reference: omninet must match the fixture, and node:net's
// own differences from Node 24 are listed (they are what Node 24 changed).
import * as nodeNet from "node:net";
import { suite } from "uvu";
import * as assert from "uvu/assert";
import net from "../../mod.ts";
import { type NetLike, runScenario, scenarios } from "../diff/scenarios.ts";
import { readExpected } from "../diff/_fixture.ts";

const expected = readExpected();
const version = (globalThis as unknown as { process: { version: string } }).process.version;
const reference = version.split(".")[0] === expected.recordedWith.split(".")[0];
const test = suite(`diff oracle: node:net ${version} and omninet against ${expected.recordedWith}`);
const changedSince: string[] = [];

for (const scenario of scenarios) {
  test(scenario.name, async () => {
    const oracle = await runScenario(nodeNet as unknown as NetLike, scenario);
    const ours = await runScenario(net as unknown as NetLike, scenario);
    const want = expected.scenarios[scenario.name];
    if (reference) {
      assert.equal(
        oracle,
        want,
        "node:net no longer gives the recorded trace: re-record with scripts/record_traces.ts",
      );
    } else if (JSON.stringify(oracle) !== JSON.stringify(want)) {
      changedSince.push(scenario.name);
    }
    assert.equal(ours, want, "omninet differs from node:net");
  });
}

test.after(() => {
  if (changedSince.length > 0) {
    console.log(`node:net ${version} differs from ${expected.recordedWith} in:\n  ${changedSince.join("\n  ")}`);
  }
});

test.run();
