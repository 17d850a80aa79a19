// Deno's tcp_wrap: a close(cb) whose callback waits for an unrelated wake-up of the event
// loop. Closing an accepted handle that never read, from inside its peer's close callback
// (case D), ran the callback 300-1500 ms later on Deno 2.9.5 (when a timer happened to fire;
// with nothing else pending the process never exits); Node 24 runs it at once. Deno's
// node:net does not hit it in the same sequence (destroy after the peer's 'close').
//
//   node_modules/.bin/deno run -A scripts/investigate/deno_tcp_wrap_close_delay.ts
//   node_modules/node24/bin/node scripts/investigate/deno_tcp_wrap_close_delay.ts
// deno-lint-ignore-file no-explicit-any
import { connectTcp, listenTcp, sleep } from "./_uv.ts";

const server = listenTcp();
/** How long `h.close(cb)` takes to call `cb` (bounded by a 1 s guard timer). */
const delay = (h: any) =>
  new Promise<string>((resolve) => {
    const t = performance.now();
    const guard = setTimeout(() => resolve(">1000ms"), 1000);
    h.close(() => {
      clearTimeout(guard);
      resolve(`${(performance.now() - t).toFixed(1)}ms`);
    });
  });
const open = async () => {
  const c = await connectTcp(server.port);
  await sleep(50);
  return { c, a: server.accepted.at(-1) };
};
{
  const { c, a } = await open();
  console.log("A close accepted, peer idle:", await delay(a));
  await sleep(50);
  console.log("A then close client:", await delay(c));
}
{
  const { c, a } = await open();
  console.log("B close client, peer idle:", await delay(c));
  await sleep(50);
  console.log("B then accepted (peer gone 50 ms):", await delay(a));
}
{
  const { c, a } = await open();
  a.onread = () => {};
  a.readStart();
  console.log("C close client, peer reading:", await delay(c));
  await sleep(50);
  console.log("C then accepted:", await delay(a));
}
{
  const { c, a } = await open();
  await delay(c);
  console.log("D accepted (never read) right after the peer's close cb:", await delay(a));
}
console.log("server after that:", await delay(server.handle));
