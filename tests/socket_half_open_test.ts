// Half-close: with allowHalfOpen a socket keeps writing after 'end' and closes once both
// sides finished; without it the peer's FIN ends our side too, after our queued bytes.
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { Buffer } from "node:buffer";
import net, { type Socket } from "../mod.ts";
import { close, listen, pattern, sweep, trace, track, within } from "./_util.ts";

const test = suite("Socket half-open");
test.after.each(sweep);

const EVENTS = ["connect", "end", "finish", "error", "close"];
const MiB = 1024 * 1024;

function closed(socket: Socket): Promise<unknown> {
  return within(new Promise((resolve) => socket.once("close", resolve)), 10_000, "'close'");
}

/** A server (allowHalfOpen) that ends at once and collects what it receives. */
async function endingServer(greeting = "bye") {
  const received: Buffer[] = [];
  let resolvePeer!: (v: { log: string[]; closed: Promise<unknown> }) => void;
  const peer = new Promise<{ log: string[]; closed: Promise<unknown> }>((r) => resolvePeer = r);
  const server = track(net.createServer({ allowHalfOpen: true }, (s) => {
    const log = trace(s, EVENTS);
    s.on("data", (d: Buffer) => received.push(d));
    s.end(greeting);
    resolvePeer({ log, closed: closed(s) });
  }));
  const port = await listen(server);
  return { server, port, peer, received };
}

test("allowHalfOpen: after the peer's FIN the client still sends 1 MiB, and closes after its own end()", async () => {
  const { server, port, peer, received } = await endingServer();
  const data = pattern(MiB);
  const client = track(net.connect({ port, host: "127.0.0.1", allowHalfOpen: true }));
  const log = trace(client, EVENTS);
  const got: Buffer[] = [];
  client.on("data", (d: Buffer) => got.push(d));
  client.on("end", () => {
    log.push(`readyState=${client.readyState}`);
    client.end(data);
  });
  await closed(client);
  const { log: peerLog, closed: peerClosed } = await peer;
  await peerClosed;
  assert.is(Buffer.concat(got).toString(), "bye");
  assert.ok(Buffer.concat(received).equals(Buffer.from(data)), "the peer got the 1 MiB sent after 'end'");
  assert.equal(log, ["connect", "end", "readyState=writeOnly", "finish", "close(false)"]);
  assert.equal(peerLog, ["finish", "end", "close(false)"]);
  await close(server);
});

test("without allowHalfOpen: the peer's FIN ends our side after the bytes already queued", async () => {
  const { server, port, peer, received } = await endingServer();
  const data = pattern(MiB, 3);
  const client = track(net.connect(port, "127.0.0.1"));
  const log = trace(client, EVENTS);
  client.write(data);
  client.resume();
  await closed(client);
  const { log: peerLog, closed: peerClosed } = await peer;
  await peerClosed;
  assert.ok(Buffer.concat(received).equals(Buffer.from(data)), "all queued bytes went out before our FIN");
  assert.equal(log, ["connect", "end", "finish", "close(false)"]);
  assert.equal(peerLog, ["finish", "end", "close(false)"]);
  await close(server);
});

test("end(): FIN follows every queued write; 'finish' then the peer's 'end'", async () => {
  const received: Buffer[] = [];
  let peerLog: string[] = [];
  let peerClosed: Promise<unknown> | undefined;
  const server = track(net.createServer((s) => {
    peerClosed = closed(s);
    peerLog = trace(s, EVENTS);
    s.on("data", (d: Buffer) => received.push(d));
  }));
  const port = await listen(server);
  const client = track(net.connect(port, "127.0.0.1"));
  const log = trace(client, EVENTS);
  const chunks = [pattern(300_000, 1), pattern(300_000, 2), pattern(300_000, 3)];
  for (const c of chunks) client.write(c);
  client.end("!");
  client.resume();
  await closed(client);
  await peerClosed;
  assert.ok(Buffer.concat(received).equals(Buffer.concat([...chunks, Buffer.from("!")])), "bytes then FIN");
  assert.equal(log, ["connect", "finish", "end", "close(false)"]);
  assert.equal(peerLog, ["end", "finish", "close(false)"]);
  await close(server);
});

test("allowHalfOpen on both sides: each side's end() is independent; close after both", async () => {
  let peerLog: string[] = [];
  let peerClosed: Promise<unknown> | undefined;
  const server = track(net.createServer({ allowHalfOpen: true }, (s) => {
    peerClosed = closed(s);
    peerLog = trace(s, EVENTS);
    s.setEncoding("utf8");
    let text = "";
    s.on("data", (d: string) => text += d);
    s.on("end", () => setTimeout(() => s.end(`echo:${text}`), 20));
  }));
  const port = await listen(server);
  const client = track(net.connect({ port, host: "127.0.0.1", allowHalfOpen: true }));
  const log = trace(client, EVENTS);
  let reply = "";
  client.setEncoding("utf8");
  client.on("data", (d: string) => reply += d);
  client.on("finish", () => log.push(`after finish: readyState=${client.readyState}`));
  client.end("question");
  await closed(client);
  await peerClosed;
  assert.is(reply, "echo:question");
  assert.equal(log, ["connect", "finish", "after finish: readyState=readOnly", "end", "close(false)"]);
  assert.equal(peerLog, ["end", "finish", "close(false)"]);
  await close(server);
});

test("a reader that reads late, having ended its side, still gets every byte, then 'end', then 'close' (the peer ended too)", async () => {
  const data = pattern(32 * 1024);
  const server = track(net.createServer({ allowHalfOpen: true }, (s) => {
    s.on("error", () => {});
    s.resume();
    s.end(data);
  }));
  const port = await listen(server);
  const client = track(net.connect({ port, host: "127.0.0.1", allowHalfOpen: true }));
  const log = trace(client, EVENTS);
  client.on("connect", () => client.end());
  // No consumer yet: the bytes and the FIN wait in the socket's buffer. Both FINs cross
  // meanwhile, so the connection itself is done.
  await new Promise((resolve) => setTimeout(resolve, 300));
  assert.equal(log, ["connect", "finish"], "nothing more before the reader reads");
  const got: Buffer[] = [];
  client.on("data", (d: Buffer) => got.push(d));
  await closed(client);
  assert.equal(Buffer.concat(got).equals(data), true, "every byte, in order");
  assert.equal(log, ["connect", "finish", "end", "close(false)"]);
  await close(server);
});

test.run();
