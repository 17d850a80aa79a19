// What the Node investigation scripts (pp_alloc, conn_alloc, pp_syscalls, pp_ab,
// connect_time) share: omninet or node:net by name, a loopback echo server, clients
// opened a bounded number at a time, a 64-byte ping-pong over them, and V8's sampling
// heap profiler summed by allocating function. Node only (node:inspector, node:v8).
import process from "node:process";
import nodeNet from "node:net";

type Net = typeof nodeNet;

/** omninet (this repo's mod.ts) for "omninet", else node:net. */
export async function pickNet(variant: string): Promise<Net> {
  const modPath = "../../mod.ts";
  return variant === "omninet" ? (await import(modPath)).default as Net : nodeNet;
}

/** A listening echo server on 127.0.0.1 (NODELAY on each accepted socket, pushed to `accepted`). */
export async function echoServer(
  net: Net,
  accepted: nodeNet.Socket[] = [],
): Promise<{ server: nodeNet.Server; port: number }> {
  const server = net.createServer((socket) => {
    accepted.push(socket);
    socket.setNoDelay(true);
    socket.on("data", (d) => socket.write(d));
    socket.on("error", () => {});
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return { server, port: (server.address() as { port: number }).port };
}

/** Open `n` connections to `port`, `concurrency` at a time (each opens the next once connected). */
export function openClients(net: Net, port: number, n: number, concurrency = 100): Promise<nodeNet.Socket[]> {
  const sockets: nodeNet.Socket[] = [];
  let started = 0;
  let connected = 0;
  return new Promise((resolve, reject) => {
    const open = () => {
      if (started >= n) return;
      started++;
      const s = net.connect({ port, host: "127.0.0.1" });
      sockets.push(s);
      s.setNoDelay(true);
      s.on("error", reject);
      s.on("connect", () => {
        if (++connected === n) resolve(sockets);
        else open();
      });
    };
    for (let i = 0; i < Math.min(concurrency, n); i++) open();
  });
}

/** The ping-pong message: 64 bytes. */
export const MSG = Buffer.alloc(64, 0x62);

/** `rounds` round trips of {@link MSG} on every socket at once (earlier 'data' listeners dropped). */
export function pingPong(sockets: nodeNet.Socket[], rounds: number): Promise<void> {
  return new Promise((resolve) => {
    let finished = 0;
    for (const s of sockets) {
      let got = 0;
      let done = 0;
      s.removeAllListeners("data");
      s.on("data", (d: Uint8Array) => {
        got += d.byteLength;
        if (got < MSG.length) return;
        got = 0;
        if (++done < rounds) s.write(MSG);
        else if (++finished === sockets.length) resolve();
      });
      s.write(MSG);
    }
  });
}

/** A node of the sampling heap profile. */
interface AllocNode {
  callFrame: { functionName: string; url: string; lineNumber: number };
  selfSize: number;
  children: AllocNode[];
}

/**
 * Start V8's sampling heap profiler (every 16 B, collected objects counted); the function
 * returned stops it and prints the bytes per operation by allocating function (the top
 * ALLOC_TOP, default 25, each with its two callers).
 */
export async function sampleAllocations(): Promise<(ops: number) => Promise<void>> {
  const inspector = await import("node:inspector");
  const session = new inspector.Session();
  session.connect();
  const post = (method: string, params?: object) =>
    new Promise<{ profile: { head: AllocNode } }>((resolve, reject) =>
      session.post(method, params ?? {}, (e, r) => e ? reject(e) : resolve(r as { profile: { head: AllocNode } }))
    );
  await post("HeapProfiler.startSampling", {
    samplingInterval: 16,
    includeObjectsCollectedByMajorGC: true,
    includeObjectsCollectedByMinorGC: true,
  });
  return async (ops) => {
    const { profile } = await post("HeapProfiler.stopSampling");
    session.disconnect();
    const by = new Map<string, number>();
    const walk = (n: AllocNode, stack: string[]) => {
      const f = n.callFrame;
      const st = [
        ...stack,
        `${f.functionName || "(anon)"} ${f.url.split("/").slice(-2).join("/")}:${f.lineNumber + 1}`,
      ];
      if (n.selfSize > 0) {
        const key = st.slice(-3).join(" < ");
        by.set(key, (by.get(key) ?? 0) + n.selfSize);
      }
      for (const c of n.children) walk(c, st);
    };
    walk(profile.head, []);
    const rows = [...by].sort((a, b) => b[1] - a[1]).slice(0, Number(process.env.ALLOC_TOP ?? 25));
    for (const [k, v] of rows) {
      console.log(`${(v / ops).toFixed(0).padStart(6)} B  ${k.split(" < ").reverse().join(" < ")}`);
    }
  };
}
