// Where the recorded node:net traces live, found from source (Deno, Bun, Node 24 type
// stripping) and from compiled copies of the suite (.build/, .build-npm/…).
import { readFileSync } from "node:fs";
import type { Traces } from "./_harness.ts";
import { sourceFile } from "../_util.ts";

/** The fixture file: node:net's traces recorded on Node 24. */
export interface Expected {
  /** `process.version` of the Node that recorded the traces. */
  recordedWith: string;
  /** `process.platform` when recording (errno values are platform-specific). */
  platform: string;
  /** Traces by scenario name. */
  scenarios: Record<string, Traces>;
}

/** Absolute path of `tests/diff/expected.json` in the source tree. */
export function expectedPath(): string {
  return sourceFile("tests/diff/expected.json");
}

/** Read the fixture. */
export function readExpected(): Expected {
  return JSON.parse(readFileSync(expectedPath(), "utf8")) as Expected;
}
