// What Deno's public connection API itself costs per idle connection, without omninet:
// N loopback pairs from Deno.listen / Deno.connect, RSS and JS heap per connection (either
// side), with no read pending ("none") or with one conn.read() into a 128-byte buffer
// pending on each ("read": what any reader of Deno.Conn holds while a connection idles).
//
//   deno run -A --v8-flags=--expose-gc scripts/investigate/idle_floor_deno.ts read [N]
const mode = Deno.args[0] === "read" ? "read" : "none";
const N = Number(Deno.args[1] ?? 5000);
const gc = (globalThis as { gc?: () => void }).gc;
if (!gc) throw new Error("run with --v8-flags=--expose-gc");
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const settle = async () => {
  await sleep(300);
  gc();
  await sleep(100);
  gc();
  return Deno.memoryUsage();
};
const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
const port = listener.addr.port;
const accepted: Deno.Conn[] = [];
const idle = (conn: Deno.Conn) => {
  if (mode === "read") conn.read(new Uint8Array(128)).catch(() => {});
};
(async () => {
  for await (const conn of listener) {
    accepted.push(conn);
    idle(conn);
  }
})();
for (let i = 0; i < 100; i++) (await Deno.connect({ hostname: "127.0.0.1", port })).close();
await sleep(300);
for (const c of accepted.splice(0)) c.close();
const before = await settle();
const conns: Deno.Conn[] = [];
for (let i = 0; i < N; i++) {
  const conn = await Deno.connect({ hostname: "127.0.0.1", port });
  conns.push(conn);
  idle(conn);
}
for (let i = 0; accepted.length < N && i < 500; i++) await sleep(20);
const after = await settle();
const per = (k: "rss" | "heapUsed" | "heapTotal" | "external") => Math.round((after[k] - before[k]) / (2 * N));
console.log(
  `${mode}: per connection RSS ${per("rss")} B, heap used ${per("heapUsed")} B, heap total ${
    per("heapTotal")
  } B, external ${per("external")} B`,
);
Deno.exit(0);
