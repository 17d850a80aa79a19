// The cause groups of the randomized differential's known differences (README.md): the
// first rule that matches the lines where node:net's and omninet's traces part.
import type { Traces } from "./_run.ts";
import { traceDiff } from "./_fixture.ts";

interface Rule {
  name: string;
  test(expected: string[], actual: string[], e: Traces, a: Traces): boolean;
}

const count = (lines: string[], re: RegExp) => lines.filter((l) => re.test(l)).length;
const all = (t: Traces) => Object.entries(t).flatMap(([label, lines]) => lines.map((l) => `${label}: ${l}`));

const RULES: Rule[] = [
  {
    name: "drain after a write flushed at once",
    test: (_e, _a, e, a) => count(all(a), /writes: drain$/) > count(all(e), /writes: drain$/),
  },
];

/** The cause group of a difference (`other: <first differing lines>` when no rule matches). */
export function groupOf(expected: Traces, actual: Traces): string {
  const d = traceDiff(expected, actual);
  for (const rule of RULES) if (rule.test(d.expected, d.actual, expected, actual)) return rule.name;
  return `other: ${d.expected[0]} / ${d.actual[0]}`;
}
