// listen() options that depend on the runtime (ipv6Only, reusePort) and the ones that
// change the server's life (signal). Where a runtime cannot do something, the test
// asserts the error users get there.
import { suite } from "uvu";
import * as assert from "uvu/assert";
import net, { type AddressInfo, detectAdapter, type Server } from "../mod.ts";
import { close, errorFields, once, sweep, thrown, tracking } from "./_util.ts";

const test = suite("Server.listen() options");

// Every server and client goes through these, so a failing test cannot hang the file.
const { createServer, connect } = tracking(net);
test.after.each(sweep);
const adapter = detectAdapter();

function unavailable(feature: string): string {
  return `TypeError ERR_FEATURE_UNAVAILABLE_ON_PLATFORM: The feature ${feature} is unavailable on the current platform, which is being used to run omninet on ${adapter.name}`;
}

function shown(e: Error & Record<string, unknown>): string {
  return `${e.name} ${e.code}: ${e.message}`;
}

async function hasIPv6(): Promise<boolean> {
  const server = createServer();
  server.listen(0, "::1");
  const ok = await once(server, "listening").then(() => true, () => false);
  if (ok) await close(server);
  return ok;
}

function portOf(server: Server): number {
  return (server.address() as AddressInfo).port;
}

/** Connect `count` times one after another; each connection is closed by the server. */
async function connectMany(port: number, count: number): Promise<void> {
  for (let i = 0; i < count; i++) {
    const client = connect(port, "127.0.0.1");
    client.on("error", () => {});
    client.resume();
    await once(client, "close");
  }
}

test("ipv6Only: an IPv6-only listener leaves the IPv4 side of its port free (or a clear error)", async () => {
  if (!await hasIPv6()) return assert.ok(true, "no IPv6 on this machine");
  const v6 = createServer();
  if (!adapter.capabilities.ipv6Only) {
    assert.is(shown(thrown(() => v6.listen({ port: 0, host: "::", ipv6Only: true }))), unavailable("options.ipv6Only"));
    assert.is(shown(thrown(() => v6.listen({ port: 0, ipv6Only: true }))), unavailable("options.ipv6Only"));
    assert.is(v6.listening, false);
    return;
  }
  v6.listen({ port: 0, host: "::", ipv6Only: true });
  await once(v6, "listening");
  const port = portOf(v6);
  const events: string[] = [];
  const v4 = createServer((s) => {
    events.push(`v4 got ${s.remoteAddress}`);
    s.destroy();
  });
  v6.on("connection", (s) => {
    events.push(`v6 got ${s.remoteAddress}`);
    s.destroy();
  });
  v4.listen(port, "0.0.0.0");
  await once(v4, "listening");
  await connectMany(port, 1);
  assert.equal(events, ["v4 got 127.0.0.1"]);
  await close(v4);
  await close(v6);
});

test("ipv6Only is ignored for an IPv4 address, as Node does", async () => {
  const server = createServer();
  server.listen({ port: 0, host: "127.0.0.1", ipv6Only: true });
  await once(server, "listening");
  assert.is((server.address() as AddressInfo).family, "IPv4");
  await close(server);
});

test("reusePort: several servers listen on one port where the runtime can (or a clear error)", async () => {
  const a = createServer((s) => s.destroy());
  if (!adapter.capabilities.reusePort) {
    assert.is(
      shown(thrown(() => a.listen({ port: 0, host: "127.0.0.1", reusePort: true }))),
      unavailable("options.reusePort"),
    );
    assert.is(a.listening, false);
    return;
  }
  a.listen({ port: 0, host: "127.0.0.1", reusePort: true });
  await once(a, "listening");
  const port = portOf(a);
  const b = createServer((s) => s.destroy());
  b.listen({ port, host: "127.0.0.1", reusePort: true });
  await once(b, "listening");
  assert.equal(b.address(), { address: "127.0.0.1", family: "IPv4", port });
  // A third listener without reusePort is refused, as on Node.
  const c = createServer();
  c.listen({ port, host: "127.0.0.1" });
  const [err] = await once<[Error]>(c, "error").catch((e) => [e]);
  assert.equal(errorFields(err), {
    name: "Error",
    message: `listen EADDRINUSE: address already in use 127.0.0.1:${port}`,
    code: "EADDRINUSE",
    errno: -98,
    syscall: "listen",
    address: "127.0.0.1",
    port,
  });
  let accepted = 0;
  a.on("connection", () => accepted++);
  b.on("connection", () => accepted++);
  await connectMany(port, 6);
  assert.is(accepted, 6);
  await close(a);
  await close(b);
});

test("exclusive is accepted (there is no cluster: every listener is exclusive)", async () => {
  const server = createServer();
  server.listen({ port: 0, host: "127.0.0.1", exclusive: true });
  await once(server, "listening");
  assert.is(server.listening, true);
  await close(server);
});

test("signal already aborted: the server closes before 'listening'", async () => {
  for (const host of ["127.0.0.1", "localhost"]) {
    const server = createServer();
    const events: string[] = [];
    for (const name of ["listening", "close", "error"]) server.on(name, () => events.push(name));
    server.listen({ port: 0, host, signal: AbortSignal.abort() }, () => events.push("callback"));
    await once(server, "close");
    assert.equal(events, ["close"], `host ${host}`);
    assert.is(server.listening, false);
  }
});

test("signal aborted while listening closes the server", async () => {
  const controller = new AbortController();
  const server = createServer();
  const events: string[] = [];
  for (const name of ["listening", "close", "error"]) server.on(name, () => events.push(name));
  server.listen({ port: 0, host: "127.0.0.1", signal: controller.signal });
  await once(server, "listening");
  controller.abort();
  assert.is(server.listening, false);
  await once(server, "close");
  assert.equal(events, ["listening", "close"]);
  controller.abort();
});

test.run();
