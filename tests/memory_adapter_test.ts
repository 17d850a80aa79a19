// The memory adapter through the core's public API: the foundation suite
// (tests/_foundation.ts) on an in-process network, then what is the memory network's own:
// its buffer bound, addresses, Unix paths, RST and EPIPE as on Linux, isolation, lookup.
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { Buffer } from "node:buffer";
import { setImmediate } from "node:timers";
import type { AddressInfo, Socket } from "../mod.ts";
import { createNet } from "../mod.ts";
import { createMemoryAdapter, type MemoryFileSystem, TCP_KERNEL_BUFFER } from "../adapters/memory/mod.ts";
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
  // The kernel's buffers take just under 4 MiB of a TCP connection (63 whole 64 KiB writes),
  // the paused receiver's stream one more (its highWaterMark) before it stopped reading.
  assert.is(stalled[0], Math.floor(TCP_KERNEL_BUFFER / 65536) + 1, "the paused receiver held the sender back");
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
  const server = track(net.createServer({ pauseOnConnect: true }));
  const accepted = once<[Socket]>(server, "connection");
  const port = await listen(server);
  const client = track(net.connect(port, "127.0.0.1"));
  client.resume();
  // The write's callback: the bytes are in the server's (unread) buffer; then it closes.
  const written = once(client, "connect").then(() => new Promise((resolve) => client.write("never read", resolve)));
  Promise.all([accepted, written]).then(([[s]]) => s.destroy());
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
  // A write waiting for room in the peer's buffer is cancelled by the close: 5 MiB to a
  // paused peer, what the kernel's buffers hold of it (just under 4 MiB) delivered, then FIN.
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
  client.write(Buffer.alloc(5 * 1024 * 1024), (e) => results.push(e ? String((e as { code?: string }).code) : "ok"));
  client.destroy();
  peer.on("data", (d: Buffer) => got += d.length);
  const ended = once(peer, "end");
  peer.resume();
  await ended;
  assert.is(got, TCP_KERNEL_BUFFER);
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

test("lookup: the default hosts table is localhost → 127.0.0.1 only; literals resolve to themselves, others ENOTFOUND", async () => {
  const adapter = createMemoryAdapter();
  const none = { family: 0, hints: {} } as const;
  assert.equal(await adapter.lookup("localhost", none), [{ address: "127.0.0.1", family: 4 }]);
  assert.equal(await adapter.lookup("LocalHost", { family: 4, hints: {} }), [{ address: "127.0.0.1", family: 4 }]);
  assert.equal(await adapter.lookup("::1", none), [{ address: "::1", family: 6 }]);
  const notFound = (hostname: string) => ({
    name: "Error",
    message: `getaddrinfo ENOTFOUND ${hostname}`,
    code: "ENOTFOUND",
    errno: -3008,
    syscall: "getaddrinfo",
    hostname,
  });
  const failed = (host: string, family: 0 | 6, hints = {}) =>
    adapter.lookup(host, { family, hints }).then(() => undefined, (e) => errorFields(e));
  assert.equal(await failed("nosuch.test", 0), notFound("nosuch.test"));
  // As on a machine whose /etc/hosts has no `::1 localhost` (this one's).
  assert.equal(await failed("localhost", 6), notFound("localhost"));
  // getaddrinfo's AI_V4MAPPED: family 6 with no IPv6 address gives the mapped IPv4 one.
  assert.equal(await adapter.lookup("localhost", { family: 6, hints: { v4mapped: true } }), [
    { address: "::ffff:127.0.0.1", family: 6 },
  ]);
  const net = createNet(adapter);
  const server = track(net.createServer((s) => s.end()));
  server.listen(0, "localhost");
  await once(server, "listening");
  const client = track(net.connect((server.address() as AddressInfo).port, "localhost"));
  await once(client, "connect");
  assert.is(client.remoteAddress, "127.0.0.1");
  const lost = track(net.connect(80, "nosuch.test"));
  assert.equal(errorFields(await nextError(lost)), notFound("nosuch.test"));
  const six = track(net.connect({ port: 80, host: "localhost", family: 6 }));
  assert.equal(errorFields(await nextError(six)), notFound("localhost"));
  client.destroy();
  await close(server);
});

test("lookup: createMemoryAdapter({ hosts }) replaces the table; family 0 keeps its order; bad entries throw", async () => {
  const adapter = createMemoryAdapter({
    hosts: { localhost: ["::1", "127.0.0.1"], "db.test": ["127.0.0.5"], "v6.test": ["::1"] },
  });
  const look = (host: string, family: 0 | 4 | 6, hints = {}) => adapter.lookup(host, { family, hints });
  assert.equal(await look("localhost", 0), [{ address: "::1", family: 6 }, { address: "127.0.0.1", family: 4 }]);
  assert.equal(await look("localhost", 6), [{ address: "::1", family: 6 }]);
  assert.equal(await look("localhost", 4), [{ address: "127.0.0.1", family: 4 }]);
  assert.equal(await look("DB.test", 0), [{ address: "127.0.0.5", family: 4 }]);
  assert.equal(await look("localhost", 6, { v4mapped: true, all: true }), [
    { address: "::1", family: 6 },
    { address: "::ffff:127.0.0.1", family: 6 },
  ]);
  assert.is(await look("v6.test", 4).then(() => "", (e) => e.code), "ENOTFOUND");
  const empty = createMemoryAdapter({ hosts: {} });
  assert.is(await empty.lookup("localhost", { family: 0, hints: {} }).then(() => "", (e) => e.code), "ENOTFOUND");
  assert.throws(
    () => createMemoryAdapter({ hosts: { db: ["db.internal"] } }),
    (e: Error) => e instanceof TypeError && e.message === 'hosts: "db.internal" (for db) is not an IP address',
  );
  const net = createNet(adapter);
  const server = track(net.createServer((s) => s.end()));
  server.listen(0, "127.0.0.5");
  await once(server, "listening");
  const client = track(net.connect((server.address() as AddressInfo).port, "db.test"));
  await once(client, "connect");
  assert.equal([client.remoteAddress, client.remoteFamily], ["127.0.0.5", "IPv4"]);
  client.destroy();
  await close(server);
});

test("the machine is loopback: listen or a local bind elsewhere is EADDRNOTAVAIL; 127/8, ::1, wildcards, mapped ok", async () => {
  const net = createNet(createMemoryAdapter());
  for (const [host, port] of [["192.0.2.1", 0], ["10.0.0.1", 8080], ["::2", 0], ["::ffff:192.0.2.1", 0]] as const) {
    const server = net.createServer();
    server.listen(port, host);
    const err = await nextError(server);
    const where = port > 0 ? `${host}:${port}` : host;
    assert.equal(errorFields(err), {
      name: "Error",
      message: `listen EADDRNOTAVAIL: address not available ${where}`,
      code: "EADDRNOTAVAIL",
      errno: -99,
      syscall: "listen",
      address: host,
      ...(port > 0 ? { port } : {}),
    }, host);
    assert.is(server.listening, false);
  }
  for (const host of ["127.0.0.1", "127.255.0.9", "0.0.0.0", "::1", "::", "::ffff:127.0.0.1"]) {
    const server = track(net.createServer());
    server.listen(0, host);
    await once(server, "listening");
    await close(server);
  }
  const server = track(net.createServer((s) => s.end()));
  const port = await listen(server);
  const bad = track(net.connect({ port, host: "127.0.0.1", localAddress: "192.0.2.1" }));
  const err = await nextError(bad);
  assert.equal([err.code, err.errno, err.syscall, err.address, err.message], [
    "EADDRNOTAVAIL",
    -99,
    "bind",
    "192.0.2.1",
    "bind EADDRNOTAVAIL 192.0.2.1",
  ]);
  await close(server);
});

/** A file system of fixed entries (every other path: nothing), for `createMemoryAdapter({ fs })`. */
function fixedFs(entries: Record<string, "file" | "directory" | "socket">): MemoryFileSystem {
  return {
    typeOf(path) {
      // As stat: a path through a non-directory is unreachable.
      for (let at = path.indexOf("/", 1); at > 0; at = path.indexOf("/", at + 1)) {
        if (entries[path.slice(0, at)] !== "directory") return undefined;
      }
      return entries[path];
    },
  };
}

test("Unix paths with createMemoryAdapter({ fs }): Linux's listen and connect errors for what the file system holds", async () => {
  const fs = fixedFs({
    "/": "directory",
    "/d": "directory",
    "/d/file": "file",
    "/d/sub": "directory",
    "/d/old.sock": "socket",
  });
  const net = createNet(createMemoryAdapter({ fs }));
  const listenFails: [string, string, number, string][] = [
    ["/d/file", "EADDRINUSE", -98, "address already in use"],
    ["/d/sub", "EADDRINUSE", -98, "address already in use"],
    ["/d/old.sock", "EADDRINUSE", -98, "address already in use"],
    ["/d/missing/s.sock", "EACCES", -13, "permission denied"], // ENOENT, reported as libuv does
    ["/d/file/s.sock", "ENOTDIR", -20, "not a directory"],
  ];
  for (const [path, code, errno, text] of listenFails) {
    const server = net.createServer();
    server.listen(path);
    assert.equal(errorFields(await nextError(server)), {
      name: "Error",
      message: `listen ${code}: ${text} ${path}`,
      code,
      errno,
      syscall: "listen",
      address: path,
      port: -1,
    }, path);
  }
  const connectFails: [string, string, number][] = [
    ["/d/file", "ECONNREFUSED", -111],
    ["/d/sub", "ECONNREFUSED", -111],
    ["/d/old.sock", "ECONNREFUSED", -111], // a socket file no listener is behind
    ["/d/none.sock", "ENOENT", -2],
    ["/d/missing/s.sock", "ENOENT", -2],
    ["/d/file/s.sock", "ENOTDIR", -20],
  ];
  for (const [path, code, errno] of connectFails) {
    const client = track(net.connect(path));
    assert.equal(errorFields(await nextError(client)), {
      name: "Error",
      message: `connect ${code} ${path}`,
      code,
      errno,
      syscall: "connect",
      address: path,
    }, path);
  }
  // A path in an existing directory listens (in the network; nothing is written to `fs`),
  // and so does an abstract name, which never touches the file system.
  for (const path of ["/d/app.sock", "\0abstract"]) {
    const server = track(net.createServer((s) => s.end("hi")));
    server.listen(path);
    await once(server, "listening");
    const client = track(net.connect(path));
    client.resume();
    await once(client, "end");
    await close(server);
  }
});

test("Unix paths without fs: every directory exists, no file does (only the network's own listeners conflict)", async () => {
  const net = createNet(createMemoryAdapter());
  const server = track(net.createServer());
  server.listen("/no/such/dir/app.sock");
  await once(server, "listening");
  const client = track(net.connect("/etc/passwd"));
  assert.is((await nextError(client)).code, "ENOENT");
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
