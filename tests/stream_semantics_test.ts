// A Socket's read side has Node 24's stream semantics on every runtime, even where the
// runtime's own node:stream differs (Deno's and Bun's `read()` returns only the first
// buffered chunk): read(), read(n), 'readable', setEncoding, readableLength, and the order
// of 'end' and 'close' for a reader that reads late. Expected values are Node 24's
// node:net running the same steps.
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { Buffer } from "node:buffer";
import net, { type Socket } from "../mod.ts";
import { close, delay, listen, once, pattern, sweep, track, within } from "./_util.ts";

const test = suite("stream semantics");
test.after.each(sweep);

const SIZE = 70_000;

/** A server that sends `data` in `pieces` writes, then FIN. */
async function sender(data: Uint8Array, pieces: number) {
  const server = track(net.createServer((s) => {
    const step = Math.ceil(data.byteLength / pieces);
    for (let i = 0; i < data.byteLength; i += step) s.write(data.subarray(i, i + step));
    s.end();
  }));
  return { server, port: await listen(server) };
}

/** Wait (bounded) for 'close'. */
function closed(socket: Socket): Promise<unknown> {
  return within(new Promise((resolve) => socket.once("close", resolve)), 5000, "'close'");
}

test("read() without a size returns everything buffered; read(n) exact bytes; readableLength after each", () => {
  const s = track(new net.Socket());
  const log: unknown[] = [];
  s.push(Buffer.from("ab"));
  s.push(Buffer.from("cd"));
  s.push(Buffer.from("ef"));
  log.push(s.readableLength);
  log.push(String(s.read()), s.readableLength, s.readableHighWaterMark);
  s.push(Buffer.from("gh"));
  s.push(Buffer.from("ij"));
  log.push(String(s.read(3)), s.readableLength, String(s.read(3)), s.readableLength, s.read(3), s.readableLength);
  s.push(Buffer.alloc(70000));
  log.push(s.readableLength, (s.read() as Buffer).length, s.readableLength, s.readableHighWaterMark);
  s.setEncoding("utf8");
  const euro = Buffer.from("a€b");
  s.push(euro.subarray(0, 2));
  log.push(s.readableLength);
  s.push(euro.subarray(2));
  log.push(s.readableLength, s.read(), s.readableLength);
  // Node 24's node:net, the same steps.
  assert.equal(log, [6, "abcdef", 0, 65536, "ghi", 1, "null", 1, null, 1, 70001, 70001, 0, 65536, 1, 3, "a€b", 0]);
});

test("'readable' with one read() per event gets all of a 70 KB message sent in 7 writes", async () => {
  const data = pattern(SIZE);
  const { server, port } = await sender(data, 7);
  const client = track(net.connect(port, "127.0.0.1"));
  const chunks: Buffer[] = [];
  const lengths: number[] = [];
  const events: string[] = [];
  client.on("readable", () => {
    const chunk = client.read() as Buffer | null;
    if (chunk) chunks.push(chunk);
    lengths.push(client.readableLength);
  });
  client.on("end", () => events.push("end"));
  client.on("close", () => events.push("close"));
  await closed(client);
  assert.equal(events, ["end", "close"]);
  assert.ok(Buffer.concat(chunks).equals(data));
  // Not flowing: each read() emptied the buffer.
  assert.equal(lengths.filter((n) => n !== 0), []);
  await close(server);
});

test("read(1024) in a loop per 'readable': exact 1024-byte chunks, the rest at the end", async () => {
  const data = pattern(SIZE);
  const { server, port } = await sender(data, 7);
  const client = track(net.connect(port, "127.0.0.1"));
  const chunks: Buffer[] = [];
  client.on("readable", () => {
    let chunk: Buffer | null;
    while ((chunk = client.read(1024) as Buffer | null) !== null) chunks.push(chunk);
  });
  await once(client, "end");
  const sizes = chunks.map((c) => c.length);
  assert.equal(sizes.length, 69);
  assert.equal(sizes.filter((n) => n !== 1024), [368]);
  assert.ok(Buffer.concat(chunks).equals(data));
  await close(server);
});

test("setEncoding('utf8'): multi-byte characters split across writes arrive whole", async () => {
  const text = "€uro ✓ 𝄞 ".repeat(2000);
  const bytes = Buffer.from(text);
  const server = track(net.createServer(async (s) => {
    // Cut inside characters: 1 byte, then a prime-sized piece, then the rest.
    s.write(bytes.subarray(0, 1));
    await delay(20);
    s.write(bytes.subarray(1, 7919));
    await delay(20);
    s.end(bytes.subarray(7919));
  }));
  const port = await listen(server);
  const client = track(net.connect(port, "127.0.0.1"));
  client.setEncoding("utf8");
  let received = "";
  client.on("readable", () => {
    const chunk = client.read();
    if (chunk !== null) {
      assert.type(chunk, "string");
      received += chunk;
    }
    assert.is(client.readableLength, 0);
  });
  await once(client, "end");
  assert.is(received, text);
  await close(server);
});

test("data and FIN while paused: a resume 200 ms later gets every byte, then 'end', 'finish', 'close'", async () => {
  const data = pattern(100_000);
  const server = track(net.createServer((s) => s.end(data)));
  const port = await listen(server);
  const client = track(net.connect(port, "127.0.0.1"));
  const events: string[] = [];
  let got = 0;
  client.on("connect", () => {
    events.push("connect");
    client.pause();
  });
  client.on("data", (d: Buffer) => {
    got += d.length;
    if (events.at(-1) !== "data") events.push("data");
  });
  for (const name of ["end", "finish", "close"]) client.on(name, () => events.push(`${name}:${got}`));
  await delay(200);
  events.push("resume");
  client.resume();
  await closed(client);
  // Node 24: the same.
  assert.equal(events, ["connect", "resume", "data", "end:100000", "finish:100000", "close:100000"]);
  await close(server);
});

test("data and FIN unread: read() 200 ms later returns every byte, then 'end', 'finish', 'close'", async () => {
  const data = pattern(100_000);
  const server = track(net.createServer((s) => s.end(data)));
  const port = await listen(server);
  const client = track(net.connect(port, "127.0.0.1"));
  const events: string[] = [];
  const chunks: Buffer[] = [];
  client.once("readable", () => events.push("readable"));
  for (const name of ["end", "finish", "close"]) client.on(name, () => events.push(name));
  await delay(200);
  events.push("read");
  const drain = () => {
    let chunk: Buffer | null;
    while ((chunk = client.read() as Buffer | null) !== null) chunks.push(chunk);
  };
  drain();
  client.on("readable", drain);
  await closed(client);
  assert.equal(events, ["readable", "read", "end", "finish", "close"]);
  assert.ok(Buffer.concat(chunks).equals(data));
  await close(server);
});

test("after our end(), the peer's reply and FIN while paused: 'finish', then every byte, 'end', 'close'", async () => {
  const data = pattern(100_000);
  const server = track(net.createServer((s) => {
    s.on("end", () => s.end(data));
    s.resume();
  }));
  const port = await listen(server);
  const client = track(net.connect(port, "127.0.0.1", () => client.end("request")));
  client.pause();
  const events: string[] = [];
  let got = 0;
  client.on("data", (d: Buffer) => {
    got += d.length;
    if (events.at(-1) !== "data") events.push("data");
  });
  for (const name of ["end", "finish", "close"]) client.on(name, () => events.push(`${name}:${got}`));
  await delay(200);
  events.push("resume");
  client.resume();
  await closed(client);
  // Node 24: the same.
  assert.equal(events, ["finish:0", "resume", "data", "end:100000", "close:100000"]);
  await close(server);
});

/**
 * A client with `onread` (a 1000-byte buffer) reading 10 000 bytes and a FIN; `stopAt(calls)`
 * decides when the callback returns false. After each 50 ms the test calls `restart`
 * (resume() or read()) and records what the callback got in that round.
 */
async function onreadRounds(stopAt: (calls: number) => boolean, restart: (s: Socket) => void) {
  const server = track(net.createServer((s) => s.end(pattern(10_000))));
  const port = await listen(server);
  const rounds: number[][] = [[]];
  const events: string[] = [];
  let calls = 0;
  let bytes = 0;
  const client = track(net.connect({
    port,
    host: "127.0.0.1",
    onread: {
      buffer: Buffer.alloc(1000),
      callback(n: number) {
        calls++;
        bytes += n;
        rounds[rounds.length - 1].push(n);
        return stopAt(calls) ? false : undefined;
      },
    },
  }));
  client.on("end", () => events.push(`end:${bytes}`));
  client.on("close", () => events.push("close"));
  while (!events.includes("close") && rounds.length < 40) {
    await delay(50);
    rounds.push([]);
    restart(client);
  }
  await close(server);
  return { rounds: rounds.filter((r) => r.length > 0), events, bytes };
}

test("onread: a callback returning false gets nothing more until resume(); each resume() reads once more", async () => {
  const { rounds, events, bytes } = await onreadRounds(() => true, (s) => s.resume());
  // Node 24: [1000] × 10, then 'end' after the next resume(). (Where a runtime hands the
  // core smaller pieces, a round's one callback may get fewer bytes.)
  assert.equal(rounds.filter((r) => r.length !== 1), []);
  assert.is(bytes, 10_000);
  assert.equal(events, ["end:10000", "close"]);
});

test("onread: read() restarts reading after false, as resume() does", async () => {
  const { rounds, events, bytes } = await onreadRounds(() => true, (s) => s.read());
  assert.equal(rounds.filter((r) => r.length !== 1), []);
  assert.is(bytes, 10_000);
  assert.equal(events, ["end:10000", "close"]);
});

test("onread: false on every third callback: three callbacks per resume()", async () => {
  const { rounds, events, bytes } = await onreadRounds((calls) => calls % 3 === 0, (s) => s.resume());
  // Node 24: [1000, 1000, 1000] × 3, then [1000] with 'end'.
  assert.equal(rounds.slice(0, -1).filter((r) => r.length !== 3), []);
  assert.ok(rounds[rounds.length - 1].length <= 3);
  assert.is(bytes, 10_000);
  assert.equal(events, ["end:10000", "close"]);
});

test.run();
