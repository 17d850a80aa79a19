// Unix domain sockets as streams: half-close, backpressure, pauseOnConnect, close order
// and server.close() work as they do on TCP.
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { Buffer } from "node:buffer";
import net, { type Server, type Socket } from "../mod.ts";
import { close, once, pattern, pausingReceiver, socketPaths, trace, tracking, within, writeInChunks } from "./_util.ts";

const test = suite("Unix domain sockets: streams");

// Every server and client goes through these, so a failing test cannot hang the file.
const { createServer, connect } = tracking(net);

const sockPath = socketPaths(test);

async function listenPipe(server: Server): Promise<string> {
  const path = sockPath();
  server.listen(path);
  await once(server, "listening");
  return path;
}

const EVENTS = ["connect", "ready", "end", "finish", "close", "error"];

test("client-initiated close: Node's event order on both sides", async () => {
  let serverLog: string[] = [];
  let peer!: Socket;
  const server = createServer((s) => {
    peer = s;
    serverLog = trace(s, EVENTS);
    s.resume();
  });
  const path = await listenPipe(server);
  const client = connect(path);
  const clientLog = trace(client, EVENTS);
  client.resume();
  await once(client, "connect");
  client.end();
  await once(client, "close");
  if (serverLog.at(-1) !== "close(false)") await once(peer, "close");
  assert.equal(clientLog, ["connect", "ready", "finish", "end", "close(false)"]);
  assert.equal(serverLog, ["end", "finish", "close(false)"]);
  await close(server);
});

test("allowHalfOpen: the client ends first, the server writes after 'end', then ends", async () => {
  let serverLog: string[] = [];
  const server = createServer({ allowHalfOpen: true }, (s) => {
    serverLog = trace(s, ["end", "finish", "close", "error"]);
    s.on("data", (d) => serverLog.push(`data:${d}`));
    s.on("end", () => {
      serverLog.push(`writable=${s.writable}`);
      s.write("still ");
      s.end("here");
    });
  });
  const path = await listenPipe(server);
  const client = connect(path);
  const clientLog = trace(client, ["connect", "end", "finish", "close", "error"]);
  const received: string[] = [];
  client.on("data", (d) => received.push(String(d)));
  client.end("hi");
  await once(client, "close");
  await close(server);
  assert.equal(serverLog, ["data:hi", "end", "writable=true", "finish", "close(false)"]);
  assert.equal(clientLog, ["connect", "finish", "end", "close(false)"]);
  assert.is(received.join(""), "still here");
});

test("backpressure: 8 MiB to a paused reader arrives byte for byte; write() returns false and 'drain' follows", async () => {
  const size = 8 * 1024 * 1024;
  const data = pattern(size, 11);
  let drains = 0;
  let sawFalse = false;
  const receiver = pausingReceiver(size);
  const server = createServer(receiver.onConnection);
  const path = await listenPipe(server);
  const client = connect(path);
  client.on("drain", () => drains++);
  client.on("connect", () => writeInChunks(client, data, () => sawFalse = true));
  const failed = new Promise<never>((_, reject) => client.on("error", reject));
  await within(Promise.race([receiver.ended, failed]), 30_000, "8 MiB over a Unix socket");
  await close(server);
  const pausedAt = receiver.pausedAt();
  const received = receiver.received;
  assert.ok(pausedAt > 0, "the reader paused once");
  assert.ok(sawFalse && drains > 0, `write() returned false and 'drain' came (${drains})`);
  const all = Buffer.concat(received);
  assert.is(all.length, size);
  assert.ok(all.equals(Buffer.from(data.buffer, data.byteOffset, data.byteLength)), "bytes equal");
});

test("pauseOnConnect: nothing is read from the pipe until resume()", async () => {
  const server = createServer({ pauseOnConnect: true });
  const path = await listenPipe(server);
  const accepted = once<[Socket]>(server, "connection");
  const client = connect(path);
  await once(client, "connect");
  await new Promise((resolve) => client.write("hello", resolve));
  const [peer] = await accepted;
  const state = `paused=${peer.isPaused()} flowing=${peer.readableFlowing} bytesRead=${peer.bytesRead}`;
  const log = trace(peer, ["data", "end", "resume", "close"]);
  peer.on("data", (d) => log.push(`got ${d}`));
  peer.resume();
  client.end();
  await once(peer, "close");
  assert.is(state, "paused=true flowing=false bytesRead=0");
  assert.equal(log, ["resume", "data", "got hello", "end", "close(false)"]);
  await close(server);
});

test("server.close() waits for a live pipe connection; new connects fail with ENOENT", async () => {
  const server = createServer((s) => s.resume());
  const path = await listenPipe(server);
  const accepted = once<[Socket]>(server, "connection");
  const client = connect(path);
  client.resume();
  await once(client, "connect");
  const [peer] = await accepted;
  const order: string[] = [];
  server.on("close", () => order.push("server close"));
  server.close(() => order.push("close-cb"));
  assert.is(server.listening, false);
  server.on("connection", () => order.push("connection after close()"));
  const refused = connect(path);
  const refusedLog = trace(refused, ["connect", "ready", "error", "close"]);
  await within(new Promise((resolve) => refused.on("close", resolve)), 5000, "refused client 'close'");
  // close() unlinks the socket file at once (libuv does, and every adapter follows it).
  assert.equal(refusedLog, ["error(ENOENT)", "close(true)"]);
  assert.equal(order, []);
  client.end();
  await within(once(server, "close"), 5000, "server 'close'");
  if (!peer.destroyed) await once(peer, "close");
  assert.equal(order, ["server close", "close-cb"]);
});

test.run();
