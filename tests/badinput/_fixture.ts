// The bad-input fixtures: node:net's outcomes recorded on Node 24 (scripts/record_badinput.ts)
// and the known differences of omninet per runtime (scripts/update_badinput_known.ts).
import { readFileSync } from "node:fs";
import { sourceFile } from "../_util.ts";
import { type Generated, generateRange } from "./_cases.ts";

/** Which cases a run covers: `npm test`'s slice or the soak run's larger set. */
export interface CaseSet {
  name: "slice" | "soak";
  /** Fixture file under tests/badinput/. */
  file: string;
  /** [seed, count] pairs. */
  seeds: [number, number][];
}

/** `npm test`: seed 1, 800 cases. */
export const SLICE: CaseSet = { name: "slice", file: "expected.json", seeds: [[1, 800]] };
/** `npm run soak:badinput`: 6,000 more cases from six other seeds. */
export const SOAK: CaseSet = {
  name: "soak",
  file: "soak.json",
  seeds: [[2, 1000], [3, 1000], [4, 1000], [5, 1000], [6, 1000], [7, 1000]],
};

/** The cases of a set, in run order. */
export function casesOf(set: CaseSet): Generated[] {
  return set.seeds.flatMap(([seed, count]) => generateRange(seed, 0, count));
}

/** One recorded case. */
export interface Recorded {
  desc: string;
  outcome: string[];
}

/** A fixture file. */
export interface Expected {
  recordedWith: string;
  platform: string;
  cases: Record<string, Recorded>;
}

/** One known difference: node:net's outcome and omninet's, per runtime that differs. */
export interface KnownDifference {
  desc: string;
  expected: string[];
  /** omninet's outcome on each runtime where it differs. */
  actual: Record<string, string[]>;
  /** The cause group on each of those runtimes (tests/badinput/_groups.ts, README.md). */
  group: Record<string, string>;
}

export function readExpected(set: CaseSet): Expected {
  return JSON.parse(readFileSync(sourceFile(`tests/badinput/${set.file}`), "utf8")) as Expected;
}

export function readKnown(): Record<string, KnownDifference> {
  return JSON.parse(readFileSync(sourceFile("tests/badinput/known_differences.json"), "utf8"));
}
