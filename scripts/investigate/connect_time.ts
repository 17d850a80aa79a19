// The scale benchmark's connect phase alone, both ends in this process: open `conns`
// connections, `concurrency` at a time (each connect opens the next, as
// scripts/bench/_impl_net.ts's sustain does), and print the time it took.
//
//   node_modules/node24/bin/node [--cpu-prof] scripts/investigate/connect_time.ts omninet 10000 [reps]
import process from "node:process";
import nodeNet from "node:net";

const [variant = "omninet", connsArg = "10000", repsArg = "1"] = process.argv.slice(2);
const modPath = "../../mod.ts";
const net = variant === "omninet" ? (await import(modPath)).default as typeof nodeNet : nodeNet;
const conns = Number(connsArg);
const concurrency = 100;

const accepted: nodeNet.Socket[] = [];
const server = net.createServer((socket) => {
  socket.setNoDelay(true);
  socket.on("data", (d) => socket.write(d));
  socket.on("error", () => {});
  accepted.push(socket);
});
await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
const { port } = server.address() as { port: number };

function openAll(): Promise<nodeNet.Socket[]> {
  const sockets: nodeNet.Socket[] = [];
  let started = 0;
  let connected = 0;
  return new Promise((resolve, reject) => {
    const open = () => {
      if (started >= conns) return;
      started++;
      const s = net.connect({ port, host: "127.0.0.1" });
      sockets.push(s);
      s.setNoDelay(true);
      s.on("error", reject);
      s.on("data", () => {});
      s.on("connect", () => {
        if (++connected === conns) resolve(sockets);
        else open();
      });
    };
    for (let i = 0; i < concurrency; i++) open();
  });
}

for (let rep = 0; rep < Number(repsArg); rep++) {
  const t0 = performance.now();
  const sockets = await openAll();
  const ms = performance.now() - t0;
  console.log(`${variant}: ${conns} connects in ${ms.toFixed(0)} ms (${(ms * 1000 / conns).toFixed(1)} µs each)`);
  for (const s of sockets) s.destroy();
  for (const s of accepted) s.destroy();
  accepted.length = 0;
  await new Promise((r) => setTimeout(r, 300));
}
server.close();
