// The scale benchmark's connect phase alone, both ends in this process: open `conns`
// connections, `concurrency` at a time (each connect opens the next, as
// scripts/bench/_impl_net.ts's sustain does), and print the time it took.
//
//   node_modules/node24/bin/node [--cpu-prof] scripts/investigate/connect_time.ts omninet 10000 [reps]
import process from "node:process";
import nodeNet from "node:net";
import { readFileSync } from "node:fs";

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

// The kernel's count of SYNs a full accept queue dropped (each one costs its connection a
// 1 s SYN retransmit): system-wide, so only meaningful on a quiet machine.
function listenOverflows(): number {
  const lines = readFileSync("/proc/net/netstat", "latin1").split("\n");
  for (let i = 0; i + 1 < lines.length; i += 2) {
    const names = lines[i].split(" ");
    const k = names.indexOf("ListenOverflows");
    if (k > 0) return Number(lines[i + 1].split(" ")[k]);
  }
  return NaN;
}

for (let rep = 0; rep < Number(repsArg); rep++) {
  const o0 = listenOverflows();
  const t0 = performance.now();
  const sockets = await openAll();
  const ms = performance.now() - t0;
  const o1 = listenOverflows();
  for (const s of sockets) s.destroy();
  for (const s of accepted) s.destroy();
  accepted.length = 0;
  await new Promise((r) => setTimeout(r, 300));
  console.log(
    `${variant}: ${conns} connects in ${ms.toFixed(0)} ms (${(ms * 1000 / conns).toFixed(1)} µs each); ` +
      `listen overflows (system-wide): ${o1 - o0} while connecting, ${listenOverflows() - o1} while closing`,
  );
}
server.close();
