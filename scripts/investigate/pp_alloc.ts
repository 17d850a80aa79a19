// JS heap bytes allocated per ping-pong round trip (both ends in this process), a number
// that the machine's load does not move: the new space is made big enough that no
// scavenge runs during the measured part, and its growth is divided by the round trips.
//
//   node_modules/node24/bin/node --min-semi-space-size=64 --max-semi-space-size=64 \
//     scripts/investigate/pp_alloc.ts omninet [conns=16] [rounds=300]
//
// ALLOC_PROFILE=1 adds the bytes per round trip by allocating function (V8 sampling heap
// profiler, every 16 B; the profiler itself shifts the total a little).
import process from "node:process";
import v8 from "node:v8";
import { echoServer, openClients, pickNet, pingPong, sampleAllocations } from "./_pp.ts";

const [variant = "omninet", connsArg = "16", roundsArg = "300"] = process.argv.slice(2);
const net = await pickNet(variant);
const conns = Number(connsArg);
const rounds = Number(roundsArg);

const { server, port } = await echoServer(net);
const sockets = await openClients(net, port, conns);
const newSpace = () => v8.getHeapSpaceStatistics().find((s) => s.space_name === "new_space")!.space_used_size;

await pingPong(sockets, rounds); // warm-up: JIT, lazily made objects
await pingPong(sockets, rounds);
(globalThis as { gc?: () => void }).gc?.();
const report = process.env.ALLOC_PROFILE === "1" ? await sampleAllocations() : null;
const before = newSpace();
await pingPong(sockets, rounds);
const after = newSpace();
await report?.(conns * rounds);
console.log(`${variant}: ${((after - before) / (conns * rounds)).toFixed(0)} B allocated per round trip (both ends)`);
for (const s of sockets) s.destroy();
server.close();
