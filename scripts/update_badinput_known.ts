// Rewrites tests/badinput/known_differences.json: runs tests/badinput_test.ts on every
// runtime (Node 20/24 on the tsc output, Deno, Bun) for the slice and the soak set, with
// OMNINET_BADINPUT_DUMP, and lists every case whose outcome differs from node:net's
// fixture, with omninet's outcome per runtime and a cause group (tests/badinput/_groups.ts).
//
//   deno run -A scripts/update_badinput_known.ts [--only slice|soak] [--regroup (only recompute groups)]
import { join } from "node:path";
import { root, run, runtimes } from "./_runtimes.ts";
import { casesOf, type KnownDifference, readExpected, SLICE, SOAK } from "../tests/badinput/_fixture.ts";
import { groupOf } from "../tests/badinput/_groups.ts";

const regroupOnly = Deno.args.includes("--regroup");
const only = Deno.args.includes("--only") ? Deno.args[Deno.args.indexOf("--only") + 1] : undefined;
const knownPath = join(root, "tests/badinput/known_differences.json");
const previous: Record<string, KnownDifference> = JSON.parse(await Deno.readTextFile(knownPath));
const known: Record<string, KnownDifference> = {};
// Sets not re-run keep their entries.
for (const [id, k] of Object.entries(previous)) {
  const seed = Number(id.split("-")[0]);
  const inSlice = SLICE.seeds.some(([s]) => s === seed);
  if (only && (only === "slice") !== inSlice) known[id] = k;
}

if (regroupOnly) Object.assign(known, previous);
else await run(join(root, "node_modules/.bin/tsc"), ["-p", "tsconfig.json"]);
for (const set of [SLICE, SOAK]) {
  if (regroupOnly || (only && only !== set.name)) continue;
  const expected = readExpected(set);
  for (const rt of runtimes()) {
    const dump = await Deno.makeTempFile({ suffix: ".json" });
    const script = rt.compiled ? join(".build", "tests/badinput_test.js") : "tests/badinput_test.ts";
    const { stdout } = await new Deno.Command(rt.bin, {
      args: [...rt.args, script],
      cwd: root,
      env: { NO_COLOR: "1", OMNINET_RUNTIME: rt.name, OMNINET_BADINPUT: set.name, OMNINET_BADINPUT_DUMP: dump },
      stdout: "piped",
      stderr: "null",
    }).output();
    const actual: Record<string, string[]> = JSON.parse(await Deno.readTextFile(dump));
    await Deno.remove(dump);
    let n = 0;
    for (const c of casesOf(set)) {
      const want = expected.cases[c.id]?.outcome;
      if (!want || JSON.stringify(want) === JSON.stringify(actual[c.id])) continue;
      n++;
      const k = (known[c.id] ??= { desc: c.desc, expected: want, actual: {}, group: {} });
      k.actual[rt.name] = actual[c.id];
    }
    console.log(
      `${set.name} ${rt.name}: ${n} differences (${
        new TextDecoder().decode(stdout).includes("Passed") ? "ran" : "did not finish"
      })`,
    );
  }
}
const summary = new Map<string, Record<string, number>>();
for (const k of Object.values(known)) {
  k.group = {};
  for (const [runtime, actual] of Object.entries(k.actual)) {
    const group = groupOf({ desc: k.desc, runtime, expected: k.expected.join("\n"), actual: actual.join("\n") });
    k.group[runtime] = group;
    const counts = summary.get(group) ?? {};
    counts[runtime] = (counts[runtime] ?? 0) + 1;
    summary.set(group, counts);
  }
}
const sorted = Object.fromEntries(
  Object.entries(known).sort(([a], [b]) => {
    const [sa, ia] = a.split("-").map(Number);
    const [sb, ib] = b.split("-").map(Number);
    return sa - sb || ia - ib;
  }),
);
await Deno.writeTextFile(knownPath, JSON.stringify(sorted, null, 2) + "\n");
console.log(`wrote ${Object.keys(sorted).length} known differences; by group (cases per runtime, slice + soak):`);
for (const [group, counts] of [...summary].sort((a, b) => sum(b[1]) - sum(a[1]))) {
  const per = runtimes().map((rt) => `${rt.name} ${counts[rt.name] ?? 0}`).join(", ");
  console.log(`- ${group}: ${per}`);
}

function sum(counts: Record<string, number>): number {
  return Object.values(counts).reduce((a, b) => a + b, 0);
}
