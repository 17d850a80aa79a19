// The randomized differential's fixtures: node:net's traces recorded on Node 24
// (scripts/record_random.ts) and omninet's known differences per runtime and adapter
// (`deno run -A scripts/soak_random.ts --update`).
import { readFileSync } from "node:fs";
import { sourceFile } from "../_util.ts";
import { generateRange, type Spec } from "./_gen.ts";
import type { Traces } from "./_run.ts";

/** Which scenarios a run covers: `npm test`'s slice or the soak run's larger set. */
export interface ScenarioSet {
  name: "slice" | "soak";
  /** Fixture file under tests/random/. */
  file: string;
  /** [seed, count] pairs. */
  seeds: [number, number][];
}

/** `npm test`: seed 1, 250 scenarios. */
export const SLICE: ScenarioSet = { name: "slice", file: "expected.json", seeds: [[1, 250]] };
/** `npm run soak:random`: 2,200 more scenarios from seeds 2 and 3 (over 2,000 stable ones). */
export const SOAK: ScenarioSet = { name: "soak", file: "soak.json", seeds: [[2, 1100], [3, 1100]] };

/** The scenarios of a set, in run order. */
export function specsOf(set: ScenarioSet): Spec[] {
  return set.seeds.flatMap(([seed, count]) => generateRange(seed, 0, count));
}

/** A fixture file: node:net's trace of each stable scenario (unstable ones are left out). */
export interface Expected {
  recordedWith: string;
  platform: string;
  /** Scenarios whose two recordings differed: dropped. */
  unstable: string[];
  traces: Record<string, Traces>;
}

/** A shrunk reproduction: the step list and the trace lines where node:net and omninet part. */
export interface Reproduction {
  steps: string[];
  /** `label: expected line` / `label: actual line` from the first line that differs, per label. */
  expected: string[];
  actual: string[];
}

/** One known difference: node:net's trace and omninet's, per runtime (`node20`, `deno/memory` …). */
export interface KnownDifference {
  steps: string[];
  expected: Traces;
  actual: Record<string, Traces>;
  /** The shrunk reproduction, per runtime key. */
  shrunk: Record<string, Reproduction>;
  /** Cause group per runtime key (tests/random/README.md). */
  group: Record<string, string>;
}

export function readExpected(set: ScenarioSet): Expected {
  return JSON.parse(readFileSync(sourceFile(`tests/random/${set.file}`), "utf8")) as Expected;
}

export function readKnown(): Record<string, KnownDifference> {
  try {
    return JSON.parse(readFileSync(sourceFile("tests/random/known_differences.json"), "utf8"));
  } catch {
    return {};
  }
}

/** The lines where two traces part: per label, from the first differing line on (at most 4 each). */
export function traceDiff(expected: Traces, actual: Traces): { expected: string[]; actual: string[] } {
  const out = { expected: [] as string[], actual: [] as string[] };
  const labels = [...new Set([...Object.keys(expected), ...Object.keys(actual)])].sort();
  for (const label of labels) {
    const a = expected[label] ?? [];
    const b = actual[label] ?? [];
    let i = 0;
    while (i < a.length && i < b.length && a[i] === b[i]) i++;
    if (i === a.length && i === b.length) continue;
    out.expected.push(...(a.length > i ? a.slice(i, i + 4).map((l) => `${label}: ${l}`) : [`${label}: (end)`]));
    out.actual.push(...(b.length > i ? b.slice(i, i + 4).map((l) => `${label}: ${l}`) : [`${label}: (end)`]));
  }
  return out;
}

/**
 * `traces` as compared: in a scenario with a `setTimeout(ms > 0)` step, without its 'timeout'
 * entries, and received data as counts only (consecutive entries of a kind summed, as a
 * 'timeout' between them would have split them). When an idle timer fires is wall time, not
 * events: on a loaded machine it fires before or after other events, or not at all, on
 * node:net as on omninet.
 */
export function comparable(spec: Spec, traces: Traces): Traces {
  if (!spec.steps.some((s) => s.act.op === "setTimeout" && s.act.ms > 0)) return traces;
  const out: Traces = {};
  for (const [label, lines] of Object.entries(traces)) {
    const kept: string[] = [];
    let last: { kind: string; n: number } | undefined;
    for (const line of lines) {
      if (line === "timeout") continue;
      const m = /^(data string|data|read)\((\d+) #[0-9a-f]+\)$/.exec(line);
      if (m && last && last.kind === m[1] && kept.length > 0 && kept[kept.length - 1].startsWith(`${m[1]}(`)) {
        last.n += Number(m[2]);
        kept[kept.length - 1] = `${m[1]}(${last.n})`;
      } else if (m) {
        last = { kind: m[1], n: Number(m[2]) };
        kept.push(`${m[1]}(${last.n})`);
      } else {
        last = undefined;
        kept.push(line);
      }
    }
    out[label] = kept;
  }
  return out;
}
