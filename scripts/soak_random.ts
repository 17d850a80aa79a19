// `npm run soak:random`: the randomized differential's soak set (tests/random/soak.json,
// 2,000 scenarios of seeds 2-3) on Node 20, Node 24 (tsc output), Deno and Bun:
// tests/random_test.ts with OMNINET_RANDOM=soak. Same rules as the npm test slice: every
// scenario matches node:net or differs exactly as tests/random/known_differences.json lists.
// Pass runtime names to run only those.
//
//   deno run -A scripts/soak_random.ts [node20 node24 deno bun] [--slice]
//   deno run -A scripts/soak_random.ts --update [--only slice|soak] [--shrink N] [--shrink-soak N] [runtimes]
//   deno run -A scripts/soak_random.ts --table    (README's cause table from the known list)
//   deno run -A scripts/soak_random.ts --regroup  (recompute the groups after editing _groups.ts)
//
// --slice runs npm test's slice instead. --update rebuilds known_differences.json: runs every
// runtime (both adapters) on the slice and the soak set, keeps omninet's trace of each
// scenario that differs, its cause group (tests/random/_groups.ts) and, for the first N of each
// group and runtime key (--shrink, default 1, on the slice; --shrink-soak, default 0, on the
// soak set: shrinking costs up to 20 s a scenario), a shrunk reproduction (node:net's side recorded live on Node 24).
import { join } from "node:path";
import { root, run, runtimes } from "./_runtimes.ts";
import type { KnownDifference, Reproduction } from "../tests/random/_fixture.ts";
import type { Traces } from "../tests/random/_run.ts";

const args = Deno.args;
const update = args.includes("--update");
const onlyIdx = args.indexOf("--only");
const onlySet = onlyIdx >= 0 ? args[onlyIdx + 1] : undefined;
const shrinkIdx = args.indexOf("--shrink");
const shrinkPerGroup = shrinkIdx >= 0 ? args[shrinkIdx + 1] : "1";
const soakShrinkIdx = args.indexOf("--shrink-soak");
const soakShrinkPerGroup = soakShrinkIdx >= 0 ? args[soakShrinkIdx + 1] : "0";
const only = args.filter((a) => ["node20", "node24", "deno", "bun"].includes(a));

if (args.includes("--regroup")) {
  // Recompute every entry's cause group from its stored traces (after editing _groups.ts).
  const { groupOf } = await import("../tests/random/_groups.ts");
  const { generate } = await import("../tests/random/_gen.ts");
  const path = join(root, "tests/random/known_differences.json");
  const known: Record<string, KnownDifference> = JSON.parse(await Deno.readTextFile(path));
  for (const [id, entry] of Object.entries(known)) {
    const [seed, index] = id.split("-").map(Number);
    for (const [key, actual] of Object.entries(entry.actual)) {
      entry.group[key] = groupOf(generate(seed, index), entry.expected, actual);
    }
  }
  await Deno.writeTextFile(path, JSON.stringify(known, null, 2) + "\n");
  console.log(await groupTable());
  Deno.exit(0);
}

if (args.includes("--table")) {
  console.log(await groupTable());
  Deno.exit(0);
}

/** The README's table: per cause group, differing scenarios per runtime key, slice / all. */
async function groupTable(): Promise<string> {
  const known: Record<string, KnownDifference> = JSON.parse(
    await Deno.readTextFile(join(root, "tests/random/known_differences.json")),
  );
  const keys = ["node20", "node24", "deno", "bun"].flatMap((r) => [r, `${r}/memory`]);
  const counts = new Map<string, Map<string, [number, number]>>();
  const examples = new Map<string, string[]>();
  const totals = new Map<string, [number, number]>();
  for (const [id, entry] of Object.entries(known)) {
    for (const [key, group] of Object.entries(entry.group)) {
      const byKey = counts.get(group) ?? new Map<string, [number, number]>();
      counts.set(group, byKey);
      const c = byKey.get(key) ?? [0, 0];
      const t = totals.get(key) ?? [0, 0];
      if (id.startsWith("1-")) (c[0]++, t[0]++);
      c[1]++, t[1]++;
      byKey.set(key, c), totals.set(key, t);
      const ex = examples.get(group) ?? [];
      if (ex.length < 3 && !ex.includes(id)) ex.push(id);
      examples.set(group, ex);
    }
  }
  const cell = (c?: [number, number]) => (c ? `${c[0]} / ${c[1]}` : "0");
  const rows = [...counts.entries()].sort((a, b) =>
    [...b[1].values()].reduce((n, c) => n + c[1], 0) - [...a[1].values()].reduce((n, c) => n + c[1], 0)
  );
  return [
    `| cause | ${keys.join(" | ")} | e.g. |`,
    `| --- | ${keys.map(() => "---").join(" | ")} | --- |`,
    ...rows.map(([group, byKey]) =>
      `| ${group} | ${keys.map((k) => cell(byKey.get(k))).join(" | ")} | ${examples.get(group)!.join(", ")} |`
    ),
    `| **total** | ${keys.map((k) => cell(totals.get(k))).join(" | ")} | |`,
  ].join("\n");
}

await run(join(root, "node_modules/.bin/tsc"), ["-p", "tsconfig.json"]);

interface Dumped {
  [key: string]: Record<string, { actual: Traces; group: string; shrunk?: Reproduction }>;
}

async function runOne(
  rt: ReturnType<typeof runtimes>[number],
  set: string,
  env: Record<string, string> = {},
): Promise<{ ok: boolean; out: string; ms: number }> {
  const script = rt.compiled ? join(".build", "tests/random_test.js") : "tests/random_test.ts";
  const started = Date.now();
  const { code, stdout, stderr } = await new Deno.Command(rt.bin, {
    args: [...rt.args, script],
    cwd: root,
    env: { NO_COLOR: "1", OMNINET_RUNTIME: rt.name, OMNINET_RANDOM: set, ...env },
    stdout: "piped",
    stderr: "piped",
  }).output();
  const out = new TextDecoder().decode(stdout) + new TextDecoder().decode(stderr);
  const ok = code === 0 && /Passed:\s+(\d+)/.exec(out)?.[1] === /Total:\s+(\d+)/.exec(out)?.[1];
  return { ok, out, ms: Date.now() - started };
}

if (!update) {
  const set = args.includes("--slice") ? "slice" : "soak";
  let failed = 0;
  for (const rt of runtimes()) {
    if (only.length > 0 && !only.includes(rt.name)) continue;
    const { ok, out, ms } = await runOne(rt, set);
    const summary = [...out.matchAll(/\S+: \d+ of \d+ scenarios match node:net[^\n]*/g)].map((m) => m[0]);
    console.log(`${ok ? "ok  " : "FAIL"} ${rt.name.padEnd(6)} (${ms} ms)\n  ${summary.join("\n  ")}`);
    if (!ok) {
      failed++;
      console.log(out.trim());
    }
  }
  Deno.exit(failed ? 1 : 0);
}

// --update
const knownPath = join(root, "tests/random/known_differences.json");
let known: Record<string, KnownDifference> = {};
try {
  known = JSON.parse(await Deno.readTextFile(knownPath));
} catch { /* first run */ }
const { describe, generate } = await import("../tests/random/_gen.ts");
const { readExpected, SLICE, SOAK } = await import("../tests/random/_fixture.ts");
for (const setName of ["slice", "soak"]) {
  if (onlySet && onlySet !== setName) continue;
  const expected = readExpected(setName === "slice" ? SLICE : SOAK);
  const prefix = setName === "slice" ? ["1-"] : ["2-", "3-"];
  // Forget this set's entries; they are rebuilt from the runs below.
  for (const id of Object.keys(known)) if (prefix.some((p) => id.startsWith(p))) delete known[id];
  for (const rt of runtimes()) {
    if (only.length > 0 && !only.includes(rt.name)) continue;
    const dumpFile = await Deno.makeTempFile({ suffix: ".json" });
    const { out, ms } = await runOne(rt, setName, {
      OMNINET_RANDOM_DUMP: dumpFile,
      OMNINET_RANDOM_SHRINK: setName === "slice" ? shrinkPerGroup : soakShrinkPerGroup,
    });
    const summary = [...out.matchAll(/\S+: \d+ of \d+ scenarios match node:net[^\n]*/g)].map((m) => m[0]);
    console.log(`${setName} ${rt.name} (${ms} ms)\n  ${summary.join("\n  ")}`);
    const dumped = JSON.parse(await Deno.readTextFile(dumpFile)) as Dumped;
    await Deno.remove(dumpFile);
    for (const [key, byId] of Object.entries(dumped)) {
      for (const [id, d] of Object.entries(byId)) {
        const [seed, index] = id.split("-").map(Number);
        const entry = (known[id] ??= {
          steps: describe(generate(seed, index)),
          expected: expected.traces[id],
          actual: {},
          shrunk: {},
          group: {},
        });
        entry.actual[key] = d.actual;
        entry.group[key] = d.group;
        if (d.shrunk) entry.shrunk[key] = d.shrunk;
      }
    }
  }
}
const sorted: Record<string, KnownDifference> = {};
const order = (id: string) => id.split("-").map(Number);
for (const id of Object.keys(known).sort((a, b) => order(a)[0] - order(b)[0] || order(a)[1] - order(b)[1])) {
  sorted[id] = known[id];
}
await Deno.writeTextFile(knownPath, JSON.stringify(sorted, null, 2) + "\n");
console.log(`wrote ${Object.keys(sorted).length} known differences to ${knownPath}\n`);
console.log(await groupTable());
