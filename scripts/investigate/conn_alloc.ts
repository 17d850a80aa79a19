// JS heap bytes allocated per connection set up (connect + accept + 'connection' handler,
// both ends in this process), the scale test's connect phase, load-independent as
// pp_alloc.ts:
//
//   node_modules/node24/bin/node --expose-gc --min-semi-space-size=64 --max-semi-space-size=64 \
//     scripts/investigate/conn_alloc.ts omninet [conns=2000]
//
// ALLOC_PROFILE=1 adds the bytes per connection by allocating function.
import process from "node:process";
import nodeNet from "node:net";
import v8 from "node:v8";

const [variant = "omninet", connsArg = "2000"] = process.argv.slice(2);
const modPath = "../../mod.ts";
const net = variant === "omninet" ? (await import(modPath)).default as typeof nodeNet : nodeNet;
const conns = Number(connsArg);

const server = net.createServer((socket) => {
  socket.setNoDelay(true);
  socket.on("data", (d) => socket.write(d));
  socket.on("error", () => {});
});
await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
const { port } = server.address() as { port: number };
const newSpace = () => v8.getHeapSpaceStatistics().find((s) => s.space_name === "new_space")!.space_used_size;

/** Open `n` connections, 100 at a time (each opening the next once connected). */
function run(n: number): Promise<nodeNet.Socket[]> {
  const sockets: nodeNet.Socket[] = [];
  let started = 0;
  let connected = 0;
  return new Promise((resolve) => {
    const open = () => {
      if (started >= n) return;
      started++;
      const s = net.connect({ port, host: "127.0.0.1" });
      sockets.push(s);
      s.setNoDelay(true);
      s.on("connect", () => {
        if (++connected === n) resolve(sockets);
        else open();
      });
    };
    for (let i = 0; i < 100; i++) open();
  });
}
for (const s of await run(conns)) s.destroy(); // warm-up
await new Promise((r) => setTimeout(r, 200));
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
const sockets = await run(conns);
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
    console.log(`${(v / conns).toFixed(0).padStart(6)} B  ${k.split(" < ").reverse().join(" < ")}`);
  }
}
console.log(`${variant}: ${((after - before) / conns).toFixed(0)} B allocated per connection (both ends)`);
for (const s of sockets) s.destroy();
server.close();
