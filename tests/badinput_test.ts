// The seeded bad-input differential (tests/badinput/): 800 generated calls with bad and
// edge arguments (connect/createConnection/Socket/listen/createServer/socket methods/
// BlockList/SocketAddress/isIP) run on omninet, and each outcome (what was thrown: name,
// code, message; the callbacks and first 'error' event that followed) must equal node:net's,
// recorded on Node 24 in tests/badinput/expected.json (scripts/record_badinput.ts). The
// cases where omninet still differs are listed in tests/badinput/known_differences.json
// with omninet's exact outcome per runtime: they must still differ exactly so (a fix shows
// up here, and its entry is then removed with scripts/update_badinput_known.ts).
//
// OMNINET_BADINPUT=soak runs the 6,000-case soak set instead (tests/badinput/soak.json;
// `npm run soak:badinput`). OMNINET_BADINPUT_DUMP=<file> writes omninet's outcomes there.
import { writeFileSync } from "node:fs";
import process from "node:process";
import { suite } from "uvu";
import * as assert from "uvu/assert";
import net from "../mod.ts";
import { casesOf, readExpected, readKnown, SLICE, SOAK } from "./badinput/_fixture.ts";
import { type Outcomes, runCases } from "./badinput/_run.ts";
import { runtime } from "./_util.ts";

const set = process.env.OMNINET_BADINPUT === "soak" ? SOAK : SLICE;
/** node20 / node24 / deno / bun: the known differences are per runtime. */
const name = process.env.OMNINET_RUNTIME ??
  (runtime === "node" ? `node${process.versions.node.split(".")[0]}` : runtime);
const expected = readExpected(set);
const known = readKnown();
const cases = casesOf(set);
const test = suite(
  `bad input (${set.name}, ${cases.length} cases): omninet on ${name} against node:net ${expected.recordedWith}`,
);

let actual: Outcomes = {};
test.before(async () => {
  actual = await runCases(net, cases);
  const dump = process.env.OMNINET_BADINPUT_DUMP;
  if (dump) writeFileSync(dump, JSON.stringify(actual));
});

test("the fixture was recorded from this generator (same case descriptions)", () => {
  const stale = cases.filter((c) => c.id in expected.cases && expected.cases[c.id].desc !== c.desc).map((c) => c.id);
  assert.equal(stale, [], "the generator changed: re-record with scripts/record_badinput.ts on Node 24");
  const recorded = cases.filter((c) => c.id in expected.cases).length;
  assert.ok(
    recorded >= cases.length * 0.98,
    `only ${recorded} of ${cases.length} cases recorded (unstable ones are dropped)`,
  );
});

test("every case matches node:net, or still differs exactly as listed in known_differences.json", () => {
  const unexpected: string[] = [];
  const fixed: string[] = [];
  const changed: string[] = [];
  let matched = 0;
  for (const c of cases) {
    const want = expected.cases[c.id]?.outcome;
    if (!want) continue;
    const got = JSON.stringify(actual[c.id]);
    const listed = known[c.id]?.actual[name];
    if (listed === undefined) {
      if (got === JSON.stringify(want)) matched++;
      else unexpected.push(`${c.id} ${c.desc}\n    node:net: ${JSON.stringify(want)}\n    omninet:  ${got}`);
    } else if (got === JSON.stringify(want)) {
      fixed.push(`${c.id} ${c.desc}`);
    } else if (got !== JSON.stringify(listed)) {
      changed.push(`${c.id} ${c.desc}\n    listed:  ${JSON.stringify(listed)}\n    omninet: ${got}`);
    }
  }
  const listed = cases.filter((c) => c.id in expected.cases && known[c.id]?.actual[name] !== undefined).length;
  console.log(
    `${name}: ${matched} of ${cases.length} cases match node:net, ${listed} differ as listed in known_differences.json`,
  );
  const report = [
    unexpected.length ? `${unexpected.length} new difference(s) from node:net:\n  ${unexpected.join("\n  ")}` : "",
    fixed.length
      ? `${fixed.length} listed difference(s) now match node:net (remove them):\n  ${fixed.join("\n  ")}`
      : "",
    changed.length ? `${changed.length} listed difference(s) changed:\n  ${changed.join("\n  ")}` : "",
  ].filter(Boolean).join("\n");
  assert.ok(report === "", report);
});

test.run();
