// Server life cycle: when 'listening', 'error' and 'close' come, what close() and its
// callback see in each state, listening again, ref/unref in a child process, and
// Symbol.asyncDispose. Every expected value was read off node:net on Node 24.
import { suite } from "uvu";
import * as assert from "uvu/assert";
import net, { type AddressInfo, type Server } from "../mod.ts";
import { close, errorFields, listen, once, runFixture, sweep, thrown, tracking, within } from "./_util.ts";

const test = suite("Server life cycle");

// Every server and client goes through these, so a failing test cannot hang the file.
const { createServer, connect } = tracking(net);
test.after.each(sweep);

/** Record the server's events (and callbacks pushed by the test) in order. */
function record(server: Server): string[] {
  const events: string[] = [];
  for (const name of ["listening", "close", "error"]) {
    server.on(name, (err?: { code?: string }) => events.push(err ? `${name}(${err.code})` : name));
  }
  return events;
}

const closeCb = (events: string[], label = "close-cb") => (err?: Error & { code?: string }) =>
  events.push(err ? `${label}(${err.code})` : label);

test("'listening' is deferred: listening is false and address() null until the host is resolved", async () => {
  const server = createServer();
  const events = record(server);
  server.listen(0, "127.0.0.1", () => events.push("callback"));
  assert.is(server.listening, false);
  assert.is(server.address(), null);
  events.push("sync");
  await once(server, "listening");
  assert.equal(events, ["sync", "listening", "callback"]);
  assert.is(server.listening, true);
  await close(server);
});

test("close() before 'listening': only 'close', and the callback gets ERR_SERVER_NOT_RUNNING", async () => {
  const server = createServer();
  const events = record(server);
  server.listen(0, "127.0.0.1", () => events.push("listen-cb"));
  server.close(closeCb(events));
  await once(server, "close");
  assert.equal(events, ["close", "close-cb(ERR_SERVER_NOT_RUNNING)"]);
  assert.is(server.listening, false);
  assert.is(server.address(), null);
});

test("close() while the host name lookup is pending: the lookup's result is ignored", async () => {
  const server = createServer();
  const events = record(server);
  server.listen(0, "localhost", () => events.push("listen-cb"));
  server.close(closeCb(events));
  await once(server, "close");
  // A later listen() must be the only one that binds.
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  assert.equal(events, ["close", "close-cb(ERR_SERVER_NOT_RUNNING)", "listening", "listen-cb"]);
  await close(server);
});

test("close() on a server that never listened: 'close' and ERR_SERVER_NOT_RUNNING", async () => {
  const server = createServer();
  const events = record(server);
  let error: unknown;
  server.close((err) => error = err);
  await once(server, "close");
  assert.equal(events, ["close"]);
  assert.equal(errorFields(error), {
    name: "Error",
    message: "Server is not running.",
    code: "ERR_SERVER_NOT_RUNNING",
  });
});

test("close() twice: one 'close' per call; the second callback gets ERR_SERVER_NOT_RUNNING", async () => {
  const server = createServer();
  const events = record(server);
  await listen(server);
  let closes = 0;
  const twice = new Promise<void>((resolve) => server.on("close", () => ++closes === 2 && resolve()));
  server.close(closeCb(events, "cb1"));
  server.close(closeCb(events, "cb2"));
  await within(twice, 5000, "two 'close' events");
  assert.equal(events, ["listening", "close", "cb1", "cb2(ERR_SERVER_NOT_RUNNING)", "close"]);
});

test("close() stops listening at once and releases the port", async () => {
  const server = createServer();
  const port = await listen(server);
  server.close();
  assert.is(server.listening, false);
  assert.is(server.address(), null);
  await once(server, "close");
  const again = createServer();
  again.listen(port, "127.0.0.1");
  await once(again, "listening");
  assert.is((again.address() as AddressInfo).port, port);
  await close(again);
});

test("listening again after close, on the same port", async () => {
  const server = createServer((s) => s.end("hi"));
  const events = record(server);
  const port = await listen(server);
  await close(server);
  server.listen(port, "127.0.0.1", () => events.push("cb"));
  await once(server, "listening");
  assert.equal(server.address(), { address: "127.0.0.1", family: "IPv4", port });
  const client = connect(port, "127.0.0.1");
  const data: string[] = [];
  client.on("data", (d) => data.push(String(d)));
  await once(client, "close");
  assert.equal(data, ["hi"]);
  await close(server);
  assert.equal(events, ["listening", "close", "listening", "cb", "close"]);
});

test("EADDRINUSE: 'error' after listen() returned, with Node's fields; listening again works", async () => {
  const first = createServer();
  const port = await listen(first);
  const server = createServer();
  const events = record(server);
  server.listen(port, "127.0.0.1", () => events.push("listen-cb"));
  events.push("returned");
  const [err] = await once<[Error]>(server, "error").catch((e) => [e]);
  assert.equal(errorFields(err), {
    name: "Error",
    message: `listen EADDRINUSE: address already in use 127.0.0.1:${port}`,
    code: "EADDRINUSE",
    errno: -98,
    syscall: "listen",
    address: "127.0.0.1",
    port,
  });
  assert.equal(Object.keys(err), ["code", "errno", "syscall", "address", "port"]);
  assert.is(server.listening, false);
  assert.is(server.address(), null);
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  // The first callback is still a 'listening' listener, as on Node.
  assert.equal(events, ["returned", "error(EADDRINUSE)", "listening", "listen-cb"]);
  await close(server);
  await close(first);
});

test("EADDRNOTAVAIL: an address this host does not have (port 0: no port in the message)", async () => {
  const server = createServer();
  server.listen(0, "192.0.2.1");
  const [err] = await once<[Error]>(server, "error").catch((e) => [e]);
  assert.equal(errorFields(err), {
    name: "Error",
    message: "listen EADDRNOTAVAIL: address not available 192.0.2.1",
    code: "EADDRNOTAVAIL",
    errno: -99,
    syscall: "listen",
    address: "192.0.2.1",
  });
});

test("ref() / unref() / close() / listen() return the server", async () => {
  const server = createServer();
  assert.is(server.ref(), server);
  assert.is(server.unref(), server);
  assert.is(server.listen(0, "127.0.0.1"), server);
  assert.is(server.close(), server);
  assert.is(server.getConnections(() => {}), server);
  await once(server, "close");
  const err = thrown(() => server.getConnections(undefined as never));
  assert.is(
    `${err.code}: ${err.message}`,
    'ERR_INVALID_ARG_TYPE: The "callback" argument must be of type function. Received undefined',
  );
});

test("an unref()'d server lets the process exit by itself", async () => {
  for (const mode of ["tcp", "before"]) {
    const r = await runFixture("server_unref", [mode]);
    assert.equal({ killed: r.killed, code: r.code, stdout: r.stdout, stderr: r.stderr }, {
      killed: false,
      code: 0,
      stdout: "listening\n",
      stderr: "",
    }, mode);
  }
});

test("unref() then ref(): the server keeps the process alive again", async () => {
  const r = await runFixture("server_unref", ["ref"]);
  assert.equal({ killed: r.killed, code: r.code, stdout: r.stdout, stderr: r.stderr }, {
    killed: false,
    code: 0,
    stdout: "listening\nstill alive\nclosed\n",
    stderr: "",
  });
});

test("a listen given up before it completes leaves nothing bound: the process exits by itself", async () => {
  const expected: Record<string, string> = {
    close: "close\n",
    signal: "close\n",
  };
  for (const [mode, stdout] of Object.entries(expected)) {
    const r = await runFixture("server_close_early", [mode], 5000);
    assert.equal({ killed: r.killed, code: r.code, stdout: r.stdout, stderr: r.stderr }, {
      killed: false,
      code: 0,
      stdout,
      stderr: "",
    }, mode);
  }
});

test("[Symbol.asyncDispose]: closes and resolves after 'close'; a server not listening resolves at once", async () => {
  const server = createServer();
  const events = record(server);
  assert.is(await server[Symbol.asyncDispose](), undefined);
  await listen(server);
  const disposed = server[Symbol.asyncDispose]().then(() => events.push("disposed"));
  assert.is(server.listening, false);
  await disposed;
  assert.equal(events, ["listening", "close", "disposed"]);
});

test.run();
