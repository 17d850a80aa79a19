// Ping-pong over loopback with both ends in this process, for counting syscalls per round
// trip under strace (scripts/investigate/node_syscalls.md):
//
//   strace -f -c -o out.txt node_modules/node24/bin/node scripts/investigate/pp_syscalls.ts omninet 16 2000
//
// args: variant (omninet | node_net), connections, round trips per connection, and
// optionally "scale" (connect all, then one round each: setup calls only).
import process from "node:process";
import { echoServer, openClients, pickNet, pingPong } from "./_pp.ts";

const [variant = "omninet", connsArg = "16", roundsArg = "2000"] = process.argv.slice(2);
const net = await pickNet(variant);
const conns = Number(connsArg);
const rounds = Number(roundsArg);

const { server, port } = await echoServer(net);
// Marker syscalls around the measured part, to cut the strace log.
const mark = (what: string) => process.stderr.write(`@@MARK ${what}\n`);
const sockets = await openClients(net, port, conns);
mark("begin");
const t0 = performance.now();
await pingPong(sockets, rounds);
const ms = performance.now() - t0;
mark("end");
console.log(`${variant}: ${conns}x${rounds} in ${ms.toFixed(0)} ms, ${(conns * rounds / ms * 1000).toFixed(0)} rt/s`);
for (const s of sockets) s.destroy();
server.close();
