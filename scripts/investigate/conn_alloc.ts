// JS heap bytes allocated per connection set up (connect + accept + 'connection' handler,
// both ends in this process), the scale test's connect phase, load-independent as
// pp_alloc.ts:
//
//   node_modules/node24/bin/node --expose-gc --min-semi-space-size=64 --max-semi-space-size=64 \
//     scripts/investigate/conn_alloc.ts omninet [conns=2000]
//
// ALLOC_PROFILE=1 adds the bytes per connection by allocating function.
import process from "node:process";
import v8 from "node:v8";
import { echoServer, openClients, pickNet, sampleAllocations } from "./_pp.ts";

const [variant = "omninet", connsArg = "2000"] = process.argv.slice(2);
const net = await pickNet(variant);
const conns = Number(connsArg);

const { server, port } = await echoServer(net);
const newSpace = () => v8.getHeapSpaceStatistics().find((s) => s.space_name === "new_space")!.space_used_size;

for (const s of await openClients(net, port, conns)) s.destroy(); // warm-up
await new Promise((r) => setTimeout(r, 200));
(globalThis as { gc?: () => void }).gc?.();
const report = process.env.ALLOC_PROFILE === "1" ? await sampleAllocations() : null;
const before = newSpace();
const sockets = await openClients(net, port, conns);
const after = newSpace();
await report?.(conns);
console.log(`${variant}: ${((after - before) / conns).toFixed(0)} B allocated per connection (both ends)`);
for (const s of sockets) s.destroy();
server.close();
