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
import nodeNet from "node:net";
import v8 from "node:v8";

const [variant = "omninet", connsArg = "16", roundsArg = "300"] = process.argv.slice(2);
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
const newSpace = () => v8.getHeapSpaceStatistics().find((s) => s.space_name === "new_space")!.space_used_size;

function run(n: number): Promise<void> {
  return new Promise((resolve) => {
    let finished = 0;
    for (const s of sockets) {
      let got = 0;
      let done = 0;
      s.removeAllListeners("data");
      s.on("data", (d: Uint8Array) => {
        got += d.byteLength;
        if (got < msg.length) return;
        got = 0;
        if (++done < n) s.write(msg);
        else if (++finished === conns) resolve();
      });
      s.write(msg);
    }
  });
}
await run(rounds); // warm-up: JIT, lazily made objects
await run(rounds);
(globalThis as { gc?: () => void }).gc?.();
const profile = process.env.ALLOC_PROFILE === "1";
/** A node of the sampling heap profile. */
interface AllocNode {
  callFrame: { functionName: string; url: string; lineNumber: number };
  selfSize: number;
  children: AllocNode[];
}
let session: import("node:inspector").Session | null = null;
const post = (method: string, params?: object) =>
  new Promise<{ profile: { head: AllocNode } }>((resolve, reject) =>
    session!.post(method, params ?? {}, (e, r) => e ? reject(e) : resolve(r as { profile: { head: AllocNode } }))
  );
if (profile) {
  const inspector = await import("node:inspector");
  session = new inspector.Session();
  session.connect();
  await post("HeapProfiler.startSampling", {
    samplingInterval: 16,
    includeObjectsCollectedByMajorGC: true,
    includeObjectsCollectedByMinorGC: true,
  });
}
const before = newSpace();
await run(rounds);
const after = newSpace();
if (profile) {
  // Bytes by allocating function (self), per round trip.
  const { profile: p } = await post("HeapProfiler.stopSampling");
  const by = new Map<string, number>();
  const walk = (n: AllocNode, stack: string[]) => {
    const f = n.callFrame;
    const name = `${f.functionName || "(anon)"} ${f.url.split("/").slice(-2).join("/")}:${f.lineNumber + 1}`;
    const st = [...stack, name];
    if (n.selfSize > 0) {
      const key = st.slice(-3).join(" < ");
      by.set(key, (by.get(key) ?? 0) + n.selfSize);
    }
    for (const c of n.children) walk(c, st);
  };
  walk(p.head, []);
  const rows = [...by].sort((a, b) => b[1] - a[1]).slice(0, Number(process.env.ALLOC_TOP ?? 25));
  for (const [k, v] of rows) {
    console.log(`${(v / (conns * rounds)).toFixed(0).padStart(6)} B  ${k.split(" < ").reverse().join(" < ")}`);
  }
}
console.log(`${variant}: ${((after - before) / (conns * rounds)).toFixed(0)} B allocated per round trip (both ends)`);
for (const s of sockets) s.destroy();
server.close();
