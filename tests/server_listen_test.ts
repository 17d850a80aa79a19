// Server.listen(): every call form, Node's default host, host names, and the argument
// errors, each checked against what node:net does on Node 24.
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { lookup } from "node:dns";
import net, { type AddressInfo, detectAdapter, type Server } from "../mod.ts";
import { join } from "node:path";
import { close, errorFields, once, sweep, tempDir, thrown, tracking } from "./_util.ts";

const test = suite("Server.listen()");

// Every server and client goes through these, so a failing test cannot hang the file.
const { createServer, connect } = tracking(net);
test.after.each(sweep);
const adapterName = detectAdapter().name;

/** Listen with `args`, wait for 'listening' (or 'error'), return the address, close. */
async function listenWith(...args: unknown[]): Promise<AddressInfo | string | null> {
  const server = createServer();
  // deno-lint-ignore no-explicit-any
  (server.listen as any)(...args);
  await once(server, "listening");
  const address = server.address();
  await close(server);
  return address;
}

async function hasIPv6(): Promise<boolean> {
  const server = createServer();
  server.listen(0, "::1");
  const ok = await once(server, "listening").then(() => true, () => false);
  if (ok) await close(server);
  return ok;
}

function expectPort(a: AddressInfo | string | null, address: string, family: string): void {
  const info = a as AddressInfo;
  assert.equal({ address: info.address, family: info.family }, { address, family });
  assert.ok(Number.isInteger(info.port) && info.port > 0, `a port was chosen: ${info.port}`);
}

test("listen() with no host binds :: (dual stack) where IPv6 exists, else 0.0.0.0", async () => {
  const [address, family] = await hasIPv6() ? ["::", "IPv6"] : ["0.0.0.0", "IPv4"];
  expectPort(await listenWith(), address, family);
  expectPort(await listenWith(null), address, family);
  expectPort(await listenWith(undefined), address, family);
  expectPort(await listenWith(0), address, family);
  expectPort(await listenWith("0"), address, family);
  expectPort(await listenWith({ port: undefined }), address, family);
  expectPort(await listenWith({ port: null }), address, family);
  expectPort(await listenWith({ port: "0" }), address, family);
  expectPort(await listenWith({ port: 0, host: "" }), address, family);
  expectPort(await listenWith({ path: "", port: 0 }), address, family);
});

test("listen(0) and listen(path) bind synchronously: address() and listening are set when listen() returns", async () => {
  const [address, family] = await hasIPv6() ? ["::", "IPv6"] : ["0.0.0.0", "IPv4"];
  const server = createServer();
  server.listen(0);
  const early = server.address();
  assert.is(server.listening, true);
  expectPort(early, address, family);
  await once(server, "listening");
  assert.equal(server.address(), early);
  await close(server);
  const dir = tempDir();
  try {
    const path = join(dir.path, "sync.sock");
    const pipe = createServer();
    pipe.listen(path);
    assert.equal([pipe.address(), pipe.listening], [path, true]);
    await once(pipe, "listening");
    await close(pipe);
  } finally {
    dir.cleanup();
  }
});

test("the default host accepts IPv4 peers (IPv4-mapped on a dual-stack listener)", async () => {
  const v6 = await hasIPv6();
  const seen: string[] = [];
  const server = createServer((s) => {
    seen.push(`${s.remoteAddress} ${s.remoteFamily} ${s.localAddress}`);
    s.destroy();
  });
  server.listen();
  await once(server, "listening");
  const client = connect((server.address() as AddressInfo).port, "127.0.0.1");
  client.on("error", () => {});
  client.resume();
  await once(client, "close");
  assert.equal(seen, [v6 ? "::ffff:127.0.0.1 IPv6 ::ffff:127.0.0.1" : "127.0.0.1 IPv4 127.0.0.1"]);
  await close(server);
});

test("listen(port, host[, backlog][, cb]) and listen(options[, cb]) forms", async () => {
  expectPort(await listenWith(0, "127.0.0.1"), "127.0.0.1", "IPv4");
  expectPort(await listenWith(0, "127.0.0.1", 5), "127.0.0.1", "IPv4");
  expectPort(await listenWith(0, "127.0.0.1", 5, () => {}), "127.0.0.1", "IPv4");
  expectPort(await listenWith(0, "127.0.0.1", () => {}), "127.0.0.1", "IPv4");
  expectPort(await listenWith({ port: 0, host: "127.0.0.1", backlog: 1 }), "127.0.0.1", "IPv4");
  expectPort(await listenWith({ port: 0, host: "127.0.0.1", exclusive: false }), "127.0.0.1", "IPv4");
  expectPort(await listenWith({ port: 0, host: "127.0.0.1", backlog: -5 }), "127.0.0.1", "IPv4");
  expectPort(await listenWith({ port: 0, host: "127.0.0.1", ipv6Only: true }), "127.0.0.1", "IPv4");
  if (await hasIPv6()) expectPort(await listenWith(0, "::1"), "::1", "IPv6");
});

test("listen(port, host, cb): the callback is a once('listening') listener", async () => {
  const order: string[] = [];
  const server = createServer();
  server.on("listening", () => order.push("listening (registered first)"));
  server.listen(0, "127.0.0.1", () => order.push("callback"));
  server.on("listening", () => order.push("listening (registered after)"));
  await once(server, "listening");
  assert.equal(order, ["listening (registered first)", "callback", "listening (registered after)"]);
  await close(server);
});

test("a host name is resolved through lookup first; Node's first usable address is bound", async () => {
  const expected = await new Promise<{ address: string; family: number }>((resolve, reject) =>
    lookup("localhost", { all: true }, (err, all) => err ? reject(err) : resolve(all[0]))
  );
  const server = createServer();
  server.listen(0, "localhost");
  assert.is(server.listening, false);
  assert.is(server.address(), null);
  await once(server, "listening");
  expectPort(server.address(), expected.address, expected.family === 6 ? "IPv6" : "IPv4");
  await close(server);
});

test("a host name that does not resolve: 'error' with getaddrinfo ENOTFOUND", async () => {
  const server = createServer();
  const events: string[] = [];
  server.on("listening", () => events.push("listening"));
  server.listen(0, "nonexistent.invalid");
  const [err] = await once<[Error]>(server, "error", 10_000).catch((e) => [e]);
  assert.equal(errorFields(err), {
    name: "Error",
    message: "getaddrinfo ENOTFOUND nonexistent.invalid",
    code: "ENOTFOUND",
    errno: -3008,
    syscall: "getaddrinfo",
    hostname: "nonexistent.invalid",
  });
  assert.equal(events, []);
  assert.is(server.listening, false);
});

test("argument errors: Node's codes and messages, thrown by listen()", () => {
  const server = createServer();
  // deno-lint-ignore no-explicit-any
  const listen = (...args: unknown[]) => thrown(() => (server.listen as any)(...args));
  const fields = (...args: unknown[]) => {
    const e = listen(...args);
    return `${e.name} ${e.code}: ${e.message}`;
  };
  assert.is(
    fields({}),
    `TypeError ERR_INVALID_ARG_VALUE: The argument 'options' must have the property "port" or "path". Received {}`,
  );
  assert.is(
    fields({ host: "127.0.0.1" }),
    `TypeError ERR_INVALID_ARG_VALUE: The argument 'options' must have the property "port" or "path". Received { host: '127.0.0.1' }`,
  );
  assert.is(
    fields({ port: -1 }),
    "RangeError ERR_SOCKET_BAD_PORT: options.port should be >= 0 and < 65536. Received type number (-1).",
  );
  assert.is(
    fields({ port: 65536 }),
    "RangeError ERR_SOCKET_BAD_PORT: options.port should be >= 0 and < 65536. Received type number (65536).",
  );
  assert.is(
    fields({ port: 1.5 }),
    "RangeError ERR_SOCKET_BAD_PORT: options.port should be >= 0 and < 65536. Received type number (1.5).",
  );
  assert.is(
    fields({ port: " " }),
    "RangeError ERR_SOCKET_BAD_PORT: options.port should be >= 0 and < 65536. Received type string (' ').",
  );
  assert.is(
    fields({ port: true }),
    "TypeError ERR_INVALID_ARG_VALUE: The argument 'options' is invalid. Received { port: true }",
  );
  assert.is(
    fields(true),
    "TypeError ERR_INVALID_ARG_VALUE: The argument 'options' is invalid. Received { port: true }",
  );
  assert.is(
    fields({ path: 123 }),
    "TypeError ERR_INVALID_ARG_VALUE: The argument 'options' is invalid. Received { path: 123 }",
  );
  assert.is(
    fields({ path: "" }),
    "TypeError ERR_INVALID_ARG_VALUE: The argument 'options' is invalid. Received { path: '' }",
  );
  assert.is(
    fields({ port: 0, host: 123 }),
    'TypeError ERR_INVALID_ARG_TYPE: The "hostname" argument must be of type string. Received type number (123)',
  );
  assert.is(
    fields({ port: 0, signal: "x" }),
    `TypeError ERR_INVALID_ARG_TYPE: The "options.signal" property must be an instance of AbortSignal. Received type string ('x')`,
  );
  assert.is(server.listening, false);
});

test("listen(handle) and file descriptors: ERR_FEATURE_UNAVAILABLE_ON_PLATFORM naming the option", () => {
  const server = createServer();
  const message = (feature: string) =>
    `TypeError ERR_FEATURE_UNAVAILABLE_ON_PLATFORM: The feature ${feature} is unavailable on the current platform, which is being used to run omninet on ${adapterName}`;
  // deno-lint-ignore no-explicit-any
  const listen = (arg: unknown) => thrown(() => (server.listen as any)(arg));
  const shown = (e: Error & Record<string, unknown>) => `${e.name} ${e.code}: ${e.message}`;
  assert.is(shown(listen({ fd: 3 })), message("options.fd"));
  assert.is(shown(listen({ handle: { fd: 3 } })), message("options.handle.fd"));
  assert.is(shown(listen({ handle: {} })), message("options.handle"));
  assert.is(shown(listen({ _handle: {} })), message("options._handle"));
  // A negative fd is not a handle: Node goes on to the port/path checks.
  assert.is(listen({ fd: -1 }).code, "ERR_INVALID_ARG_VALUE");
  assert.is(server.listening, false);
});

test("listen() while listening throws ERR_SERVER_ALREADY_LISTEN", async () => {
  const server = createServer();
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  const err = thrown(() => server.listen(0));
  assert.is(
    `${err.name} ${err.code}: ${err.message}`,
    "Error ERR_SERVER_ALREADY_LISTEN: Listen method has been called more than once without closing.",
  );
  assert.is(server.listening, true);
  await close(server);
});

test("a second listen() while the first is still resolving wins; both callbacks run once", async () => {
  const server: Server = createServer();
  const events: string[] = [];
  server.on("listening", () => events.push(`listening ${JSON.stringify(server.address())}`));
  server.listen(0, "localhost", () => events.push("cb1"));
  server.listen({ port: 0, host: "127.0.0.1" }, () => events.push("cb2"));
  await once(server, "listening");
  const address = JSON.stringify(server.address());
  await close(server);
  assert.equal(events, [`listening ${address}`, "cb1", "cb2"]);
  expectPort(JSON.parse(address), "127.0.0.1", "IPv4");
});

test("listen(0, host): a name getaddrinfo refuses fails with EINVAL; a NUL ends the name (Node 24)", async () => {
  for (const host of ["a".repeat(256), "\0"]) {
    const server = createServer();
    server.listen(0, host);
    const [err] = await once<[Error]>(server, "error");
    assert.equal(errorFields(err), {
      name: "Error",
      message: `getaddrinfo EINVAL ${host}`,
      code: "EINVAL",
      errno: -22,
      syscall: "getaddrinfo",
      hostname: host,
    });
  }
  const server = createServer();
  server.listen(0, "localhost\0x");
  await once(server, "listening");
  assert.is((server.address() as AddressInfo).port > 0, true);
  await close(server);
});

test.run();
