// omninet and node:net ping-pong interleaved in ONE Node process (both ends of each variant
// here), reporting CPU µs per round trip (process.cpuUsage over the measured part) and the
// rate: on a loaded shared machine CPU per operation is steadier than a rate.
//
//   node_modules/node24/bin/node scripts/investigate/pp_ab.ts [conns=16] [rounds=2000] [reps=7] [variants]
//
// variants: comma list of omninet, node_net (default both).
import process from "node:process";
import nodeNet from "node:net";
import { echoServer, openClients, pickNet, pingPong } from "./_pp.ts";

const args = process.argv.slice(2);
const conns = Number(args[0] ?? 16);
const rounds = Number(args[1] ?? 2000);
const reps = Number(args[2] ?? 7);
const variants = (args[3] ?? "omninet,node_net").split(",");
const nets: Record<string, typeof nodeNet> = { omninet: await pickNet("omninet"), node_net: nodeNet };

async function once(net: typeof nodeNet): Promise<{ cpu: number; rate: number; connectUs: number }> {
  const accepted: nodeNet.Socket[] = [];
  const { server, port } = await echoServer(net, accepted);
  const t00 = performance.now();
  const sockets = await openClients(net, port, conns);
  const connectUs = (performance.now() - t00) * 1000 / conns;
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  await pingPong(sockets, rounds);
  const ms = performance.now() - t0;
  const c = process.cpuUsage(c0);
  for (const s of sockets) s.destroy();
  for (const s of accepted) s.destroy();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return { cpu: (c.user + c.system) / (conns * rounds), rate: conns * rounds / ms * 1000, connectUs };
}

const results: Record<string, { cpu: number[]; rate: number[]; connectUs: number[] }> = {};
for (const v of variants) results[v] = { cpu: [], rate: [], connectUs: [] };
for (const v of variants) await once(nets[v]); // warm-up
for (let r = 0; r < reps; r++) {
  const order = r % 2 === 0 ? variants : [...variants].reverse();
  for (const v of order) {
    const x = await once(nets[v]);
    results[v].cpu.push(x.cpu);
    results[v].rate.push(x.rate);
    results[v].connectUs.push(x.connectUs);
  }
}
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1];
for (const v of variants) {
  const r = results[v];
  console.log(
    `${v.padEnd(9)} cpu µs/rt ${median(r.cpu).toFixed(2)} [${r.cpu.map((x) => x.toFixed(2)).join(" ")}]  ` +
      `rt/s ${median(r.rate).toFixed(0)}  connect µs ${median(r.connectUs).toFixed(1)}`,
  );
}
if (variants.length === 2) {
  const [a, b] = variants.map((v) => results[v]);
  console.log(
    `cpu ratio ${variants[0]}/${variants[1]}: ${(median(a.cpu) / median(b.cpu)).toFixed(3)}; rate ratio ${
      (median(a.rate) / median(b.rate)).toFixed(3)
    }`,
  );
}
