// The surface fixture against the live oracle (Node only): on Node 24, node:net's surface
// must still be the recorded one (a stale fixture fails here); on other Node majors the
// differences are listed (they are what Node 24 changed), not failed.
import * as nodeNet from "node:net";
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { probeSurface, surfaceDifferences } from "../surface/_probe.ts";
import { readExpectedSurface } from "../surface/_fixture.ts";

const expected = readExpectedSurface();
const version = (globalThis as unknown as { process: { version: string } }).process.version;
const reference = version.split(".")[0] === expected.recordedWith.split(".")[0];
const test = suite(`surface oracle: node:net ${version} against ${expected.recordedWith}`);

test("node:net's surface is the recorded one", async () => {
  const live = await probeSurface(nodeNet);
  if (reference) {
    assert.equal(live, expected.surface, "node:net changed: re-record with scripts/record_surface.ts");
  } else {
    const changed = surfaceDifferences(expected.surface, live);
    if (changed.length > 0) {
      console.log(`node:net ${version} lacks, against ${expected.recordedWith}:\n  ${changed.join("\n  ")}`);
    }
  }
});

test.run();
