// Bytes allocated per operation by function (V8's sampling heap profiler, counting objects
// the GC already collected), both ends in one Node 24 process: the core's allocations are
// the same on every runtime, so this tells what each connection or round trip allocates.
//   node_modules/node24/bin/node scripts/investigate/alloc_node.ts <mod.ts path | node_net> <churn|pp16> [n] [top]
import { Session } from "node:inspector/promises";
import process from "node:process";
import { netImpl, type NetLike } from "../bench/_impl_net.ts";

const [variant, workload, nArg, topArg] = process.argv.slice(2);
const n = Number(nArg ?? 5000);
const net = variant === "node_net" ? await import("node:net") : (await import(variant)).default;
const impl = netImpl((net.default ?? net) as NetLike);
const server = await impl.listen("echo");
const run = (k: number) =>
  workload === "churn" ? impl.churn(server.port, k, 8) : impl.pingPong(server.port, 16, Math.ceil(k / 16), 64);
await run(Math.ceil(n / 5));
const session = new Session();
session.connect();
await session.post("HeapProfiler.startSampling", {
  samplingInterval: 256,
  includeObjectsCollectedByMajorGC: true,
  includeObjectsCollectedByMinorGC: true,
});
await run(n);
const { profile } = await session.post("HeapProfiler.stopSampling");
interface Node {
  callFrame: { functionName: string; url: string; lineNumber: number };
  selfSize: number;
  children: Node[];
}
const self = new Map<string, number>();
let total = 0;
const walk = (node: Node) => {
  const cf = node.callFrame;
  const key = `${cf.functionName || "(anon)"} ${cf.url.replace(/^.*\/(src|adapters|scripts)\//, "$1/")}:${
    cf.lineNumber + 1
  }`;
  self.set(key, (self.get(key) ?? 0) + node.selfSize);
  total += node.selfSize;
  node.children.forEach(walk);
};
walk(profile.head as Node);
console.log(`${variant} ${workload}: ${(total / n).toFixed(0)} B allocated per op`);
for (const [k, v] of [...self].sort((a, b) => b[1] - a[1]).slice(0, Number(topArg ?? 30))) {
  console.log(`${(v / n).toFixed(0).padStart(7)} B  ${k}`);
}
await server.close();
process.exit(0);
