// node:net's surface, recorded on Node 24 by scripts/record_surface.ts.
import { readFileSync } from "node:fs";
import { sourceFile } from "../_util.ts";
import type { Surface } from "./_probe.ts";

/** The fixture: the Node version that recorded it and the surface. */
export interface ExpectedSurface {
  /** `process.version` of the recording Node. */
  recordedWith: string;
  /** Phase → property → kind. */
  surface: Surface;
}

/** Read tests/surface/expected.json. */
export function readExpectedSurface(): ExpectedSurface {
  return JSON.parse(readFileSync(sourceFile("tests/surface/expected.json"), "utf8")) as ExpectedSurface;
}
