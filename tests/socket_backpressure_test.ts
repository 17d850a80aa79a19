// Backpressure both ways: a paused receiver stops reading at the adapter (readStop) so
// memory stays bounded while the sender's write() returns false and stalls; cork/uncork
// and queued writes reach the adapter as one batch.
import { suite } from "uvu";
import * as assert from "uvu/assert";
import type { Buffer } from "node:buffer";
import net, { detectAdapter, type Socket } from "../mod.ts";
import { close, listen, netWith, once, pattern, spyConn, sweep, track, within } from "./_util.ts";

const test = suite("Socket backpressure");
test.after.each(sweep);

const MiB = 1024 * 1024;

/** True if `'drain'` comes within `ms`; the listener is removed either way. */
function drainWithin(socket: Socket, ms: number): Promise<boolean> {
  return new Promise((resolve) => {
    const onDrain = () => {
      clearTimeout(timer);
      resolve(true);
    };
    const timer = setTimeout(() => {
      socket.off("drain", onDrain);
      resolve(false);
    }, ms);
    socket.once("drain", onDrain);
  });
}

test("64 MiB to a paused receiver: write() returns false and stalls, the receiver stays bounded, then all bytes arrive", async () => {
  const SIZE = 64 * MiB;
  const CHUNK = 64 * 1024;
  const data = pattern(SIZE);
  const serverCalls: string[] = [];
  const api = netWith((base) => ({
    listen: (options, sink) =>
      base.listen(options, {
        onListening: () => sink.onListening(),
        onError: (err) => sink.onError(err),
        onConnection: (conn) => sink.onConnection(spyConn(conn, serverCalls)),
      }),
  }));
  let receiver!: Socket;
  let accept!: () => void;
  const accepted = new Promise<void>((resolve) => accept = resolve);
  const server = track(api.createServer((s) => {
    receiver = s;
    s.pause();
    accept();
  }));
  const port = await listen(server);
  const client = track(net.connect(port, "127.0.0.1"));
  let sendError: Error | undefined;
  client.on("error", (err) => sendError = err);
  await once(client, "connect");
  await within(accepted, 5000, "the connection");

  // Write until write() says stop, wait for 'drain', repeat, until 'drain' stops coming.
  let offset = 0;
  let falses = 0;
  let acked = 0;
  let quietRounds = 0;
  let needDrain = false;
  for (let round = 0; round < 2000 && offset < SIZE && quietRounds < 3; round++) {
    while (!needDrain && offset < SIZE) {
      const chunk = data.subarray(offset, offset + CHUNK);
      offset += chunk.byteLength;
      needDrain = !client.write(chunk, (err) => err || (acked += chunk.byteLength));
      if (needDrain) falses++;
    }
    const before = acked;
    if (await drainWithin(client, 250)) {
      needDrain = false;
      quietRounds = 0;
    } else {
      quietRounds = acked !== before ? 0 : quietRounds + 1;
    }
  }
  assert.ok(falses > 0, "write() returned false at least once");
  assert.ok(offset < SIZE, `the sender stalled before writing everything (wrote ${offset} of ${SIZE})`);
  assert.ok(
    client.writableLength <= client.writableHighWaterMark + CHUNK,
    `sender buffer bounded: ${client.writableLength}`,
  );
  const hwm = receiver.readableHighWaterMark;
  assert.ok(receiver.readableLength <= 4 * hwm, `receiver buffer ${receiver.readableLength} <= 4 x ${hwm}`);
  assert.ok(serverCalls.includes("readStop"), `the receiver stopped reading at the adapter: ${serverCalls.join(" ")}`);

  // Resume: everything arrives, byte for byte, and the sender finishes.
  let received = 0;
  let mismatch = -1;
  const done = new Promise<void>((resolve) => {
    receiver.on("data", (chunk: Buffer) => {
      if (mismatch < 0) {
        for (let i = 0; i < chunk.length; i++) {
          if (chunk[i] !== data[received + i]) {
            mismatch = received + i;
            break;
          }
        }
      }
      received += chunk.length;
    });
    receiver.on("end", resolve);
  });
  receiver.resume();
  const pump = async () => {
    for (let i = 0; offset < SIZE && i < 100_000; i++) {
      const chunk = data.subarray(offset, offset + CHUNK);
      offset += chunk.byteLength;
      if (!client.write(chunk)) {
        for (let wait = 0; wait < 120 && !(await drainWithin(client, 250)); wait++);
      }
    }
    client.end();
  };
  await within(Promise.all([pump(), done]), 60_000, "the rest of the 64 MiB");
  assert.is(sendError, undefined);
  assert.is(mismatch, -1, `first differing byte at ${mismatch}`);
  assert.is(received, SIZE);
  await close(server);
});

test("cork() + three writes + uncork() reach the adapter as one write of three chunks", async () => {
  const calls: string[] = [];
  const api = netWith((base) => ({ connect: (o, s) => spyConn(base.connect(o, s), calls) }));
  const server = track(net.createServer((s) => s.resume()));
  const port = await listen(server);
  const client = track(api.connect(port, "127.0.0.1"));
  await once(client, "connect");
  const callbacks: string[] = [];
  client.cork();
  for (const word of ["one", "two", "three"]) client.write(word, () => callbacks.push(word));
  client.uncork();
  await within(new Promise((r) => client.end(r)), 5000, "end");
  assert.equal(calls.filter((c) => c.startsWith("write")), ["write(3 chunks, 11 bytes)"]);
  assert.equal(callbacks, ["one", "two", "three"]);
  await close(server);
});

test("writes queued behind one in flight go to the adapter as one batch (writev)", async () => {
  const calls: string[] = [];
  const api = netWith((base) => ({ connect: (o, s) => spyConn(base.connect(o, s), calls) }));
  let peer!: Socket;
  const server = track(net.createServer({ pauseOnConnect: true }, (s) => peer = s));
  const port = await listen(server);
  const client = track(api.connect(port, "127.0.0.1"));
  await once(client, "connect");
  // The peer does not read: 8 MiB cannot all go at once, so the write stays in flight.
  client.write(new Uint8Array(8 * MiB));
  client.write("a");
  client.write("bb");
  client.write("ccc");
  while (!peer) await new Promise((r) => setTimeout(r, 5));
  peer.resume();
  await within(new Promise((r) => client.end(r)), 5000, "end");
  assert.equal(calls.filter((c) => c.startsWith("write")), [
    `write(1 chunks, ${8 * MiB} bytes)`,
    "write(3 chunks, 6 bytes)",
  ]);
  await close(server);
});

test("writes the runtime takes at once go to the adapter one by one, as node:net's", async () => {
  const calls: string[] = [];
  const api = netWith((base) => ({ connect: (o, s) => spyConn(base.connect(o, s), calls) }));
  const server = track(net.createServer((s) => s.resume()));
  const port = await listen(server);
  const client = track(api.connect(port, "127.0.0.1"));
  await once(client, "connect");
  const returned = [client.write("a"), client.write("bb"), client.write(new Uint8Array(65537))];
  const length = client.writableLength;
  await within(new Promise((r) => client.end(r)), 5000, "end");
  const writes = calls.filter((c) => c.startsWith("write"));
  if (detectAdapter().capabilities.syncWrite) {
    // Node, Bun and Deno's handles report a write the kernel took inside write(): nothing is queued.
    assert.equal(returned, [true, true, true]);
    assert.is(length, 0);
    assert.equal(writes, ["write(1 chunks, 1 bytes)", "write(1 chunks, 2 bytes)", "write(1 chunks, 65537 bytes)"]);
  } else {
    // Deno.connect's write settles later: the Writable queues behind it.
    assert.equal(returned, [true, true, false]);
    assert.equal(writes, ["write(1 chunks, 1 bytes)", "write(2 chunks, 65539 bytes)"]);
  }
  await close(server);
});

test("writes before 'connect' go out as one batch once connected; bytesWritten counts them all along", async () => {
  const calls: string[] = [];
  const api = netWith((base) => ({ connect: (o, s) => spyConn(base.connect(o, s), calls) }));
  const server = track(net.createServer((s) => s.resume()));
  const port = await listen(server);
  const client = track(api.connect(port, "127.0.0.1"));
  client.write("héllo");
  client.write("00ff", "hex");
  client.write(new Uint8Array(10));
  assert.is(client.bytesWritten, 6 + 2 + 10);
  await within(new Promise((r) => client.end(r)), 5000, "end");
  assert.equal(calls.filter((c) => c.startsWith("write")), ["write(1 chunks, 6 bytes)", "write(2 chunks, 12 bytes)"]);
  assert.is(client.bytesWritten, 18);
  await close(server);
});

test.run();
