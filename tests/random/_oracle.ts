// Node 24's node:net as a live oracle for the shrinker: reads a JSON array of scenarios on
// stdin, runs each on node:net and prints a JSON array of their traces. Run with Node 24:
//   node_modules/node24/bin/node tests/random/_oracle.ts < specs.json
import * as nodeNet from "node:net";
import process from "node:process";
import type { Spec } from "./_gen.ts";
import { type NetLike, runSpec, type Traces } from "./_run.ts";

let input = "";
process.stdin.setEncoding("utf8");
for await (const chunk of process.stdin) input += chunk;
const out: Traces[] = [];
for (const spec of JSON.parse(input) as Spec[]) out.push(await runSpec(nodeNet as unknown as NetLike, spec));
process.stdout.write(JSON.stringify(out));
