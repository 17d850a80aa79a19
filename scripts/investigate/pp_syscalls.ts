// Ping-pong over loopback with both ends in this process, for counting syscalls per round
// trip under strace (scripts/investigate/node_syscalls.md):
//
//   strace -f -c -o out.txt node_modules/node24/bin/node scripts/investigate/pp_syscalls.ts omninet 16 2000
//
// args: variant (omninet | node_net), connections, round trips per connection, and
// optionally "scale" (connect all, then one round each: setup calls only).
import process from "node:process";
import nodeNet from "node:net";

const [variant = "omninet", connsArg = "16", roundsArg = "2000"] = process.argv.slice(2);
const modPath = "../../mod.ts";
const net = variant === "omninet" ? (await import(modPath)).default as typeof nodeNet : nodeNet;
const conns = Number(connsArg);
const rounds = Number(roundsArg);
const msg = Buffer.alloc(64, 0x62);

const server = net.createServer((socket) => {
  socket.setNoDelay(true);
  socket.on("data", (d) => socket.write(d));
  socket.on("error", () => {});
});
await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
const { port } = server.address() as { port: number };

// Marker syscalls around the measured part, to cut the strace log.
const mark = (what: string) => process.stderr.write(`@@MARK ${what}\n`);
const sockets: nodeNet.Socket[] = [];
let connected = 0;
await new Promise<void>((resolve) => {
  for (let i = 0; i < conns; i++) {
    const s = net.connect({ port, host: "127.0.0.1" });
    s.setNoDelay(true);
    s.on("connect", () => {
      if (++connected === conns) resolve();
    });
    sockets.push(s);
  }
});
mark("begin");
const t0 = performance.now();
await new Promise<void>((resolve) => {
  let finished = 0;
  for (const s of sockets) {
    let got = 0;
    let done = 0;
    s.on("data", (d: Uint8Array) => {
      got += d.byteLength;
      if (got < msg.length) return;
      got = 0;
      if (++done < rounds) s.write(msg);
      else if (++finished === conns) resolve();
    });
    s.write(msg);
  }
});
const ms = performance.now() - t0;
mark("end");
console.log(`${variant}: ${conns}x${rounds} in ${ms.toFixed(0)} ms, ${(conns * rounds / ms * 1000).toFixed(0)} rt/s`);
for (const s of sockets) s.destroy();
server.close();
