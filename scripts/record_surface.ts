// Records node:net's run-time surface (tests/surface/_probe.ts) into
// tests/surface/expected.json. Run it with Node 24, the reference:
//
//   node_modules/node24/bin/node scripts/record_surface.ts
//
// The probe runs three times; if the surface changes between runs nothing is written.
import * as nodeNet from "node:net";
import { writeFileSync } from "node:fs";
import { probeSurface } from "../tests/surface/_probe.ts";

const proc = (globalThis as unknown as { process: { version: string } }).process;
const isNode = !("Deno" in globalThis) && !("Bun" in globalThis);
if (!isNode || !proc.version.startsWith("v24.")) {
  throw new Error(`record_surface.ts must run on Node 24 (node_modules/node24/bin/node), not ${proc.version}`);
}

const runs = await Promise.all([0, 1, 2].map(() => probeSurface(nodeNet)));
const texts = runs.map((r) => JSON.stringify(r));
if (texts.some((t) => t !== texts[0])) throw new Error("node:net's surface changed between runs: nothing written");
const target = new URL("../tests/surface/expected.json", import.meta.url);
writeFileSync(target, JSON.stringify({ recordedWith: proc.version, surface: runs[0] }, null, 2) + "\n");
console.log(`wrote ${target.pathname}: ${Object.values(runs[0]).reduce((n, s) => n + Object.keys(s).length, 0)} names`);
