// net.connect / socket.connect: name resolution through the adapter, Happy Eyeballs
// timeouts (with an adapter whose connect to one address never completes), TCP options
// reaching the adapter, IPv6, reconnects, and options no adapter can honour.
import { suite } from "uvu";
import * as assert from "uvu/assert";
import net, {
  getDefaultAutoSelectFamily,
  getDefaultAutoSelectFamilyAttemptTimeout,
  setDefaultAutoSelectFamily,
  setDefaultAutoSelectFamilyAttemptTimeout,
  type Socket,
  type SocketConnectOpts,
} from "../mod.ts";
import dns from "node:dns";
import process from "node:process";
import type { LookupOptions } from "../src/contract.ts";
import {
  close,
  errorFields,
  hangingConn,
  listen,
  netWith,
  once,
  spyConn,
  sweep,
  thrown,
  trace,
  track,
  within,
} from "./_util.ts";

const test = suite("Socket connect");
test.after.each(sweep);

/** Node's default hints for a connect without a family, by name as the adapter gets them. */
const defaultHints = process.platform === "win32" ? {} : { addrconfig: true };

/** A lookup answering ::1 first, then 127.0.0.1 (asynchronously, as dns.lookup does). */
const sixThenFour: SocketConnectOpts["lookup"] = (_host, _options, cb) =>
  setTimeout(() => cb(null, [{ address: "::1", family: 6 }, { address: "127.0.0.1", family: 4 }]), 0);

/** Wait (bounded) for 'close', whatever errors come first. */
function closed(socket: Socket): Promise<unknown> {
  return within(new Promise((resolve) => socket.once("close", resolve)), 5000, "'close'");
}

test("an IP literal skips lookup; a name goes through the adapter's lookup with Node's hints", async () => {
  const lookups: [string, LookupOptions][] = [];
  const api = netWith((base) => ({
    lookup: (host, options) => (lookups.push([host, options]), base.lookup(host, options)),
  }));
  const server = track(net.createServer((s) => s.end()));
  const port = await listen(server);
  const direct = track(api.connect(port, "127.0.0.1"));
  const directLog = trace(direct, ["lookup", "connect", "close"]);
  direct.resume();
  await once(direct, "close");
  assert.equal(directLog, ["connect", "close(false)"]);
  assert.equal(lookups, []);

  const named = track(api.connect({ port, host: "localhost", family: 4 }));
  const namedLog = trace(named, ["lookup", "connect", "close"]);
  named.resume();
  await once(named, "close");
  // (trace() shows the null error as "…")
  assert.equal(namedLog, ["lookup(…,127.0.0.1,4,localhost)", "connect", "close(false)"]);
  assert.equal(lookups, [["localhost", { family: 4, hints: {} }]]);

  lookups.length = 0;
  const any = track(api.connect({ port, host: "localhost" }));
  any.resume();
  await once(any, "close");
  assert.equal(lookups, [["localhost", { family: 0, hints: defaultHints }]]);
  await close(server);
});

/**
 * Replace the `dns` module's `lookup` (as applications and tests do) with one that answers
 * 127.0.0.1 and records the host names it was asked; `restore()` puts the original back.
 */
function replaceDnsLookup(): { calls: string[]; restore(): void } {
  const original = dns.lookup;
  const calls: string[] = [];
  // deno-lint-ignore no-explicit-any
  (dns as any).lookup = (host: string, options: unknown, cb?: (...args: unknown[]) => void) => {
    calls.push(host);
    const callback = (typeof options === "function" ? options : cb) as (...args: unknown[]) => void;
    const all = typeof options === "object" && options !== null && (options as { all?: boolean }).all;
    setTimeout(() => all ? callback(null, [{ address: "127.0.0.1", family: 4 }]) : callback(null, "127.0.0.1", 4), 0);
  };
  return { calls, restore: () => void ((dns as { lookup: unknown }).lookup = original) };
}

test("connect() resolves through the dns module's lookup as it is at call time (a replaced dns.lookup)", async () => {
  const server = track(net.createServer((s) => s.end()));
  const port = await listen(server);
  const replaced = replaceDnsLookup();
  try {
    const client = track(net.connect(port, "omninet.invalid"));
    await once(client, "connect");
    assert.equal([client.remoteAddress, client.remotePort], ["127.0.0.1", port]);
    client.destroy();
  } finally {
    replaced.restore();
  }
  assert.equal(replaced.calls, ["omninet.invalid"]);
  await close(server);
});

test("listen(port, host) resolves through the dns module's lookup as it is at call time", async () => {
  const replaced = replaceDnsLookup();
  const server = track(net.createServer());
  try {
    server.listen(0, "omninet.invalid");
    await once(server, "listening");
  } finally {
    replaced.restore();
  }
  assert.equal(replaced.calls, ["omninet.invalid"]);
  assert.is((server.address() as { address: string }).address, "127.0.0.1");
  await close(server);
});

test("connect({ hints: dns.ADDRCONFIG | dns.V4MAPPED }) with the runtime's own dns constants connects", async () => {
  const lookups: LookupOptions[] = [];
  const api = netWith((base) => ({
    lookup: (host, options) => (lookups.push(options), base.lookup(host, options)),
  }));
  const server = track(net.createServer((s) => s.end()));
  const port = await listen(server);
  const socket = track(api.connect({ port, host: "localhost", family: 4, hints: dns.ADDRCONFIG | dns.V4MAPPED }));
  const log = trace(socket, ["connect", "close"]);
  socket.resume();
  await once(socket, "close");
  assert.equal(log, ["connect", "close(false)"]);
  assert.equal(lookups, [{ family: 4, hints: { addrconfig: true, v4mapped: true } }]);
  // Every known bit together; the default api too.
  const all = track(net.connect({ port, host: "localhost", hints: dns.ADDRCONFIG | dns.V4MAPPED | dns.ALL }));
  all.resume();
  await once(all, "close");
  await close(server);
});

test("a user lookup gets Node's default hints as the runtime's dns.ADDRCONFIG", async () => {
  const seen: unknown[] = [];
  const server = track(net.createServer((s) => s.end()));
  const port = await listen(server);
  const socket = track(net.connect({
    port,
    host: "localhost",
    lookup: (_host, options, cb) => {
      seen.push(options.hints);
      if (options.all) cb(null, [{ address: "127.0.0.1", family: 4 }]);
      else cb(null, "127.0.0.1", 4);
    },
  }));
  socket.resume();
  await once(socket, "close");
  assert.equal(seen, [process.platform === "win32" ? 0 : dns.ADDRCONFIG]);
  await close(server);
});

test("Happy Eyeballs: a hanging attempt times out and the next address connects", async () => {
  const server = track(net.createServer((s) => s.end()));
  const port = await listen(server);
  const api = netWith((base) => ({
    connect: (options, sink) =>
      "host" in options && options.host === "::1" ? hangingConn(sink) : base.connect(options, sink),
  }));
  const lookup = sixThenFour;
  const client = track(api.connect({ port, host: "example.test", lookup, autoSelectFamilyAttemptTimeout: 10 }));
  const log = trace(client, [
    "lookup",
    "connectionAttempt",
    "connectionAttemptFailed",
    "connectionAttemptTimeout",
    "connect",
    "close",
  ]);
  client.resume();
  await once(client, "close");
  assert.equal(log, [
    "lookup(…,::1,6,example.test)",
    "lookup(…,127.0.0.1,4,example.test)",
    `connectionAttempt(::1,${port},6)`,
    `connectionAttemptTimeout(::1,${port},6)`,
    `connectionAttempt(127.0.0.1,${port},4)`,
    "connect",
    "close(false)",
  ]);
  assert.equal(client.autoSelectFamilyAttemptedAddresses, [`::1:${port}`, `127.0.0.1:${port}`]);
  await close(server);
});

test("Happy Eyeballs: a timed-out attempt then a refused one give AggregateError [ETIMEDOUT, ECONNREFUSED]", async () => {
  const server = track(net.createServer());
  const port = await listen(server);
  await close(server);
  const api = netWith((base) => ({
    connect: (options, sink) =>
      "host" in options && options.host === "::1" ? hangingConn(sink) : base.connect(options, sink),
  }));
  const lookup = sixThenFour;
  const client = track(api.connect({ port, host: "example.test", lookup, autoSelectFamilyAttemptTimeout: 10 }));
  const [err] = await once<[AggregateError & { code: string }]>(client, "error").catch((e) => [e]);
  assert.instance(err, AggregateError);
  assert.is(err.code, "ETIMEDOUT");
  const inner = err.errors.map((e: Error & Record<string, unknown>) => [e.code, e.errno, e.syscall, e.message]);
  assert.equal(inner, [
    ["ETIMEDOUT", -110, "connect", `connect ETIMEDOUT ::1:${port}`],
    ["ECONNREFUSED", -111, "connect", `connect ECONNREFUSED 127.0.0.1:${port}`],
  ]);
});

test("the Happy Eyeballs defaults: get/set, minimum attempt timeout 10, Node's validation", () => {
  assert.is(getDefaultAutoSelectFamily(), true);
  assert.is(getDefaultAutoSelectFamilyAttemptTimeout(), 250);
  setDefaultAutoSelectFamilyAttemptTimeout(5);
  assert.is(getDefaultAutoSelectFamilyAttemptTimeout(), 10);
  setDefaultAutoSelectFamilyAttemptTimeout(250);
  setDefaultAutoSelectFamily(false);
  assert.is(getDefaultAutoSelectFamily(), false);
  setDefaultAutoSelectFamily(true);
  assert.is(
    thrown(() => setDefaultAutoSelectFamily(1 as unknown as boolean)).message,
    'The "value" argument must be of type boolean. Received type number (1)',
  );
  assert.is(
    thrown(() => setDefaultAutoSelectFamilyAttemptTimeout(0)).message,
    'The value of "value" is out of range. It must be >= 1 && <= 2147483647. Received 0',
  );
});

test("noDelay and keepAlive reach the adapter once connected; Nagle stays on by default", async () => {
  const calls: string[] = [];
  const api = netWith((base) => ({ connect: (o, s) => spyConn(base.connect(o, s), calls) }));
  const server = track(net.createServer((s) => s.resume()));
  const port = await listen(server);
  const plain = track(api.connect(port, "127.0.0.1"));
  await once(plain, "connect");
  assert.equal(calls.filter((c) => c.startsWith("set")), [], "no TCP option calls by default");
  plain.destroy();

  calls.length = 0;
  const tuned = track(
    api.connect({ port, host: "127.0.0.1", noDelay: true, keepAlive: true, keepAliveInitialDelay: 2500 }),
  );
  await once(tuned, "connect");
  tuned.setNoDelay(true); // unchanged: not sent again
  tuned.setNoDelay(false);
  tuned.setKeepAlive(true, 2999); // same whole seconds: not sent again
  tuned.setKeepAlive(true, 5000);
  tuned.setKeepAlive(false);
  assert.equal(calls.filter((c) => c.startsWith("set")), [
    "setNoDelay(true)",
    "setKeepAlive(true, 2000)",
    "setNoDelay(false)",
    "setKeepAlive(true, 5000)",
    "setKeepAlive(false, 0)",
  ]);
  tuned.destroy();
  await close(server);
});

test("IPv6: connect to ::1 by literal and the address getters report IPv6", async () => {
  const server = track(net.createServer((s) => s.end("six")));
  const port = await listen(server, "::1");
  const client = track(net.connect(port, "::1"));
  await once(client, "connect");
  assert.equal([client.remoteAddress, client.remoteFamily, client.remotePort], ["::1", "IPv6", port]);
  assert.equal([client.localAddress, client.localFamily], ["::1", "IPv6"]);
  client.resume();
  await once(client, "close");
  await close(server);
});

test("a socket connects again after a refused connect; counters start over", async () => {
  const server = track(net.createServer((s) => s.end("hi")));
  const port = await listen(server);
  const refusedPort = await (async () => {
    const tmp = net.createServer();
    const p = await listen(tmp);
    await close(tmp);
    return p;
  })();
  const client = track(new net.Socket());
  const log = trace(client, ["connect", "error", "close"]);
  client.connect(refusedPort, "127.0.0.1");
  await closed(client);
  client.connect(port, "127.0.0.1");
  client.resume();
  await once(client, "close");
  assert.equal(log, ["error(ECONNREFUSED)", "close(true)", "connect", "close(false)"]);
  assert.is(client.bytesRead, 2);
  await close(server);
});

test("an aborted signal: AbortError and a bare 'close', then the connection opens anyway (as node:net)", async () => {
  // Node's constructor destroys the socket for the signal, then un-destroys it as it sets
  // it up; connect() goes on, its attempt after the queued 'close'.
  const server = track(net.createServer((s) => s.resume()));
  const port = await listen(server);
  let connects = 0;
  const api = netWith((base) => ({ connect: (o, s) => (connects++, base.connect(o, s)) }));
  const client = track(api.connect({ port, host: "127.0.0.1", signal: AbortSignal.abort() }));
  const log = trace(client, ["connectionAttempt", "connect", "error", "close"]);
  assert.is(client.destroyed, false);
  let atClose: string[] = [];
  client.once("close", () => atClose = [...log, `connects=${connects}`]);
  await closed(client);
  assert.equal(atClose, ["error(ABORT_ERR)", "close", "connects=0"], "the attempt waits for the 'close'");
  await once(client, "connect");
  client.destroy();
  await once(client, "close");
  assert.equal(log, ["error(ABORT_ERR)", "close", `connectionAttempt(127.0.0.1,${port},4)`, "connect", "close(false)"]);
  assert.is(connects, 1);
  await close(server);
});

test("localAddress/localPort: the connection leaves from them; a port in use fails bind EADDRINUSE", async () => {
  const seen: string[] = [];
  const server = track(net.createServer((s) => (seen.push(`${s.remoteAddress}:${s.remotePort}`), s.end())));
  const port = await listen(server);
  const probe = track(net.createServer());
  const localPort = await listen(probe); // a port that was free a moment ago
  await close(probe);
  const client = track(net.connect({ port, host: "127.0.0.1", localAddress: "127.0.0.1", localPort }));
  await once(client, "connect");
  assert.equal([client.localAddress, client.localPort], ["127.0.0.1", localPort]);
  client.resume();
  await closed(client);
  assert.equal(seen, [`127.0.0.1:${localPort}`]);
  // The server's own port is taken: binding the local end to it fails.
  const busy = track(net.connect({ port, host: "127.0.0.1", localAddress: "127.0.0.1", localPort: port }));
  const log = trace(busy, ["connect", "error", "close"]);
  const [err] = await once<[Error]>(busy, "error");
  await closed(busy);
  assert.equal(errorFields(err), {
    name: "Error",
    message: `bind EADDRINUSE 127.0.0.1:${port}`,
    errno: -98,
    code: "EADDRINUSE",
    syscall: "bind",
    address: "127.0.0.1",
    port,
  });
  assert.equal(log, ["error(EADDRINUSE)", "close(true)"]);
  await close(server);
});

test("options no adapter here can honour throw ERR_FEATURE_UNAVAILABLE_ON_PLATFORM naming them", () => {
  const fd = thrown(() => new net.Socket({ fd: 3 }));
  assert.is(fd.code, "ERR_FEATURE_UNAVAILABLE_ON_PLATFORM");
  assert.match(fd.message, /^The feature options\.fd is unavailable on the current platform/);
  assert.is(thrown(() => new (net.Socket as unknown as new (fd: number) => Socket)(3)).code, fd.code);
  const noBind = netWith((base) => ({ capabilities: { ...base.capabilities, localBind: false } }));
  const local = thrown(() => noBind.connect({ port: 9, host: "127.0.0.1", localAddress: "127.0.0.1" }));
  assert.is(local.code, "ERR_FEATURE_UNAVAILABLE_ON_PLATFORM");
  assert.match(local.message, /^The feature options\.localAddress is unavailable/);
  const port = thrown(() => noBind.connect({ port: 9, host: "127.0.0.1", localPort: 4000 }));
  assert.match(port.message, /^The feature options\.localPort is unavailable/);
});

test.run();
