// The foundation behaviours, on any `net`: a real echo, bulk transfer with a paused
// receiver, Node's close order on both sides, error fields, queued writes and
// server.close(). foundation_test.ts runs them on the runtime's adapter,
// memory_adapter_test.ts on an in-process network.
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { Buffer } from "node:buffer";
import type { Net, Socket } from "../mod.ts";
import { close, delay, listen, once, pattern, pausingReceiver, trace, within, writeInChunks } from "./_util.ts";

/** Run the foundation tests on `net`, as the suite `title`. */
export function foundationSuite(title: string, net: Pick<Net, "createServer" | "connect">): void {
  const test = suite(title);

  test("echo: bytes written by the client come back unchanged", async () => {
    const server = net.createServer((s) => s.pipe(s));
    const port = await listen(server);
    const client = net.connect(port, "127.0.0.1");
    const chunks: Buffer[] = [];
    client.on("data", (d: Buffer) => chunks.push(d));
    await once(client, "connect");
    client.end("hello, omninet");
    await once(client, "close");
    assert.is(Buffer.concat(chunks).toString(), "hello, omninet");
    assert.is(client.bytesRead, 14);
    assert.is(client.bytesWritten, 14);
    await close(server);
  });

  test("8 MiB transfer with the receiver paused and resumed arrives byte for byte", async () => {
    const size = 8 * 1024 * 1024;
    const data = pattern(size);
    const receiver = pausingReceiver(size);
    const server = net.createServer(receiver.onConnection);
    const port = await listen(server);
    const client = net.connect(port, "127.0.0.1");
    client.on("connect", () => writeInChunks(client, data));
    const failed = new Promise<never>((_, reject) => client.on("error", reject));
    await within(Promise.race([receiver.ended, failed]), 30000, "8 MiB transfer");
    await close(server);
    const pausedAt = receiver.pausedAt();
    const received = receiver.received;
    assert.ok(pausedAt > 0, "receiver was paused once");
    const all = Buffer.concat(received);
    assert.is(all.length, size);
    assert.ok(all.equals(Buffer.from(data.buffer, data.byteOffset, data.byteLength)), "bytes equal");
  });

  test("client-initiated close: Node's event order on both sides", async () => {
    const events = ["connect", "ready", "data", "end", "finish", "close", "error"];
    let serverLog: string[] = [];
    let serverSocket: Socket | undefined;
    const server = net.createServer((s) => {
      serverSocket = s;
      serverLog = trace(s, events);
      s.resume();
    });
    const port = await listen(server);
    const client = net.connect(port, "127.0.0.1");
    const clientLog = trace(client, events);
    client.resume();
    await once(client, "connect");
    client.end();
    await once(client, "close");
    if (!serverSocket!.destroyed || serverLog.at(-1) !== "close(false)") await once(serverSocket!, "close");
    assert.equal(clientLog, ["connect", "ready", "finish", "end", "close(false)"]);
    assert.equal(serverLog, ["end", "finish", "close(false)"]);
    await close(server);
  });

  test("server-initiated close: the client sees end, finish, close(false)", async () => {
    const events = ["connect", "ready", "end", "finish", "close", "error"];
    const server = net.createServer((s) => s.end());
    const port = await listen(server);
    const client = net.connect(port, "127.0.0.1");
    const log = trace(client, events);
    client.resume();
    await once(client, "close");
    assert.equal(log, ["connect", "ready", "end", "finish", "close(false)"]);
    await close(server);
  });

  test("ECONNREFUSED carries Node's code, errno, syscall, address, port and message", async () => {
    const server = net.createServer();
    const port = await listen(server);
    await close(server);
    const client = net.connect(port, "127.0.0.1");
    const log = trace(client, ["connect", "error", "close"]);
    const [err] = await once<[Error & Record<string, unknown>]>(client, "error").catch((e) => [e]);
    await once(client, "close");
    assert.is(err.code, "ECONNREFUSED");
    assert.is(err.errno, -111);
    assert.is(err.syscall, "connect");
    assert.is(err.address, "127.0.0.1");
    assert.is(err.port, port);
    assert.is(err.message, `connect ECONNREFUSED 127.0.0.1:${port}`);
    assert.equal(log, ["error(ECONNREFUSED)", "close(true)"]);
  });

  test("EADDRINUSE is emitted as 'error' on the second server with Node's fields", async () => {
    const first = net.createServer();
    const port = await listen(first);
    const second = net.createServer();
    second.listen(port, "127.0.0.1");
    const [err] = await once<[Error & Record<string, unknown>]>(second, "error").catch((e) => [e]);
    assert.is(err.code, "EADDRINUSE");
    assert.is(err.errno, -98);
    assert.is(err.syscall, "listen");
    assert.is(err.address, "127.0.0.1");
    assert.is(err.port, port);
    assert.is(err.message, `listen EADDRINUSE: address already in use 127.0.0.1:${port}`);
    assert.is(second.listening, false);
    await close(first);
  });

  test("writes issued before 'connect' are sent after it, in order", async () => {
    const got: Buffer[] = [];
    const server = net.createServer((s) => {
      s.on("data", (d: Buffer) => got.push(d));
      s.on("end", () => s.end());
    });
    const port = await listen(server);
    const client = net.connect(port, "127.0.0.1");
    const order: string[] = [];
    client.on("connect", () => order.push("connect"));
    assert.is(client.connecting, true);
    client.write("one,", () => order.push("cb1"));
    client.write("two,", () => order.push("cb2"));
    client.end("three", () => order.push("end-cb"));
    client.resume();
    await once(client, "close");
    assert.is(Buffer.concat(got).toString(), "one,two,three");
    assert.equal(order, ["connect", "cb1", "cb2", "end-cb"]);
    assert.is(client.bytesWritten, 13);
    await close(server);
  });

  test("server.close() waits for a live connection before 'close'", async () => {
    const server = net.createServer((s) => s.resume());
    const port = await listen(server);
    const client = net.connect(port, "127.0.0.1");
    await once(client, "connect");
    await delay(20);
    const order: string[] = [];
    server.on("close", () => order.push("server-close"));
    server.close(() => order.push("close-cb"));
    assert.is(server.listening, false);
    await delay(50);
    assert.equal(order, [], "no 'close' while a connection is open");
    client.end();
    await within(once(server, "close"), 5000, "server close");
    assert.equal(order, ["server-close", "close-cb"]);
  });

  test.run();
}
