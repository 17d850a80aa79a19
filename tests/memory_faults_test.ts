// Faults on demand in the memory adapter (`memory.faults`): each fault through the public
// API with its exact errors, event order and byte counts, then a reconnecting client (the
// README's example) driven through refuse → connect → reset mid-stream → reconnect.
import { suite } from "uvu";
import * as assert from "uvu/assert";
import type { Buffer } from "node:buffer";
import { setImmediate } from "node:timers";
import type { Net, Socket } from "../mod.ts";
import { createNet } from "../mod.ts";
import { createMemoryAdapter, type MemoryAdapter } from "../adapters/memory/mod.ts";
import { errorFields, listen, once, pattern, sweep, trace, track, tracking, within } from "./_util.ts";

const test = suite("memory faults");
test.after.each(sweep);

const EVENTS = ["connect", "data", "end", "finish", "timeout", "close", "error"];

/** A fresh network with a server on 127.0.0.1 (tracked), its port and `net`. */
async function serve(handler: (s: Socket) => void = () => {}) {
  const memory = createMemoryAdapter();
  const net = createNet(memory);
  const server = track(net.createServer(handler));
  const port = await listen(server);
  return { memory, net, connect: tracking(net).connect, server, port };
}

/** Resolve once `socket` closes (bounded). */
function closed(socket: Socket, ms = 5000): Promise<void> {
  return within(new Promise((resolve) => socket.once("close", () => resolve())), ms, "'close'");
}

/** Every `'data'` chunk of a socket, as strings. */
function chunks(socket: Socket): string[] {
  const out: string[] = [];
  socket.on("data", (d: Buffer) => out.push(String(d)));
  return out;
}

test("refuse({ port, count: 2 }): two connects fail with Node's ECONNREFUSED, the third reaches the listener", async () => {
  const { memory, connect, port } = await serve((s) => s.end("hi"));
  const fault = memory.faults.refuse({ port, count: 2 });
  for (let i = 0; i < 2; i++) {
    const socket = connect(port, "127.0.0.1");
    const log = trace(socket, EVENTS);
    const [err] = await once<[Error]>(socket, "error").catch((e) => [e]);
    assert.equal(errorFields(err), {
      name: "Error",
      message: `connect ECONNREFUSED 127.0.0.1:${port}`,
      code: "ECONNREFUSED",
      errno: -111,
      syscall: "connect",
      address: "127.0.0.1",
      port,
    });
    await closed(socket);
    assert.equal(log, ["error(ECONNREFUSED)", "close(true)"]);
  }
  assert.is(fault.hits, 2);
  const socket = connect(port, "127.0.0.1");
  const data = chunks(socket);
  await closed(socket);
  assert.equal(data, ["hi"]);
  assert.is(fault.hits, 2);
});

test("refuse(): scoped to a port or a socket path, and gone once removed", async () => {
  const { memory, net, connect, port } = await serve((s) => s.end());
  const other = await listen(track(net.createServer((s) => s.end())));
  const fault = memory.faults.refuse({ port });
  const ok = connect(other, "127.0.0.1");
  await once(ok, "connect");
  const refused = connect(port, "127.0.0.1");
  const [err] = await once<[Error]>(refused, "error").catch((e) => [e]);
  assert.is((err as Error & { code: string }).code, "ECONNREFUSED");
  fault.remove();
  assert.is(fault.active, false);
  await once(connect(port, "127.0.0.1"), "connect");

  const path = "/virtual/app.sock";
  track(net.createServer((s) => s.end()).listen(path));
  memory.faults.refuse({ path, count: 1 });
  const [unix] = await once<[Error]>(connect(path), "error").catch((e) => [e]);
  assert.equal(errorFields(unix), {
    name: "Error",
    message: `connect ECONNREFUSED ${path}`,
    code: "ECONNREFUSED",
    errno: -111,
    syscall: "connect",
    address: path,
  });
  await once(connect(path), "connect");
});

test("resetAfter(3): the client reads exactly 3 bytes then 'read ECONNRESET'; the server's write fails with ECONNRESET", async () => {
  let serverError: Error | undefined;
  const { memory, connect, port } = await serve((s) => {
    s.on("error", (err) => serverError = err);
    // Once the client reads: a write in 'connection' itself goes out before the client's
    // connect completes, and a RST that finds the client not reading yet, bytes unread,
    // gives those bytes and then 'end' (libuv's short read with the hang-up in one poll).
    setImmediate(() => s.write("hello\n"));
  });
  memory.faults.resetAfter(3, { port });
  const client = connect(port, "127.0.0.1");
  const log = trace(client, EVENTS);
  const data = chunks(client);
  let clientError: Error | undefined;
  client.on("error", (err) => clientError = err);
  await closed(client);
  assert.equal(data, ["hel"]);
  assert.equal(log, ["connect", "data", "error(ECONNRESET)", "close(true)"]);
  assert.equal(errorFields(clientError), {
    name: "Error",
    message: "read ECONNRESET",
    code: "ECONNRESET",
    errno: -104,
    syscall: "read",
  });
  await within(new Promise((r) => setTimeout(r, 20)), 1000, "a moment");
  assert.is((serverError as Error & { code: string })?.code, "ECONNRESET");
  assert.is(serverError?.message, "write ECONNRESET");
});

test("resetAfter(0, { localPort, from: 'client' }) resets one live connection at its next write, not its neighbour", async () => {
  const received: string[] = [];
  const { memory, connect, port } = await serve((s) => {
    s.on("error", () => {});
    s.on("data", (d: Buffer) => received.push(String(d)));
  });
  const a = connect(port, "127.0.0.1");
  const b = connect(port, "127.0.0.1");
  await Promise.all([once(a, "connect"), once(b, "connect")]);
  const fault = memory.faults.resetAfter(0, { localPort: a.localPort, from: "client" });
  const aErr = once<[Error]>(a, "error").catch((e) => [e]);
  a.write("lost");
  b.write("kept");
  const [err] = await aErr;
  assert.is(err.message, "write ECONNRESET");
  await closed(a);
  await within(new Promise((r) => setTimeout(r, 20)), 1000, "a moment");
  assert.equal(received, ["kept"]);
  assert.is(fault.hits, 1);
  assert.is(b.destroyed, false);
});

test("endAfter(4): the client reads 4 bytes then 'end' (FIN mid-stream); the rest is lost; the server sees the client's FIN", async () => {
  const serverLog: string[] = [];
  const { memory, connect, port } = await serve((s) => {
    s.on("end", () => serverLog.push("end"));
    s.write("abcdefgh", () => serverLog.push("written"));
  });
  memory.faults.endAfter(4, { port });
  const client = connect(port, "127.0.0.1");
  const log = trace(client, EVENTS);
  const data = chunks(client);
  await closed(client);
  assert.equal(data, ["abcd"]);
  assert.equal(log, ["connect", "data", "end", "finish", "close(false)"]);
  await within(new Promise((r) => setTimeout(r, 20)), 1000, "a moment");
  assert.equal(serverLog, ["written", "end"]);
});

test("endAfter(2) with allowHalfOpen: the client reads 'end' after 2 bytes and still writes to the server", async () => {
  const got: string[] = [];
  const { memory, net, port } = await serve((s) => {
    s.on("data", (d: Buffer) => got.push(String(d)));
    s.write("xyz");
  });
  memory.faults.endAfter(2, { port });
  const client = track(net.connect({ port, host: "127.0.0.1", allowHalfOpen: true }));
  const data = chunks(client);
  await once(client, "end");
  assert.equal(data, ["xy"]);
  client.end("after end");
  await closed(client);
  assert.equal(got, ["after end"]);
});

test("latency removed mid-flight: bytes sent later wait behind those on the way, in order", async () => {
  const got: string[] = [];
  const { memory, connect, port } = await serve((s) => s.on("data", (d: Buffer) => got.push(String(d))));
  const client = connect(port, "127.0.0.1");
  await once(client, "connect");
  const fault = memory.faults.latency(50, { from: "client" });
  client.write("a");
  await new Promise((r) => setTimeout(r, 5));
  fault.remove();
  client.write("b");
  await new Promise((r) => setTimeout(r, 20));
  assert.equal(got, []);
  await within(
    (async () => {
      while (got.join("").length < 2) await new Promise((r) => setTimeout(r, 5));
    })(),
    2000,
    "both bytes",
  );
  assert.equal(got.join(""), "ab");
  assert.is(got[0][0], "a");
});

test("hang(): the connect never completes, the 'timeout' option fires; remove() lets a waiting connect through", async () => {
  const { memory, net, server, port } = await serve();
  const fault = memory.faults.hang({ port });
  let accepted = 0;
  server.on("connection", () => accepted++);
  const socket = track(net.connect({ port, host: "127.0.0.1", timeout: 50 }));
  const log = trace(socket, EVENTS);
  socket.on("timeout", () => socket.destroy());
  await closed(socket);
  assert.equal(log, ["timeout", "close(false)"]);
  assert.is(socket.connecting, false);
  assert.is(accepted, 0);

  const waiting = track(net.connect(port, "127.0.0.1"));
  const waitLog = trace(waiting, EVENTS);
  await new Promise((r) => setTimeout(r, 30));
  assert.equal(waitLog, []);
  assert.is(waiting.connecting, true);
  fault.remove();
  await once(waiting, "connect");
  assert.is(accepted, 1);
  assert.is(fault.hits, 2);
});

test("fullBacklog(): connects to the listener wait (SYNs dropped, as Linux), a closed port still refuses; removed, they complete in order", async () => {
  const order: number[] = [];
  const { memory, net, port } = await serve((s) => s.once("data", (d: Buffer) => order.push(Number(String(d)))));
  const fault = memory.faults.fullBacklog();
  const waiting = [1, 2, 3].map((n) => {
    const s = track(net.connect(port, "127.0.0.1"));
    s.write(String(n));
    return s;
  });
  const refused = track(net.connect(port + 1, "127.0.0.1"));
  const [err] = await once<[Error]>(refused, "error").catch((e) => [e]);
  assert.is((err as Error & { code: string }).code, "ECONNREFUSED");
  await new Promise((r) => setTimeout(r, 30));
  assert.equal(waiting.map((s) => s.connecting), [true, true, true]);
  assert.is(fault.hits, 3);
  fault.remove();
  await Promise.all(waiting.map((s) => once(s, "connect")));
  await within(
    (async () => {
      while (order.length < 3) await new Promise((r) => setTimeout(r, 5));
    })(),
    2000,
    "three requests",
  );
  assert.equal(order, [1, 2, 3]);
});

test("slowReader(1024, { buffer: 16 KiB }): write() returns false, 'drain' follows, the reader gets ≤ 1024 bytes a tick, all 64 KiB", async () => {
  const size = 64 * 1024;
  const sizes: number[] = [];
  let ended!: () => void;
  const done = new Promise<void>((r) => ended = r);
  const { memory, connect, port } = await serve((s) => {
    s.on("data", (d: Buffer) => sizes.push(d.length));
    s.on("end", () => {
      ended();
      s.end();
    });
  });
  memory.faults.slowReader(1024, { reader: "server", buffer: 16 * 1024 });
  const client = connect(port, "127.0.0.1");
  await once(client, "connect");
  const log: string[] = [];
  client.on("finish", () => log.push("finish"));
  log.push(`write ${client.write(pattern(size))}`);
  await once(client, "drain");
  log.push(`drain at ${sizes.reduce((a, b) => a + b, 0) >= size - 16 * 1024}`);
  client.end();
  await within(done, 10_000, "the server's 'end'");
  assert.equal(log, ["write false", "drain at true", "finish"]);
  assert.is(sizes.reduce((a, b) => a + b, 0), size);
  assert.ok(Math.max(...sizes) <= 1024, `largest read ${Math.max(...sizes)}`);
  assert.ok(sizes.length >= 64);
});

test("slowReader(1000, { intervalMs: 20 }): 3000 bytes take at least two intervals", async () => {
  let received = 0;
  let last = 0;
  const { memory, connect, port } = await serve((s) =>
    s.on("data", (d: Buffer) => {
      received += d.length;
      last = Date.now();
    })
  );
  memory.faults.slowReader(1000, { intervalMs: 20 });
  const client = connect(port, "127.0.0.1");
  await once(client, "connect");
  const start = Date.now();
  client.write(pattern(3000));
  await within(
    (async () => {
      while (received < 3000) await new Promise((r) => setTimeout(r, 5));
    })(),
    2000,
    "3000 bytes",
  );
  assert.ok(last - start >= 35, `took ${last - start} ms`);
});

test("fragment({ seed }): every chunk arrives cut at the same pseudo-random points for the same seed, bytes intact", async () => {
  const message = "0123456789abcdefghijklmnopqrstuvwxyz";
  const run = async (seed: number, maxPiece?: number) => {
    const got: string[] = [];
    const { memory, connect, port } = await serve((s) => s.on("data", (d: Buffer) => got.push(String(d))));
    memory.faults.fragment({ seed, from: "client", maxPiece });
    const client = connect(port, "127.0.0.1");
    await once(client, "connect");
    client.write(message);
    await within(
      (async () => {
        while (got.join("").length < message.length) await new Promise((r) => setTimeout(r, 5));
      })(),
      2000,
      "the message",
    );
    return got;
  };
  const a = await run(42);
  const b = await run(42);
  const c = await run(7, 4);
  assert.equal(a, b);
  assert.is(a.join(""), message);
  assert.ok(a.length > 1, `pieces ${JSON.stringify(a)}`);
  assert.is(c.join(""), message);
  assert.ok(c.every((p) => p.length <= 4) && c.length >= 9, `pieces ${JSON.stringify(c)}`);
});

test("latency(100, { from: 'server' }): the connect takes a round trip, the echo 100 ms, the client's bytes none", async () => {
  let arrivedAt = 0;
  const { memory, connect, port } = await serve((s) => {
    s.on("data", (d: Buffer) => {
      arrivedAt = Date.now();
      s.write(d);
    });
  });
  memory.faults.latency(100, { from: "server" });
  const start = Date.now();
  const client = connect(port, "127.0.0.1");
  await once(client, "connect");
  const connected = Date.now();
  client.write("ping");
  const [echo] = await once<[Buffer]>(client, "data");
  const back = Date.now();
  assert.is(String(echo), "ping");
  assert.ok(connected - start >= 95, `connect took ${connected - start} ms`);
  assert.ok(arrivedAt - connected < 60, `to the server: ${arrivedAt - connected} ms`);
  assert.ok(back - arrivedAt >= 95 && back - arrivedAt < 2000, `back: ${back - arrivedAt} ms`);
});

test("latency: FIN arrives after the bytes before it; clear() removes every fault", async () => {
  const { memory, connect, port } = await serve((s) => s.end("bye"));
  memory.faults.latency(20);
  memory.faults.refuse({ port: 1 });
  const client = connect(port, "127.0.0.1");
  const log = trace(client, EVENTS);
  await closed(client);
  assert.equal(log, ["connect", "data", "end", "finish", "close(false)"]);
  memory.faults.clear();
  const start = Date.now();
  const again = connect(port, "127.0.0.1");
  await once(again, "connect");
  assert.ok(Date.now() - start < 20);
});

test("a fault scoped elsewhere changes nothing: the same trace and bytes as a network without faults", async () => {
  const run = async (fault: (memory: MemoryAdapter, port: number) => void) => {
    const { memory, connect, port } = await serve((s) => s.end("x".repeat(100_000)));
    fault(memory, port);
    const client = connect(port, "127.0.0.1");
    const log = trace(client, EVENTS);
    let bytes = 0;
    client.on("data", (d: Buffer) => bytes += d.length);
    await closed(client);
    return { log, bytes };
  };
  const plain = await run(() => {});
  const scoped = await run((memory, port) => {
    memory.faults.refuse({ port: port + 1 });
    memory.faults.resetAfter(0, { port: port + 1 });
    memory.faults.latency(50, { port: port + 1 });
  });
  assert.equal(scoped, plain);
  assert.is(plain.bytes, 100_000);
});

test("fault arguments are checked: a negative byte count or count throws a RangeError", () => {
  const memory = createMemoryAdapter();
  assert.throws(() => memory.faults.resetAfter(-1), (e: Error) => e instanceof RangeError && /bytes/.test(e.message));
  assert.throws(
    () => memory.faults.refuse({ count: -2 }),
    (e: Error) => e instanceof RangeError && /count/.test(e.message),
  );
  assert.throws(
    () => memory.faults.slowReader(0),
    (e: Error) => e instanceof RangeError && /bytesPerTick/.test(e.message),
  );
});

// --- The README's example: a reconnecting client, driven by faults. ---

/**
 * A tiny client that sends `request` and resolves with the first full line of reply,
 * reconnecting with exponential backoff (10 ms, 20 ms, …) after ECONNREFUSED or
 * ECONNRESET, at most `tries` times.
 */
function requestWithRetry(net: Net, port: number, request: string, log: string[], tries = 5): Promise<string> {
  return new Promise((resolve, reject) => {
    let attempt = 0;
    const once = () => {
      const socket = net.connect(port, "127.0.0.1");
      let reply = "";
      socket.setEncoding("utf8");
      socket.on("connect", () => {
        log.push("connect");
        socket.write(request);
      });
      socket.on("data", (data: string) => {
        log.push(`data ${JSON.stringify(data)}`);
        reply += data;
        if (reply.endsWith("\n")) {
          socket.end();
          resolve(reply);
        }
      });
      socket.on("error", (err: Error & { code?: string }) => {
        log.push(err.code ?? err.message);
        const retry = err.code === "ECONNREFUSED" || err.code === "ECONNRESET";
        if (!retry || ++attempt >= tries) return reject(err);
        setTimeout(once, 10 * 2 ** (attempt - 1));
      });
    };
    once();
  });
}

test("a reconnecting client: refused twice, reset mid-reply, then a full reply on the fourth connect", async () => {
  const memory: MemoryAdapter = createMemoryAdapter();
  const net = createNet(memory);
  const server = track(
    net.createServer((socket) => {
      socket.on("error", () => {}); // the reset reaches the server too
      socket.on("data", (data: Buffer) => socket.write(data)); // echo
    }),
  );
  const port = await listen(server);
  memory.faults.refuse({ port, count: 2 });
  memory.faults.resetAfter(3, { port, count: 1 });
  const log: string[] = [];
  const reply = await within(requestWithRetry(net, port, "hello\n", log), 5000, "the reply");
  assert.is(reply, "hello\n");
  assert.equal(log, [
    "ECONNREFUSED",
    "ECONNREFUSED",
    "connect",
    'data "hel"',
    "ECONNRESET",
    "connect",
    'data "hello\\n"',
  ]);
});

test.run();
