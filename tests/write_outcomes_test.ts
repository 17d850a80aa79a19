// What a write's callback says when the connection ends with writes queued (issue 11),
// as Node 24's node:net: ok only for writes the runtime accepted; the write in flight gets
// ECANCELED; the writes behind it the socket's error (destroy(err)'s, the peer's
// ECONNRESET); 'error' comes before those callbacks.
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { Buffer } from "node:buffer";
import net, { detectAdapter, type Socket } from "../mod.ts";
import type { RawConn, WriteDone } from "../src/contract.ts";
import { canceledError } from "../src/errors/system_errors.ts";
import { close, delay, listen, netWith, once, sweep, track, within } from "./_util.ts";

const test = suite("Socket write outcomes");
test.after.each(sweep);

const MiB = 1024 * 1024;
const adapter = detectAdapter();

/** Resolves on `'close'` (an `'error'` before it is expected here). */
function closed(socket: Socket): Promise<unknown> {
  return within(new Promise((resolve) => socket.once("close", resolve)), 5000, "'close'");
}

function code(err: Error | null | undefined): string {
  return err ? (err as { code?: string }).code ?? err.message : "ok";
}

/**
 * A RawConn over `inner` whose writes the "runtime" accepts `budget` chunks of in all, at
 * once; the rest of a batch waits until close(), which cancels it (ECANCELED).
 */
function acceptingConn(inner: RawConn, budget: number, batches: number[]): RawConn {
  let held: WriteDone | null = null;
  const cancel = () => {
    const done = held;
    held = null;
    if (done) done(canceledError(adapter.platform, "write"), 0); // before onClose, as the contract says
  };
  return {
    readStart: () => inner.readStart(),
    readStop: () => inner.readStop(),
    write(chunks, done) {
      batches.push(chunks.length);
      const n = Math.min(budget, chunks.length);
      budget -= n;
      if (n < chunks.length) held = done;
      queueMicrotask(() => done(null, n));
    },
    shutdown: (done) => inner.shutdown(done),
    close: () => (cancel(), inner.close()),
    reset: () => (cancel(), inner.reset()),
    setNoDelay: (on) => inner.setNoDelay(on),
    setKeepAlive: (on, ms) => inner.setKeepAlive(on, ms),
    ref: () => inner.ref(),
    unref: () => inner.unref(),
    localAddress: () => inner.localAddress(),
    remoteAddress: () => inner.remoteAddress(),
  };
}

test("a batch the adapter accepts in part: its accepted chunks say ok, the next ECANCELED, the rest destroy(err)'s error, after 'error'", async () => {
  const batches: number[] = [];
  const api = netWith((base) => ({ connect: (o, s) => acceptingConn(base.connect(o, s), 3, batches) }));
  const server = track(net.createServer((s) => s.resume()));
  const port = await listen(server);
  const client = track(api.connect(port, "127.0.0.1"));
  await once(client, "connect");
  const log: string[] = [];
  client.on("error", (err) => log.push(`error ${code(err)}`));
  for (let i = 0; i < 8; i++) client.write(`w${i}`, (err) => log.push(`w${i} ${code(err)}`));
  await delay(20);
  assert.equal(batches, [1, 7], "one write, then the seven queued behind it as one batch");
  assert.equal(log, ["w0 ok", "w1 ok", "w2 ok"], "accepted chunks of the batch say ok at once");
  client.destroy(Object.assign(new Error("boom"), { code: "EBOOM" }));
  await closed(client);
  assert.equal(log, [
    "w0 ok",
    "w1 ok",
    "w2 ok",
    "error EBOOM",
    "w3 ECANCELED",
    "w4 EBOOM",
    "w5 EBOOM",
    "w6 EBOOM",
    "w7 EBOOM",
  ]);
  await close(server);
});

test("a batch the adapter accepts in part, then destroy(): the next chunk and the rest ECANCELED, no 'error'", async () => {
  const batches: number[] = [];
  const api = netWith((base) => ({ connect: (o, s) => acceptingConn(base.connect(o, s), 2, batches) }));
  const server = track(net.createServer((s) => s.resume()));
  const port = await listen(server);
  const client = track(api.connect(port, "127.0.0.1"));
  await once(client, "connect");
  const log: string[] = [];
  client.on("error", (err) => log.push(`error ${code(err)}`));
  for (let i = 0; i < 4; i++) client.write(`w${i}`, (err) => log.push(`w${i} ${code(err)}`));
  await delay(20);
  client.destroy();
  await closed(client);
  assert.equal(log, ["w0 ok", "w1 ok", "w2 ECANCELED", "w3 ECANCELED"]);
  await close(server);
});

/**
 * 32 × 1 MiB written at once to a peer that never reads, then `end(client, peer)`: the
 * callbacks' outcomes in order, and the log with 'error' and 'close'.
 */
async function queuedWrites(end: (client: Socket, peer: Socket) => void): Promise<string[]> {
  let peer!: Socket;
  const server = track(net.createServer({ pauseOnConnect: true }, (s) => {
    peer = s;
    s.on("error", () => {});
  }));
  const port = await listen(server);
  const client = track(net.connect(port, "127.0.0.1"));
  await once(client, "connect");
  await within(
    (async () => {
      while (!peer) await delay(5);
    })(),
    5000,
    "the peer",
  );
  const log: string[] = [];
  client.on("error", (err) => log.push(`error ${code(err)}`));
  const chunk = Buffer.alloc(MiB);
  for (let i = 0; i < 32; i++) client.write(chunk, (err) => log.push(code(err)));
  await delay(200);
  end(client, peer);
  await closed(client);
  peer.destroy();
  await close(server);
  return log;
}

/** `log` as runs: `["ok×3", "error EBOOM", "ECANCELED", "EBOOM×28"]`. */
function runs(log: string[]): string[] {
  const out: string[] = [];
  let i = 0;
  while (i < log.length) {
    let j = i;
    while (j < log.length && log[j] === log[i]) j++;
    out.push(j - i > 1 ? `${log[i]}×${j - i}` : log[i]);
    i = j;
  }
  return out;
}

test("destroy(err) with 32 × 1 MiB queued: the writes the kernel took ok, one ECANCELED, the rest the error, after 'error'", async () => {
  const log = await queuedWrites((client) => client.destroy(Object.assign(new Error("boom"), { code: "EBOOM" })));
  const shape = runs(log);
  assert.equal(shape.length, 4, shape.join(", "));
  assert.match(shape[0], /^ok(×\d+)?$/, "the writes the kernel took say ok");
  const oks = shape[0] === "ok" ? 1 : Number(shape[0].slice(3));
  assert.ok(oks < 31, `${oks} writes ok: the kernel cannot hold 31 MiB of a peer that never reads`);
  assert.equal(shape.slice(1), ["error EBOOM", "ECANCELED", `EBOOM×${31 - oks}`]);
});

test("the peer resets with 32 × 1 MiB queued: ok for what the kernel took, one ECANCELED, the rest ECONNRESET, after 'error'", async () => {
  if (!adapter.capabilities.reset) return; // no RST from this runtime's peer (Deno)
  const log = await queuedWrites((_client, peer) => peer.resetAndDestroy());
  const shape = runs(log);
  assert.equal(shape.length, 4, shape.join(", "));
  assert.match(shape[0], /^ok(×\d+)?$/);
  const oks = shape[0] === "ok" ? 1 : Number(shape[0].slice(3));
  assert.equal(shape.slice(1), ["error ECONNRESET", "ECANCELED", `ECONNRESET×${31 - oks}`]);
});

test.run();
