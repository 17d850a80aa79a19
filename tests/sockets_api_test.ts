// The Sockets API (`@omninet/net/sockets`): connect() with its streams and promises over
// real loopback TCP on every runtime, and over the memory adapter; TLS (secureTransport
// "on", "starttls" with startTls()) against node:tls servers with the certificate in
// tests/fixtures/tls (trusted through the `ca` option, an omninet extension).
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { Buffer } from "node:buffer";
import { readFileSync } from "node:fs";
import * as nodeNet from "node:net";
import * as tls from "node:tls";
import net, { createNet, type Socket as NetSocket } from "../mod.ts";
import { connect, createSockets, type Socket } from "../sockets.ts";
import { createMemoryAdapter } from "../adapters/memory/mod.ts";
import { delay, listen, pattern, sweep, thrown, trace, track, within } from "./_util.ts";

const test = suite("Sockets API");
test.after.each(sweep);

const fixture = (name: string) => readFileSync(`tests/fixtures/tls/${name}`, "utf8");
const ca = fixture("ca.pem");
const secureContext = tls.createSecureContext({ cert: fixture("cert.pem"), key: fixture("key.pem") });
const encoder = new TextEncoder();
const decoder = new TextDecoder();

async function readAll(socket: Socket, ms = 10_000): Promise<Uint8Array> {
  const chunks: Uint8Array[] = [];
  await within(
    (async () => {
      const reader = socket.readable.getReader();
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        chunks.push(value);
      }
      reader.releaseLock();
    })(),
    ms,
    "the readable stream's end",
  );
  return Buffer.concat(chunks);
}

async function readText(socket: Socket): Promise<string> {
  return decoder.decode(await readAll(socket));
}

/** Write `text` and close the writable side (FIN). */
async function send(socket: Socket, text: string, close = true): Promise<void> {
  const writer = socket.writable.getWriter();
  await writer.write(encoder.encode(text));
  if (close) await writer.close();
  writer.releaseLock();
}

function echoServer() {
  return track(net.createServer((s: NetSocket) => s.pipe(s)));
}

async function rejection(promise: Promise<unknown>, ms = 10_000): Promise<Error & Record<string, unknown>> {
  return await within(
    promise.then(() => {
      throw new Error("expected a rejection");
    }, (err) => err),
    ms,
    "a rejection",
  );
}

test('plain echo: opened gives "ip:port" addresses, the bytes come back, closed resolves', async () => {
  const server = echoServer();
  const port = await listen(server);
  const socket = connect(`127.0.0.1:${port}`);
  const info = await within(socket.opened, 5000, "opened");
  assert.is(info.remoteAddress, `127.0.0.1:${port}`);
  assert.match(info.localAddress, /^127\.0\.0\.1:\d+$/);
  assert.is(socket.secureTransport, "off");
  assert.is(socket.upgraded, false);
  await send(socket, "ping");
  assert.is(await readText(socket), "ping");
  assert.is(await within(socket.closed, 5000, "closed"), undefined);
});

test("{ hostname, port } and a BYOB reader", async () => {
  const server = echoServer();
  const port = await listen(server);
  const socket = connect({ hostname: "127.0.0.1", port });
  await send(socket, "abcdef");
  const reader = socket.readable.getReader({ mode: "byob" });
  let got = "";
  while (got.length < 6) {
    const { value, done } = await within(reader.read(new Uint8Array(4)), 5000, "a BYOB read");
    if (done) break;
    got += decoder.decode(value);
  }
  assert.is(got, "abcdef");
  await socket.close();
});

test('"[::1]:port": an IPv6 address in brackets, and opened gives it in brackets', async () => {
  const server = echoServer();
  let port: number;
  try {
    port = await listen(server, "::1");
  } catch {
    return; // no IPv6 loopback on this machine
  }
  const socket = connect(`[::1]:${port}`);
  const info = await within(socket.opened, 5000, "opened");
  assert.is(info.remoteAddress, `[::1]:${port}`);
  assert.match(info.localAddress, /^\[::1\]:\d+$/);
  await send(socket, "six");
  assert.is(await readText(socket), "six");
});

test("readable.cancel(): the bytes that follow are dropped, and the peer's FIN still closes the socket", async () => {
  const server = track(net.createServer((s: NetSocket) => {
    s.write("first");
    setTimeout(() => s.end("more"), 50);
  }));
  const port = await listen(server);
  const socket = connect(`127.0.0.1:${port}`);
  const reader = socket.readable.getReader();
  const { value } = await within(reader.read(), 5000, "the first bytes");
  assert.is(decoder.decode(value), "first");
  await reader.cancel();
  await within(socket.closed, 5000, "closed");
});

test("allowHalfOpen: true: after the peer's FIN the readable ends and the writable still sends", async () => {
  let received = "";
  let serverSaw!: (v: string[]) => void;
  const serverLog = new Promise<string[]>((r) => serverSaw = r);
  const server = track(net.createServer({ allowHalfOpen: true }, (s: NetSocket) => {
    const log = trace(s, ["end", "close"]);
    s.on("data", (d: Buffer) => received += d);
    s.on("close", () => serverSaw(log));
    s.end("bye");
  }));
  const port = await listen(server);
  const socket = connect(`127.0.0.1:${port}`, { allowHalfOpen: true });
  assert.is(await readText(socket), "bye");
  await delay(50);
  await send(socket, "after FIN");
  await within(socket.closed, 5000, "closed");
  assert.equal(await within(serverLog, 5000, "the server's close"), ["end", "close(false)"]);
  assert.is(received, "after FIN");
});

test("allowHalfOpen: false (the default): the peer's FIN closes the socket", async () => {
  let serverSaw!: (v: string[]) => void;
  const serverLog = new Promise<string[]>((r) => serverSaw = r);
  const server = track(net.createServer({ allowHalfOpen: true }, (s: NetSocket) => {
    const log = trace(s, ["end", "close"]);
    s.resume();
    s.on("close", () => serverSaw(log));
    s.end("bye");
  }));
  const port = await listen(server);
  const socket = connect(`127.0.0.1:${port}`);
  assert.is(await readText(socket), "bye");
  await within(socket.closed, 5000, "closed");
  assert.equal(await within(serverLog, 5000, "the server's close"), ["end", "close(false)"]);
  const writer = socket.writable.getWriter();
  await rejection(writer.write(encoder.encode("late")));
});

test("backpressure: a reader that does not read stops the socket reading; every byte arrives once it does", async () => {
  const size = 32 * 1024 * 1024;
  const data = pattern(size);
  let accepted = 0;
  const server = track(net.createServer((s: NetSocket) => {
    // Write in 64 KiB pieces, counting what the runtime accepted (the write callbacks).
    for (let i = 0; i < size; i += 65536) {
      const piece = data.subarray(i, i + 65536);
      s.write(piece, () => accepted += piece.length);
    }
    s.end();
  }));
  const port = await listen(server);
  const socket = connect(`127.0.0.1:${port}`);
  await within(socket.opened, 5000, "opened");
  await delay(500);
  // Kernel buffers take a few MiB; unbounded buffering in the client would take it all.
  assert.ok(accepted < size / 2, `the peer could write ${accepted} bytes to a socket nobody reads`);
  const got = await readAll(socket, 60_000);
  assert.is(got.length, size);
  assert.ok(Buffer.from(got).equals(Buffer.from(data)), "the bytes arrive in order");
  await within(socket.closed, 5000, "closed");
});

test("the write promise resolves once the bytes were accepted; writes queued before opened go out", async () => {
  const server = echoServer();
  const port = await listen(server);
  const socket = connect(`127.0.0.1:${port}`);
  const writer = socket.writable.getWriter();
  const order: string[] = [];
  const first = writer.write(encoder.encode("one ")).then(() => order.push("write"));
  socket.opened.then(() => order.push("opened"));
  await within(first, 5000, "the first write");
  assert.equal(order, ["opened", "write"]);
  await writer.write(new Uint8Array(encoder.encode("two")).buffer as unknown as Uint8Array);
  await writer.close();
  assert.is(await readText(socket), "one two");
});

test("a refused connection rejects opened and closed with Node's ECONNREFUSED; the streams error", async () => {
  const server = echoServer();
  const port = await listen(server);
  await new Promise((r) => server.close(r));
  const socket = connect(`127.0.0.1:${port}`);
  const err = await rejection(socket.opened);
  assert.is(err.code, "ECONNREFUSED");
  assert.is(err.syscall, "connect");
  assert.is(err.message, `connect ECONNREFUSED 127.0.0.1:${port}`);
  assert.is(await rejection(socket.closed), err);
  assert.is(await rejection(socket.readable.getReader().read()), err);
});

test("malformed addresses and options throw at connect()", () => {
  assert.is(thrown(() => connect("no-port")).code, "ERR_INVALID_ARG_VALUE");
  assert.is(thrown(() => connect("::1:80")).code, "ERR_INVALID_ARG_VALUE");
  assert.is(thrown(() => connect(":80")).code, "ERR_INVALID_ARG_VALUE");
  assert.is(thrown(() => connect(42 as unknown as string)).code, "ERR_INVALID_ARG_TYPE");
  const port = thrown(() => connect({ hostname: "127.0.0.1", port: 70000 }));
  assert.is(port.code, "ERR_SOCKET_BAD_PORT");
  assert.instance(port, RangeError);
  const kind = thrown(() => connect("127.0.0.1:1", { secureTransport: "yes" as "on" }));
  assert.is(kind.code, "ERR_INVALID_ARG_VALUE");
  assert.instance(kind, TypeError);
});

test("close(): both streams end, closed resolves, the peer sees the connection end", async () => {
  let serverSaw!: () => void;
  const peerClosed = new Promise<void>((r) => serverSaw = r);
  const server = track(net.createServer((s: NetSocket) => {
    s.resume();
    s.on("close", () => serverSaw());
  }));
  const port = await listen(server);
  const socket = connect(`127.0.0.1:${port}`);
  await within(socket.opened, 5000, "opened");
  const reader = socket.readable.getReader();
  const writer = socket.writable.getWriter();
  assert.is(await within(socket.close(), 5000, "close()"), undefined);
  assert.equal(await reader.read(), { value: undefined, done: true });
  await rejection(writer.write(encoder.encode("x")));
  await within(peerClosed, 5000, "the peer's close");
  assert.is(await socket.close(), undefined, "a second close() resolves too");
});

test('startTls() throws a TypeError without secureTransport: "starttls"', async () => {
  const server = echoServer();
  const port = await listen(server);
  const socket = connect(`127.0.0.1:${port}`);
  assert.instance(thrown(() => socket.startTls()), TypeError);
  await socket.close();
});

test("await using: a Sockets API socket closes at the end of the block", async () => {
  let serverSaw!: () => void;
  const peerClosed = new Promise<void>((r) => serverSaw = r);
  const server = track(net.createServer((s: NetSocket) => {
    s.resume();
    s.on("close", () => serverSaw());
  }));
  const port = await listen(server);
  let outer: Socket;
  {
    await using socket = connect(`127.0.0.1:${port}`);
    outer = socket;
    await within(socket.opened, 5000, "opened");
  }
  assert.is(await outer.closed, undefined);
  await within(peerClosed, 5000, "the peer's close");
});

test("await using: a net Socket is destroyed with an AbortError, as Node 24's (which resolves before 'close')", async () => {
  const server = echoServer();
  const port = await listen(server);
  let outer: NetSocket;
  let log: string[] = [];
  {
    await using socket = net.connect(port, "127.0.0.1");
    outer = socket;
    log = trace(socket, ["error", "close"]);
    await new Promise((r) => socket.once("connect", r));
  }
  log.push("disposed");
  assert.ok(outer.destroyed);
  await delay(50);
  // Read off node:net on Node 24: Readable's asyncDispose destroys with an AbortError and
  // waits for the end of stream, which a net.Socket (emitClose: false) reaches before 'close'.
  assert.equal(log, ["error(ABORT_ERR)", "disposed", "close(true)"]);
});

// ---- The memory adapter: the same API on an in-process network, without TLS.

test("memory adapter: echo, and an unknown host rejects with ENOTFOUND", async () => {
  const adapter = createMemoryAdapter();
  const memNet = createNet(adapter);
  const server = track(memNet.createServer((s: NetSocket) => s.pipe(s)));
  const port = await listen(server);
  const { connect: memConnect } = createSockets(adapter);
  const socket = memConnect(`127.0.0.1:${port}`);
  assert.is((await socket.opened).remoteAddress, `127.0.0.1:${port}`);
  await send(socket, "in memory");
  assert.is(await readText(socket), "in memory");
  await socket.closed;
  const lost = memConnect("nowhere.invalid:80");
  assert.is((await rejection(lost.closed)).code, "ENOTFOUND");
});

test('memory adapter: secureTransport "on" and "starttls" throw ERR_FEATURE_UNAVAILABLE_ON_PLATFORM', () => {
  const { connect: memConnect } = createSockets(createMemoryAdapter());
  for (const secureTransport of ["on", "starttls"] as const) {
    const err = thrown(() => memConnect("127.0.0.1:443", { secureTransport }));
    assert.is(err.code, "ERR_FEATURE_UNAVAILABLE_ON_PLATFORM");
    assert.match(err.message, `secureTransport: "${secureTransport}"`);
  }
});

// ---- TLS: the runtime's own, against node:tls servers with the fixture certificate.

/** A node:net server whose connections `handle` wraps in node:tls. */
function tlsServer(handle: (s: nodeNet.Socket) => void): Promise<number> {
  const server = track(nodeNet.createServer(handle));
  return listen(server as never);
}

function tlsEchoServer(): Promise<number> {
  return tlsServer((s) => {
    const secure = new tls.TLSSocket(s, { isServer: true, secureContext });
    secure.on("error", () => s.destroy());
    secure.pipe(secure);
  });
}

test('secureTransport "on": the handshake is done when opened resolves; echo over TLS', async () => {
  const port = await tlsEchoServer();
  const socket = connect({ hostname: "localhost", port }, { secureTransport: "on", ca });
  const info = await within(socket.opened, 10_000, "opened");
  assert.is(info.remoteAddress, `127.0.0.1:${port}`);
  assert.is(socket.secureTransport, "on");
  await send(socket, "secret");
  assert.is(await readText(socket), "secret");
  await within(socket.closed, 5000, "closed");
});

test('secureTransport "on" with an IP address: the certificate is checked against it', async () => {
  const port = await tlsEchoServer();
  const socket = connect(`127.0.0.1:${port}`, { secureTransport: "on", ca });
  await within(socket.opened, 10_000, "opened");
  await send(socket, "by IP");
  assert.is(await readText(socket), "by IP");
});

test('secureTransport "on": an untrusted certificate rejects opened and closed', async () => {
  const port = await tlsEchoServer();
  const socket = connect({ hostname: "localhost", port }, { secureTransport: "on" });
  const err = await rejection(socket.opened);
  assert.instance(err, Error);
  assert.is(await rejection(socket.closed), err);
});

/** A tiny STARTTLS protocol: the server greets in plaintext, then speaks TLS. */
function startTlsServer(): Promise<number> {
  return tlsServer((s) => {
    s.write("hello\n");
    const secure = new tls.TLSSocket(s, { isServer: true, secureContext });
    secure.on("error", () => s.destroy());
    secure.on("data", (d: Buffer) => secure.end(`secure:${d}`));
  });
}

test("startTls() after a plaintext greeting: a new TLS socket, the old one upgraded and closed", async () => {
  const port = await startTlsServer();
  const plain = connect(`localhost:${port}`, { secureTransport: "starttls", ca });
  assert.is(plain.secureTransport, "starttls");
  const reader = plain.readable.getReader();
  const { value } = await within(reader.read(), 5000, "the greeting");
  assert.is(decoder.decode(value), "hello\n");
  reader.releaseLock();
  const secure = plain.startTls();
  assert.is(plain.upgraded, true);
  assert.is(secure.secureTransport, "on");
  assert.is(secure.upgraded, false);
  assert.instance(thrown(() => plain.startTls()), TypeError);
  assert.instance(thrown(() => secure.startTls()), TypeError);
  await within(plain.closed, 5000, "the plaintext socket's closed");
  assert.equal(await plain.readable.getReader().read(), { value: undefined, done: true });
  await send(secure, "ping", false);
  const info = await within(secure.opened, 10_000, "the TLS socket's opened");
  assert.is(info.remoteAddress, `127.0.0.1:${port}`);
  assert.is(await readText(secure), "secure:ping");
  await within(secure.closed, 5000, "the TLS socket's closed");
});

test("startTls({ expectedServerHostname }): a name the certificate does not cover rejects opened", async () => {
  const port = await startTlsServer();
  const plain = connect(`127.0.0.1:${port}`, { secureTransport: "starttls", ca });
  const reader = plain.readable.getReader();
  await within(reader.read(), 5000, "the greeting");
  reader.releaseLock();
  const secure = plain.startTls({ expectedServerHostname: "example.com" });
  const err = await rejection(secure.opened);
  assert.instance(err, Error);
  await rejection(secure.closed);
});

test("startTls() before opened: TLS starts once the plaintext socket connected", async () => {
  const port = await tlsServer((s) => {
    const secure = new tls.TLSSocket(s, { isServer: true, secureContext });
    secure.on("error", () => s.destroy());
    secure.on("data", (d: Buffer) => secure.end(`early:${d}`));
  });
  const plain = connect(`localhost:${port}`, { secureTransport: "starttls", ca });
  const secure = plain.startTls();
  await send(secure, "hi", false);
  assert.is(await readText(secure), "early:hi");
  await within(secure.closed, 5000, "closed");
});

test.run();
