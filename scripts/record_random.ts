// Records node:net's trace of every randomized-differential scenario (tests/random/) into
// tests/random/expected.json (npm test's slice) and tests/random/soak.json (the soak set).
// Run it with Node 24 (the reference), which runs TypeScript directly:
//
//   node_modules/node24/bin/node scripts/record_random.ts [--runs N] [--only slice|soak] [--jobs N]
//
// Each scenario runs N times (default 2): the first as is, the others with every step
// delayed by 10 ms × run (jitter). A scenario whose trace changes between runs (a race: say,
// a destroy against an in-flight write) or whose run failed is left out and listed under
// `unstable`.
import * as nodeNet from "node:net";
import { writeFileSync } from "node:fs";
import process from "node:process";
import { type Expected, type ScenarioSet, SLICE, SOAK, specsOf } from "../tests/random/_fixture.ts";
import { type NetLike, runSpec, type Traces } from "../tests/random/_run.ts";

const isNode = !("Deno" in globalThis) && !("Bun" in globalThis);
if (!isNode || !process.version.startsWith("v24.")) {
  console.error(`record_random.ts must run on Node 24 (node_modules/node24/bin/node), not ${process.version}`);
  throw new Error("wrong runtime");
}
const arg = (name: string) => {
  const i = process.argv.indexOf(name);
  return i > 0 ? process.argv[i + 1] : undefined;
};
const runs = Number(arg("--runs") ?? 2);
const only = arg("--only");
/** Scenarios run at once (each has its own sockets and event counter; default 4). */
const jobs = Number(arg("--jobs") ?? 4);

async function record(set: ScenarioSet): Promise<void> {
  const started = Date.now();
  const out: Expected = { recordedWith: process.version, platform: process.platform, unstable: [], traces: {} };
  const specs = specsOf(set);
  const results: (Traces | undefined)[] = new Array(specs.length);
  let next = 0;
  let done = 0;
  const worker = async () => {
    while (next < specs.length) {
      const i = next++;
      const spec = specs[i];
      const seen: string[] = [];
      let first: Traces | undefined;
      for (let r = 0; r < runs; r++) {
        const traces = await runSpec(nodeNet as unknown as NetLike, spec, r * 10);
        first ??= traces;
        seen.push(JSON.stringify(traces));
      }
      results[i] = seen.some((s) => s !== seen[0]) || "harness" in first! ? undefined : first;
      if (++done % 100 === 0) console.log(`${set.name}: ${done} of ${specs.length}`);
    }
  };
  await Promise.all(Array.from({ length: jobs }, worker));
  for (const [i, spec] of specs.entries()) {
    if (results[i]) out.traces[spec.id] = results[i]!;
    else out.unstable.push(spec.id);
  }
  const target = new URL(`../tests/random/${set.file}`, import.meta.url);
  writeFileSync(target, JSON.stringify(out, null, 2) + "\n");
  console.log(
    `${set.name}: ${Object.keys(out.traces).length} of ${specs.length} scenarios recorded, ` +
      `${out.unstable.length} unstable dropped (${out.unstable.join(" ")}), ${Date.now() - started} ms`,
  );
}

for (const set of [SLICE, SOAK]) if (!only || only === set.name) await record(set);
