// The randomized differential (tests/random/): seeded scenarios of random steps on a client
// and the server's socket (connect over TCP or a Unix socket, writes of 0 B-1 MiB in five
// encodings, end, destroy, destroySoon, pause/resume, setEncoding, read(n), setTimeout,
// half-open, server.close, maxConnections, pauseOnConnect, cork/uncork), each step gated on
// an event. Every scenario's per-socket trace must equal node:net's, recorded on Node 24 in
// tests/random/expected.json (scripts/record_random.ts), on this runtime's adapter and on
// the memory adapter. The scenarios where omninet still differs are listed in
// tests/random/known_differences.json with omninet's exact trace per runtime: they must
// still differ exactly so (a fix shows up here: every run matches node:net; update the list
// with `deno run -A scripts/soak_random.ts --update`). A timing-dependent one (a 'timeout', a
// racy step) may differ otherwise within the same cause group: that is printed, not failed.
//
// OMNINET_RANDOM=soak runs the 2,200-scenario soak set (`npm run soak:random`).
// OMNINET_RANDOM_DUMP=<file> writes omninet's differing traces there with their cause group
// (and shrunk reproductions of the first OMNINET_RANDOM_SHRINK=<n> of each group); the first
// new differences are shrunk and printed.
import { writeFileSync } from "node:fs";
import process from "node:process";
import { suite } from "uvu";
import * as assert from "uvu/assert";
import net from "../mod.ts";
import { createNet } from "../src/net.ts";
import { createMemoryAdapter } from "../adapters/memory/mod.ts";
import { describe, type Spec } from "./random/_gen.ts";
import { type NetLike, runSpec, type Traces } from "./random/_run.ts";
import {
  comparable,
  readExpected,
  readKnown,
  type Reproduction,
  SLICE,
  SOAK,
  specsOf,
  traceDiff,
} from "./random/_fixture.ts";
import { shrink } from "./random/_shrink.ts";
import { groupOf } from "./random/_groups.ts";
import { runtime } from "./_util.ts";

const set = process.env.OMNINET_RANDOM === "soak" ? SOAK : SLICE;
/** node20 / node24 / deno / bun: the known differences are per runtime. */
const name = process.env.OMNINET_RUNTIME ??
  (runtime === "node" ? `node${process.versions.node.split(".")[0]}` : runtime);
const expected = readExpected(set);
const known = readKnown();
const specs = specsOf(set);
const dumpFile = process.env.OMNINET_RANDOM_DUMP;
/** With a dump: shrink the first this many differences of each cause group. */
const shrinkPerGroup = Number(process.env.OMNINET_RANDOM_SHRINK ?? 0);
/** How many new differences a normal run shrinks and prints (each bounded to 30 s). */
const SHRINK_NEW = 2;
/** A run that differs is run again up to this many times (races the two recordings missed). */
const RETRIES = 2;

const test = suite(
  `random (${set.name}, ${specs.length} scenarios): omninet on ${name} against node:net ${expected.recordedWith}`,
);
const dump: Record<string, Record<string, { actual: Traces; group: string; shrunk?: Reproduction }>> = {};

test("the fixture holds at least 90% of the scenarios (unstable ones are dropped)", () => {
  const recorded = specs.filter((s) => s.id in expected.traces).length;
  assert.ok(recorded >= specs.length * 0.9, `only ${recorded} of ${specs.length} scenarios recorded`);
  const unknown = Object.keys(expected.traces).filter((id) => !specs.some((s) => s.id === id));
  assert.equal(unknown, [], "the fixture has scenarios this set does not generate: re-record");
});

function reproduction(steps: string[], e: Traces, a: Traces): Reproduction {
  return { steps, ...traceDiff(e, a) };
}

function show(r: Reproduction): string {
  return [
    ...r.steps.map((l) => `      ${l}`),
    "    node:net:",
    ...r.expected.map((l) => `      ${l}`),
    "    omninet:",
    ...r.actual.map((l) => `      ${l}`),
  ].join("\n");
}

/**
 * Scenarios run at once (each has its own sockets and waits for its own events; node:net
 * gives the same traces so, see scripts/record_random.ts). A scenario that differs is run
 * again alone, up to RETRIES times.
 */
const JOBS = Number(process.env.OMNINET_RANDOM_JOBS ?? 4);

/** Run `specs` on fresh networks, JOBS at a time. */
async function runAll(specs: Spec[], makeNet: () => NetLike): Promise<Traces[]> {
  const out: Traces[] = new Array(specs.length);
  let next = 0;
  const worker = async () => {
    while (next < specs.length) {
      const i = next++;
      out[i] = await runSpec(makeNet(), specs[i]);
    }
  };
  await Promise.all(Array.from({ length: JOBS }, worker));
  return out;
}

for (
  const [key, makeNet] of [
    [name, () => net as unknown as NetLike],
    [`${name}/memory`, () => createNet(createMemoryAdapter()) as unknown as NetLike],
  ] as [string, () => NetLike][]
) {
  test(`${key}: every scenario matches node:net, or still differs exactly as listed in known_differences.json`, async () => {
    const unexpected: string[] = [];
    const fixed: string[] = [];
    const changed: string[] = [];
    const sameCause: string[] = [];
    let matched = 0;
    let listedCount = 0;
    let shrunkNew = 0;
    const mine: Record<string, { actual: Traces; group: string; shrunk?: Reproduction }> = (dump[key] = {});
    const perGroup = new Map<string, number>();
    const ran = specs.filter((s) => s.id in expected.traces);
    const first = await runAll(ran, makeNet);
    for (const [i, spec] of ran.entries()) {
      const want = expected.traces[spec.id];
      const norm = (t: Traces) => JSON.stringify(comparable(spec, t));
      const wantText = norm(want);
      const listed = known[spec.id]?.actual[key];
      const listedText = listed && norm(listed);
      // A listed scenario must differ as listed; one that does not is run again (as is one
      // that differs from node:net), and counts as fixed only if every run matched node:net.
      let got = first[i];
      const runs = [norm(got)];
      for (let r = 0; r < RETRIES && runs[runs.length - 1] !== (listed ? listedText : wantText); r++) {
        got = await runSpec(makeNet(), spec);
        runs.push(norm(got));
      }
      const gotText = runs[runs.length - 1];
      if (gotText !== wantText) {
        const g = groupOf(spec, want, got);
        mine[spec.id] = { actual: got, group: g };
        const n = perGroup.get(g) ?? 0;
        perGroup.set(g, n + 1);
        if (n < shrinkPerGroup) mine[spec.id].shrunk = await shrunkRepro(spec, makeNet, want, got);
      }
      if (listed === undefined) {
        if (gotText === wantText) matched++;
        else {
          let text = `${spec.id} (${mine[spec.id].group})\n${show(reproduction(describe(spec), want, got))}`;
          if (shrunkNew++ < SHRINK_NEW) {
            const r = mine[spec.id].shrunk ?? (await shrunkRepro(spec, makeNet, want, got));
            mine[spec.id].shrunk = r;
            text += `\n    shrunk:\n${show(r)}`;
          }
          unexpected.push(text);
        }
      } else {
        listedCount++;
        if (runs.every((t) => t === wantText)) {
          fixed.push(`${spec.id}\n${describe(spec).map((l) => `      ${l}`).join("\n")}`);
        } else if (gotText === listedText) {
          // differs exactly as listed
        } else if (gotText !== wantText && groupOf(spec, want, got) === known[spec.id].group[key]) {
          // Timing (a 'timeout', a racy step): another trace of the same cause; not a failure.
          sameCause.push(spec.id);
        } else if (gotText === wantText) {
          sameCause.push(spec.id); // matched node:net in some runs, differed as listed in others
        } else {
          changed.push(
            `${spec.id}\n${show(reproduction(describe(spec), listed, got)).replace("node:net:", "listed:")}`,
          );
        }
      }
    }
    console.log(
      `${key}: ${matched} of ${specs.length} scenarios match node:net, ${listedCount} differ as listed in known_differences.json` +
        ` (${specs.length - ran.length} unstable on node:net, not run)` +
        (sameCause.length
          ? `; ${sameCause.length} listed differed otherwise this time, same cause: ${sameCause.join(" ")}`
          : ""),
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
}

async function shrunkRepro(spec: Spec, makeNet: () => NetLike, want: Traces, got: Traces): Promise<Reproduction> {
  const s = await shrink(spec, makeNet, want, got);
  return reproduction(describe(s.spec), s.expected, s.actual);
}

test.after(() => {
  if (dumpFile) writeFileSync(dumpFile, JSON.stringify(dump));
});

test.run();
