// Interleaved A/B of omninet trees against the runtime's node:net, both ends in one process:
//
//   deno run -A scripts/investigate/ab.ts --runtime=bun --workloads=churn,pp16 --rounds=5
//     --trees=/tmp/base,. [--no-node-net] [--raw]
//
// Each round runs every variant once per workload (fresh process each, order rotated per round),
// so drift hits all alike; prints medians of rate and CPU µs/op, and each tree's ratio to node:net.
import { join, resolve } from "node:path";
import { root } from "../_runtimes.ts";

const args = Object.fromEntries(
  Deno.args.map((a) => a.replace(/^--/, "").split("=")).map(([k, v]) => [k, v ?? "true"]),
);
const rt = args.runtime ?? "bun";
const bins: Record<string, string> = {
  bun: join(root, "node_modules/.bin/bun"),
  node: join(root, "node_modules/node24/bin/node"),
};
const workloads = (args.workloads ?? "churn,pp16").split(",");
const rounds = Number(args.rounds ?? 5);
const trees = (args.trees ?? ".").split(",").map((t: string) => resolve(t, "mod.ts"));
const sizes: Record<string, number> = {
  churn: Number(args.churn ?? 6000),
  pp16: Number(args.pp16 ?? 2000),
  pp1: Number(args.pp1 ?? 20000),
  bulk: Number(args.bulk ?? 4096),
};
const variants = [...trees];
if (args["no-node-net"] !== "true") variants.push("node_net");
if (args.raw === "true") variants.push("raw");
const child = join(root, "scripts/investigate/_ab_child.ts");

const results: Record<string, { rate: number; cpu: number; main: number }[]> = {};
for (let r = 0; r < rounds; r++) {
  for (const w of workloads) {
    const order = variants.map((_, i) => variants[(i + r) % variants.length]);
    for (const v of order) {
      const out = await new Deno.Command(bins[rt], { args: [child, v, w, String(sizes[w])], stderr: "inherit" })
        .output();
      const line = new TextDecoder().decode(out.stdout).trim().split("\n").pop()!;
      const j = JSON.parse(line);
      (results[`${w} ${v}`] ??= []).push({ rate: j.rate, cpu: j.cpuUsPerOp, main: j.mainUsPerOp });
    }
  }
}
const med = (xs: number[]) => xs.toSorted((a, b) => a - b)[Math.floor(xs.length / 2)];
for (const w of workloads) {
  const nn = results[`${w} node_net`];
  const nnRate = nn ? med(nn.map((x) => x.rate)) : NaN;
  for (const v of variants) {
    const xs = results[`${w} ${v}`];
    const rate = med(xs.map((x) => x.rate));
    const cpu = med(xs.map((x) => x.cpu));
    const main = med(xs.map((x) => x.main));
    const lo = Math.min(...xs.map((x) => x.rate)), hi = Math.max(...xs.map((x) => x.rate));
    console.log(
      `${rt} ${w.padEnd(5)} ${v.replace(root + "/", "").padEnd(22)} rate ${rate.toFixed(0).padStart(7)} (${
        lo.toFixed(0)
      }-${hi.toFixed(0)})  cpu ${cpu.toFixed(1).padStart(6)} µs/op (main thread ${
        main.toFixed(1).padStart(6)
      })  vs node_net ${(rate / nnRate).toFixed(2)}`,
    );
  }
}
