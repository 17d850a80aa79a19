// The built npm package as Node resolves it: run only by scripts/_distribution.ts, on
// Node 20 and 24, from .build-npm/esm/ where `omninet` is a link to npm/ (not by the
// per-runtime suite, which lists tests/*_test.ts only). The rest of the suite runs against
// the package there too; this file checks what only a package has: export conditions,
// subpaths, and the CommonJS build loaded with require().
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { createRequire } from "node:module";
import { Duplex } from "node:stream";
import { Buffer } from "node:buffer";
import { close, listen, once } from "../_util.ts";

type Omninet = typeof import("../../mod.ts");
type NodeAdapterModule = typeof import("../../adapters/node/mod.ts");

const require = createRequire(import.meta.url);
const test = suite("npm package");

test("import 'omninet' resolves through the node condition to esm/runtime/node.js", () => {
  assert.ok(import.meta.resolve("omninet").endsWith("/npm/esm/runtime/node.js"), import.meta.resolve("omninet"));
});

test("require('omninet') resolves through the node condition to script/runtime/node.js", () => {
  assert.ok(require.resolve("omninet").endsWith("/npm/script/runtime/node.js"), require.resolve("omninet"));
});

test("every adapter subpath resolves for import and require", () => {
  for (const name of ["node", "deno", "bun"]) {
    assert.ok(import.meta.resolve(`omninet/adapters/${name}`).endsWith(`/npm/esm/adapters/${name}/mod.js`));
    assert.ok(require.resolve(`omninet/adapters/${name}`).endsWith(`/npm/script/adapters/${name}/mod.js`));
  }
});

test("deep imports outside exports are refused", () => {
  assert.throws(() => require.resolve("omninet/esm/src/socket.js"), (err: Error & { code?: string }) => {
    return err.code === "ERR_PACKAGE_PATH_NOT_EXPORTED";
  });
});

test("import and require expose the same names, and both pick the node adapter", async () => {
  const esm: Omninet = await import("omninet" as string);
  const cjs: Omninet = require("omninet");
  assert.equal(Object.keys(cjs).sort(), Object.keys(esm).sort());
  assert.equal(Object.keys(cjs.default).sort(), Object.keys(esm.default).sort());
  assert.is(esm.detectAdapter().name, "node");
  assert.is(cjs.detectAdapter().name, "node");
});

test("require('omninet'): an echo over 127.0.0.1 through the CommonJS build", async () => {
  const net: Omninet = require("omninet");
  const server = net.createServer((s) => s.pipe(s));
  const port = await listen(server);
  const client = net.connect(port, "127.0.0.1");
  assert.ok(client instanceof Duplex);
  assert.ok(client instanceof net.Socket);
  const chunks: Buffer[] = [];
  client.on("data", (d: Buffer) => chunks.push(d));
  await once(client, "connect");
  client.end("hello over require");
  await once(client, "close");
  assert.is(Buffer.concat(chunks).toString(), "hello over require");
  await close(server);
});

test("require('omninet'): a refused connect is Node's ECONNREFUSED error", async () => {
  const net: Omninet = require("omninet");
  const server = net.createServer();
  const port = await listen(server);
  await close(server);
  const client = net.connect(port, "127.0.0.1");
  const [err] = await once<[Error & { code?: string; syscall?: string }]>(client, "error");
  assert.is(err.code, "ECONNREFUSED");
  assert.is(err.syscall, "connect");
  assert.is(err.message, `connect ECONNREFUSED 127.0.0.1:${port}`);
});

test("require('omninet/adapters/node') with createNet binds the API to that adapter", async () => {
  const { createNet }: Omninet = require("omninet");
  const { adapter }: NodeAdapterModule = require("omninet/adapters/node");
  const net = createNet(adapter);
  assert.is(net.adapter.name, "node");
  const server = net.createServer((s) => s.end("bound"));
  const port = await listen(server);
  const client = net.connect(port, "127.0.0.1");
  const chunks: Buffer[] = [];
  client.on("data", (d: Buffer) => chunks.push(d));
  await once(client, "close");
  assert.is(Buffer.concat(chunks).toString(), "bound");
  await close(server);
});

// An app that both imports and requires the package loads two copies of it (the ES module
// and the CommonJS build); they must behave as one omninet per process.
test("import and require in one process: a BlockList or SocketAddress of one copy is one to the other", async () => {
  const esm: Omninet = await import("omninet" as string);
  const cjs: Omninet = require("omninet");
  assert.is.not(esm.BlockList, cjs.BlockList, "two copies, or this test proves nothing");
  const list = new esm.BlockList();
  list.addAddress("127.0.0.1");
  assert.ok(cjs.BlockList.isBlockList(list));
  assert.ok(esm.BlockList.isBlockList(new cjs.BlockList()));
  assert.not.ok(cjs.BlockList.isBlockList(Object.create(esm.BlockList.prototype)));
  assert.ok(cjs.SocketAddress.isSocketAddress(new esm.SocketAddress()));
  assert.not.ok(cjs.SocketAddress.isSocketAddress(Object.create(esm.SocketAddress.prototype)));
  const subnet = new cjs.BlockList();
  subnet.addSubnet(new esm.SocketAddress({ address: "2001:db8::", family: "ipv6" }), 32, "ipv6");
  assert.ok(subnet.check(new esm.SocketAddress({ address: "2001:db8::7", family: "ipv6" })));
  assert.not.ok(subnet.check(new esm.SocketAddress({ address: "2001:db9::7", family: "ipv6" })));
  assert.equal(subnet.rules, ["Subnet: IPv6 2001:db8::/32"]);

  // The import's BlockList as the require'd client's and server's options.blockList.
  const server = esm.createServer((s) => s.end());
  const port = await listen(server);
  const client = cjs.connect({ port, host: "127.0.0.1", blockList: list });
  const [err] = await once<[Error & { code?: string }]>(client, "error");
  assert.is(err.code, "ERR_IP_BLOCKED");
  await close(server);
  const accepted: string[] = [];
  const guarded = cjs.createServer({ blockList: list }, (s) => accepted.push(String(s.remoteAddress)));
  assert.is(guarded.blockList, list);
  const guardedPort = await listen(guarded);
  const peer = esm.connect(guardedPort, "127.0.0.1");
  peer.resume();
  await once(peer, "close");
  assert.equal(accepted, []);
  await close(guarded);
});

test("import and require in one process: the Happy Eyeballs defaults set through one are the other's", async () => {
  const esm: Omninet = await import("omninet" as string);
  const cjs: Omninet = require("omninet");
  const before = [esm.getDefaultAutoSelectFamily(), esm.getDefaultAutoSelectFamilyAttemptTimeout()] as const;
  try {
    esm.setDefaultAutoSelectFamily(false);
    assert.is(cjs.getDefaultAutoSelectFamily(), false);
    cjs.setDefaultAutoSelectFamily(true);
    assert.is(esm.getDefaultAutoSelectFamily(), true);
    cjs.setDefaultAutoSelectFamilyAttemptTimeout(400);
    assert.is(esm.getDefaultAutoSelectFamilyAttemptTimeout(), 400);
  } finally {
    esm.setDefaultAutoSelectFamily(before[0]);
    esm.setDefaultAutoSelectFamilyAttemptTimeout(before[1]);
  }
});

test.run();
