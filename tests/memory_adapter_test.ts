// The memory adapter through the core's public API: the foundation suite
// (tests/_foundation.ts) on an in-process network, then what is the memory network's own:
// its buffer bound, addresses, Unix paths, RST and EPIPE as on Linux, isolation, lookup.
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { Buffer } from "node:buffer";
import { setImmediate } from "node:timers";
import type { AddressInfo, Socket } from "../mod.ts";
import { createNet } from "../mod.ts";
import { createMemoryAdapter } from "../adapters/memory/mod.ts";
import { foundationSuite } from "./_foundation.ts";
import { close, delay, errorFields, listen, once, pattern, sweep, trace, track, within } from "./_util.ts";

foundationSuite("foundation on the memory adapter", createNet(createMemoryAdapter()));

const test = suite("memory adapter");
test.after.each(sweep);

const EVENTS = ["connect", "ready", "data", "end", "finish", "close", "error"];

/** A fresh network, a server on it (tracked) and its port. */
async function serve(handler: (s: Socket) => void, host = "127.0.0.1") {
  const net = createNet(createMemoryAdapter());
  const server = track(net.createServer(handler));
  const port = await listen(server, host);
  return { net, server, port };
}

/**
 * The memory network moves bytes only on event-loop turns, so once `read()` has held still
 * for 50 turns nothing is moving: a count of turns, not a time, so a slow machine agrees.
 */
async function settled(read: () => number): Promise<number> {
  let last = read();
  let still = 0;
  for (let turn = 0; turn < 100_000 && still < 50; turn++) {
    await new Promise((resolve) => setImmediate(resolve));
    const now = read();
    still = now === last ? still + 1 : 0;
    last = now;
  }
  return last;
}

/** The error a socket or server emits next (bounded). */
async function nextError(emitter: Parameters<typeof once>[0]): Promise<Error & Record<string, unknown>> {
  const [err] = await once<[Error & Record<string, unknown>]>(emitter, "error").catch((e) => [e]);
  return err;
}

test("8 MiB to a paused receiver: write() returns false, writes stall, 'drain' follows, bytes arrive exactly", async () => {
  const size = 8 * 1024 * 1024;
  const data = pattern(size);
  const received: Buffer[] = [];
  let acked = 0;
  const stalled: number[] = [];
  let receiver!: Socket;
  const { net, server, port } = await serve((s) => {
    receiver = s;
    s.pause();
  });
  const ended = new Promise<void>((resolve) => server.once("connection", (s: Socket) => s.once("end", resolve)));
  const client = track(net.connect(port, "127.0.0.1"));
  await once(client, "connect");
  let falses = 0;
  let drains = 0;
  client.on("drain", () => drains++);
  let offset = 0;
  const pump = () => {
    while (offset < size) {
      const chunk = data.subarray(offset, offset + 65536);
      offset += chunk.length;
      if (!client.write(chunk, () => acked++)) {
        falses++;
        client.once("drain", pump);
        return;
      }
    }
    client.end();
  };
  pump();
  stalled.push(await settled(() => acked));
  await delay(100);
  stalled.push(acked);
  receiver.on("data", (d: Buffer) => received.push(d));
  receiver.resume();
  await within(ended, 30000, "8 MiB transfer");
  assert.is(stalled[0], stalled[1], "no write completes while the receiver is paused");
  assert.ok(stalled[0] * 65536 < size / 2, "the paused receiver held the sender back");
  assert.ok(falses > 0 && drains > 0, "write() returned false and 'drain' came");
  const all = Buffer.concat(received);
  assert.is(all.length, size);
  assert.ok(all.equals(Buffer.from(data.buffer, data.byteOffset, data.byteLength)), "bytes equal");
  await close(server);
});

test("half-open: with allowHalfOpen the server keeps writing after the client's FIN", async () => {
  const net = createNet(createMemoryAdapter());
  let serverLog: string[] = [];
  const server = track(net.createServer({ allowHalfOpen: true }, (s) => {
    serverLog = trace(s, ["end", "finish", "close"]);
    s.resume();
    s.on("end", () => setTimeout(() => s.end("late reply"), 20));
  }));
  const port = await listen(server);
  const client = track(net.connect(port, "127.0.0.1"));
  const clientLog = trace(client, ["connect", "data", "end", "finish", "close"]);
  const got: Buffer[] = [];
  client.on("data", (d: Buffer) => got.push(d));
  await once(client, "connect");
  client.end();
  await once(client, "close");
  await delay(20);
  assert.is(Buffer.concat(got).toString(), "late reply");
  assert.equal(clientLog, ["connect", "finish", "data", "end", "close(false)"]);
  assert.equal(serverLog, ["end", "finish", "close(false)"]);
  await close(server);
});

test("listen: port 0 picks an ephemeral port; a taken one (or a wildcard over it) is EADDRINUSE", async () => {
  const { net, server, port } = await serve(() => {});
  assert.ok(port >= 32768 && port <= 60999, `ephemeral port ${port}`);
  for (const host of ["127.0.0.1", "0.0.0.0", "::"]) {
    const second = net.createServer();
    second.listen(port, host);
    const err = await nextError(second);
    assert.equal(errorFields(err), {
      name: "Error",
      message: `listen EADDRINUSE: address already in use ${host}:${port}`,
      code: "EADDRINUSE",
      errno: -98,
      syscall: "listen",
      address: host,
      port,
    });
    assert.is(second.listening, false);
  }
  const other = track(net.createServer());
  other.listen(port, "127.0.0.2");
  await once(other, "listening");
  assert.equal(other.address(), { address: "127.0.0.2", family: "IPv4", port });
  await close(other);
  await close(server);
});

test("dual stack: a server on '::' sees IPv4 clients as ::ffff:127.0.0.1; addresses mirror", async () => {
  let peer!: Socket;
  const { net, server, port } = await serve((s) => peer = s, "::");
  assert.equal(server.address(), { address: "::", family: "IPv6", port });
  const client = track(net.connect(port, "127.0.0.1"));
  await once(client, "connect");
  assert.equal(client.address(), { address: "127.0.0.1", family: "IPv4", port: client.localPort! });
  assert.equal([client.remoteAddress, client.remoteFamily, client.remotePort], ["127.0.0.1", "IPv4", port]);
  assert.equal([peer.remoteAddress, peer.remoteFamily, peer.remotePort], [
    "::ffff:127.0.0.1",
    "IPv6",
    client.localPort,
  ]);
  assert.equal(peer.address(), { address: "::ffff:127.0.0.1", family: "IPv6", port });
  client.destroy();
  await close(server);
});

test("Unix socket paths: listen, connect, EADDRINUSE, ENOENT, path released on close", async () => {
  const net = createNet(createMemoryAdapter());
  const path = "/virtual/app.sock";
  const server = track(net.createServer((s) => s.end("over unix")));
  server.listen(path);
  await once(server, "listening");
  assert.is(server.address(), path);
  const taken = net.createServer().listen(path);
  const inUse = await nextError(taken);
  assert.is(inUse.message, `listen EADDRINUSE: address already in use ${path}`);
  assert.equal([inUse.code, inUse.syscall, inUse.address, inUse.port], ["EADDRINUSE", "listen", path, -1]);
  const client = track(net.connect(path));
  const got: Buffer[] = [];
  client.on("data", (d: Buffer) => got.push(d));
  await once(client, "close");
  assert.is(Buffer.concat(got).toString(), "over unix");
  await close(server);
  const missing = track(net.connect(path));
  const err = await nextError(missing);
  assert.equal(errorFields(err), {
    name: "Error",
    message: `connect ENOENT ${path}`,
    code: "ENOENT",
    errno: -2,
    syscall: "connect",
    address: path,
  });
  const again = track(net.createServer());
  again.listen(path);
  await once(again, "listening");
  await close(again);
});

test("resetAndDestroy(): the peer gets 'error' ECONNRESET (read), then close(true)", async () => {
  let peer!: Socket;
  const { net, server, port } = await serve((s) => peer = s);
  const client = track(net.connect(port, "127.0.0.1"));
  const log = trace(client, EVENTS);
  client.resume();
  await once(client, "connect");
  await delay(10);
  peer.resetAndDestroy();
  const err = await nextError(client);
  await once(client, "close");
  assert.equal(errorFields(err), {
    name: "Error",
    message: "read ECONNRESET",
    code: "ECONNRESET",
    errno: -104,
    syscall: "read",
  });
  assert.equal(log, ["connect", "ready", "error(ECONNRESET)", "close(true)"]);
  await close(server);
});

test("as on Linux: destroying with unread bytes (pauseOnConnect) resets; after a FIN the 2nd write fails with EPIPE", async () => {
  const net = createNet(createMemoryAdapter());
  const server = track(net.createServer({ pauseOnConnect: true }, (s) => setTimeout(() => s.destroy(), 30)));
  const port = await listen(server);
  const client = track(net.connect(port, "127.0.0.1"));
  client.resume();
  client.on("connect", () => client.write("never read"));
  assert.is((await nextError(client)).message, "read ECONNRESET");
  const { net: net2, server: server2, port: port2 } = await serve((s) => s.destroy());
  const half = track(net2.connect({ port: port2, host: "127.0.0.1", allowHalfOpen: true }));
  const log = trace(half, ["end", "error", "close"]);
  half.resume();
  await once(half, "end");
  const results: string[] = [];
  half.write("a", (e) => results.push(`cb1 ${e ? (e as { code?: string }).code : "ok"}`));
  await settled(() => results.length); // the peer's RST answers the first write
  half.write("b", (e) => results.push(`cb2 ${e ? (e as { code?: string }).code : "ok"}`));
  await within(new Promise((resolve) => half.once("close", resolve)), 5000, "'close'");
  assert.equal(results, ["cb1 ok", "cb2 EPIPE"]);
  assert.equal(log, ["end", "error(EPIPE)", "close(true)"]);
  await close(server);
  await close(server2);
});

test("bytes written before destroy()/resetAndDestroy() reach the peer before its FIN/RST; queued ones are cancelled", async () => {
  const cases: [string, (s: Socket) => void, string[]][] = [
    ["write, destroy", (s) => {
      s.write("last");
      s.destroy();
    }, ["data(last)", "end", "finish", "close(false)"]],
    ["end, end again", (s) => {
      s.on("error", () => {});
      s.end("a");
      s.end("b");
    }, ["data(a)", "end", "finish", "close(false)"]],
    ["write, resetAndDestroy", (s) => {
      s.write("last");
      s.resetAndDestroy();
    }, ["data(last)", "error(ECONNRESET)", "close(true)"]],
  ];
  for (const [what, act, want] of cases) {
    const log: string[] = [];
    let accepted = false;
    const { net, server, port } = await serve((p) => {
      accepted = true;
      p.on("data", (d: Buffer) => log.push(`data(${d})`));
      for (const e of ["end", "finish", "error", "close"]) {
        p.on(
          e,
          (a?: unknown) =>
            log.push(a === undefined ? e : `${e}(${a instanceof Error ? (a as { code?: string }).code : a})`),
        );
      }
    });
    const client = track(net.connect(port, "127.0.0.1"));
    await once(client, "connect");
    await settled(() => Number(accepted));
    act(client);
    await settled(() => log.length);
    assert.equal(log, want, what);
    await close(server);
  }
  // A write waiting for room in the peer's buffer is cancelled by the close: 300 KiB to a
  // paused peer, 256 KiB of it delivered, then FIN.
  let got = 0;
  let peer!: Socket;
  const { net, server, port } = await serve((p) => {
    peer = p;
    p.pause();
  });
  const client = track(net.connect(port, "127.0.0.1"));
  await once(client, "connect");
  await settled(() => Number(peer !== undefined));
  const results: string[] = [];
  client.write(Buffer.alloc(300 * 1024), (e) => results.push(e ? String((e as { code?: string }).code) : "ok"));
  client.destroy();
  peer.on("data", (d: Buffer) => got += d.length);
  const ended = once(peer, "end");
  peer.resume();
  await ended;
  assert.is(got, 256 * 1024);
  await close(server);
});

test("localPort: the server sees the bound port; a port a listener holds is bind EADDRINUSE", async () => {
  const { net, server, port } = await serve((s) => s.end());
  const client = track(net.connect({ port, host: "127.0.0.1", localAddress: "127.0.0.1", localPort: 40000 }));
  const connected = once(client, "connect");
  const [accepted] = await once<[Socket]>(server, "connection");
  await connected;
  assert.is(accepted.remotePort, 40000);
  assert.is(client.localPort, 40000);
  const bad = track(net.connect({ port, host: "127.0.0.1", localAddress: "127.0.0.1", localPort: port }));
  const err = await nextError(bad);
  assert.equal([err.code, err.syscall, err.message], ["EADDRINUSE", "bind", `bind EADDRINUSE 127.0.0.1:${port}`]);
  await once(client, "close");
  await close(server);
});

test("two networks are isolated: a port bound in one is refused in the other", async () => {
  const { port, server } = await serve(() => {});
  const other = createNet(createMemoryAdapter());
  const client = track(other.connect(port, "127.0.0.1"));
  assert.is((await nextError(client)).code, "ECONNREFUSED");
  const same = track(other.createServer());
  same.listen(port, "127.0.0.1");
  await once(same, "listening");
  assert.is((same.address() as AddressInfo).port, port);
  await close(same);
  await close(server);
});

test("lookup: localhost is 127.0.0.1 (::1 for family 6), literals resolve to themselves, others ENOTFOUND", async () => {
  const adapter = createMemoryAdapter();
  assert.equal(await adapter.lookup("localhost", { family: 0, hints: {} }), [{ address: "127.0.0.1", family: 4 }]);
  assert.equal(await adapter.lookup("localhost", { family: 6, hints: {} }), [{ address: "::1", family: 6 }]);
  assert.equal(await adapter.lookup("::1", { family: 0, hints: {} }), [{ address: "::1", family: 6 }]);
  const err = await adapter.lookup("nosuch.test", { family: 0, hints: {} }).then(() => undefined, (e) => e);
  const fields = { name: "Error", message: "getaddrinfo ENOTFOUND nosuch.test", code: "ENOTFOUND", errno: -3008 };
  assert.equal(errorFields(err), { ...fields, syscall: "getaddrinfo", hostname: "nosuch.test" });
  const net = createNet(adapter);
  const server = track(net.createServer((s) => s.end()));
  server.listen(0, "localhost");
  await once(server, "listening");
  const client = track(net.connect((server.address() as AddressInfo).port, "localhost"));
  await once(client, "connect");
  assert.is(client.remoteAddress, "127.0.0.1");
  const lost = track(net.connect(80, "nosuch.test"));
  assert.equal(errorFields(await nextError(lost)), { ...fields, syscall: "getaddrinfo", hostname: "nosuch.test" });
  client.destroy();
  await close(server);
});

test("the core warns through the adapter: setTimeout(2 ** 31) gives emitWarning a TimeoutOverflowWarning", () => {
  const warnings: [string, string][] = [];
  const net = createNet(createMemoryAdapter({ emitWarning: (message, { type }) => warnings.push([type, message]) }));
  const socket = new net.Socket();
  socket.setTimeout(2 ** 31);
  socket.destroy();
  const message = "2147483648 does not fit into a 32-bit signed integer.\nTimer duration was truncated to 2147483647.";
  assert.equal(warnings, [["TimeoutOverflowWarning", message]]);
});

test("a user's numeric hints are read with the adapter's lookupFlags: unknown bits throw ERR_INVALID_ARG_VALUE", () => {
  const net = createNet(createMemoryAdapter({ lookupFlags: { addrconfig: 64, v4mapped: 16, all: 32 } }));
  // Deno's numbering: 64 | 16 is ADDRCONFIG | V4MAPPED there, and accepted.
  const ok = track(net.connect({ port: 9, host: "localhost", hints: 64 | 16 }));
  ok.destroy();
  assert.throws(
    () => net.connect({ port: 9, host: "localhost", hints: 8 }),
    (e: Error & { code?: string }) =>
      e.code === "ERR_INVALID_ARG_VALUE" && e.message === "The argument 'hints' is invalid. Received 8",
  );
});

test.run();
