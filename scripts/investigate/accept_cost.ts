// The server side of the scale test's connect phase: this process listens (omninet or
// node:net, echo as the benchmark's server) and a node:net client in a child process opens
// `conns` connections 100 at a time, each opening the next once connected. Prints this
// process's CPU per accepted connection (accept to close) and the kernel's listen-queue overflows meanwhile
// (system-wide: a SYN dropped on a full accept queue costs its connection a 1 s retransmit).
//
//   node_modules/node24/bin/node [--cpu-prof] scripts/investigate/accept_cost.ts omninet [conns=10000]
import process from "node:process";
import nodeNet from "node:net";
import { spawn } from "node:child_process";
import { readFileSync } from "node:fs";

const [variant = "omninet", arg2 = "10000", arg3] = process.argv.slice(2);
const conns = Number(variant === "client" ? arg3 : arg2);

function listenOverflows(): number {
  const lines = readFileSync("/proc/net/netstat", "latin1").split("\n");
  const k = lines[0].split(" ").indexOf("ListenOverflows");
  return Number(lines[1].split(" ")[k]);
}

if (variant === "client") {
  // (argv: client <port> <conns>)
  const port = Number(arg2);
  let started = 0;
  let connected = 0;
  const t0 = performance.now();
  const sockets: nodeNet.Socket[] = [];
  const open = () => {
    if (started >= conns) return;
    started++;
    const s = nodeNet.connect({ port, host: "127.0.0.1" });
    sockets.push(s);
    s.setNoDelay(true);
    s.on("connect", () => {
      if (++connected === conns) {
        console.log(`connect ${(performance.now() - t0).toFixed(0)} ms`);
        for (const x of sockets) x.destroy();
      } else open();
    });
  };
  for (let i = 0; i < 100; i++) open();
} else {
  const modPath = "../../mod.ts";
  const net = variant === "omninet" ? (await import(modPath)).default as typeof nodeNet : nodeNet;
  let accepted = 0;
  let closed = 0;
  let c0 = process.cpuUsage();
  let acceptCpu = c0;
  const server = net.createServer((socket) => {
    // The accept phase's CPU: the client closes nothing before all are connected.
    if (++accepted === conns) acceptCpu = process.cpuUsage(c0);
    socket.on("close", () => closed++);
    socket.setNoDelay(true);
    socket.on("data", (d) => socket.write(d));
    socket.on("error", () => {});
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as { port: number };
  const o0 = listenOverflows();
  c0 = process.cpuUsage();
  const child = spawn(process.execPath, [process.argv[1], "client", String(port), String(conns)], {
    stdio: ["ignore", "pipe", "inherit"],
  });
  let out = "";
  child.stdout.on("data", (d) => out += d);
  await new Promise((resolve) => child.on("exit", resolve));
  // Every accepted connection's close counts too (the client destroyed them all): bounded wait.
  for (let i = 0; i < 1000 && closed < accepted; i++) await new Promise((r) => setTimeout(r, 10));
  const c = process.cpuUsage(c0);
  console.log(
    `${variant}: server CPU ${((c.user + c.system) / accepted).toFixed(1)} µs/accepted conn ` +
      `(accepting: ${((acceptCpu.user + acceptCpu.system) / accepted).toFixed(1)}) ` +
      `(user ${(c.user / accepted).toFixed(1)}), ${accepted} accepted; client ${out.trim()}; ` +
      `listen overflows ${listenOverflows() - o0}, ${closed} closed`,
  );
  server.close();
  process.exit(0);
}
