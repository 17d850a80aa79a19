// One A/B sample (see ab.ts): both ends in this process, one variant, one workload.
//   <runtime> _ab_child.ts <variant: a mod.ts path | node_net | raw> <workload> <n>
// Prints one JSON line: { rate, cpuUsPerOp }.
import process from "node:process";
import { readFileSync } from "node:fs";

/** The main thread's CPU (µs; clock ticks of 10 ms), to tell the JS thread from GC and helper threads. */
function mainThreadUs(): number {
  const stat = readFileSync(`/proc/self/task/${process.pid}/stat`, "utf8");
  const f = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  return (Number(f[11]) + Number(f[12])) * 10_000;
}
import { netImpl, type NetLike } from "../bench/_impl_net.ts";
import type { Impl } from "../bench/_impl.ts";

const [variant, workload, nArg] = process.argv.slice(2);
const n = Number(nArg);

async function load(): Promise<Impl> {
  if (variant === "node_net") {
    const net = await import("node:net");
    return netImpl((net.default ?? net) as unknown as NetLike);
  }
  if (variant === "raw") {
    const path = "../bench/_impl_bun.ts";
    return (await import(path)).bunImpl();
  }
  const mod = await import(variant);
  return netImpl(mod.default as NetLike);
}

const impl = await load();
const kind = workload === "bulk" ? "sink" : workload === "churn" ? "echo" : "echo";
const server = await impl.listen(kind);
const run = (scale: number) => {
  const k = Math.max(1, Math.round(n * scale));
  if (workload === "churn") return impl.churn(server.port, k, 8);
  if (workload === "pp16") return impl.pingPong(server.port, 16, k, 64);
  if (workload === "pp1") return impl.pingPong(server.port, 1, k, 64);
  return impl.bulk(server.port, k * 65536, 65536);
};
await run(0.1);
const t0 = mainThreadUs();
const c0 = process.cpuUsage();
const m = await run(1);
const c = process.cpuUsage(c0);
const t = mainThreadUs() - t0;
const ops = workload === "bulk" ? m.count / 65536 : m.count;
console.log(JSON.stringify({ rate: (ops / m.ms) * 1000, cpuUsPerOp: (c.user + c.system) / ops, mainUsPerOp: t / ops }));
await server.close();
process.exit(0);
