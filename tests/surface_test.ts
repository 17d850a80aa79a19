// The surface differential: every export of node:net, and every property a Socket or a
// Server has in each phase (new, connecting, connected, accepted, closed; listening),
// exists on omninet with the same kind of value, on the runtime's adapter and on a memory
// network. The reference is Node 24's node:net (tests/surface/expected.json).
import { suite } from "uvu";
import * as assert from "uvu/assert";
import net from "../mod.ts";
import { createNet } from "../src/net.ts";
import { createMemoryAdapter } from "../adapters/memory/mod.ts";
import { probeSurface, surfaceDifferences } from "./surface/_probe.ts";
import { readExpectedSurface } from "./surface/_fixture.ts";
import { runtime } from "./_util.ts";

const expected = readExpectedSurface();
const test = suite(`surface: omninet on ${runtime} against node:net ${expected.recordedWith}`);

test("the fixture lists the module, Socket and Server in every phase", () => {
  assert.equal(Object.keys(expected.surface).sort(), [
    "Server: closed",
    "Server: listening",
    "Server: new",
    "Socket: accepted",
    "Socket: closed",
    "Socket: connected",
    "Socket: connecting",
    "Socket: new",
    "exports",
  ]);
});

test(`omninet on ${runtime}'s adapter has node:net's surface`, async () => {
  const differences = surfaceDifferences(expected.surface, await probeSurface(net));
  assert.equal(differences, [], "properties missing or of another kind");
});

test("omninet on a memory network has node:net's surface", async () => {
  const memoryNet = { ...createNet(createMemoryAdapter()), Stream: undefined as unknown };
  memoryNet.Stream = memoryNet.Socket;
  const actual = await probeSurface(memoryNet);
  // The memory API object is not the module: only the classes' surface is compared here.
  delete (expected.surface as Record<string, unknown>).exports;
  delete (actual as Record<string, unknown>).exports;
  assert.equal(surfaceDifferences(expected.surface, actual), [], "properties missing or of another kind");
});

// Values Node 24's node:net gives for the legacy members (checked there by hand; the
// kinds above are checked mechanically).
test("Server._connectionKey names the address asked for, as Node's (port as given)", async () => {
  const keys: string[] = [];
  for (const args of [[0], [0, "127.0.0.1"], [{ port: 0, host: "::1" }]] as unknown[][]) {
    const server = net.createServer();
    (server.listen as (...a: unknown[]) => unknown)(...args);
    await new Promise((resolve) => server.once("listening", resolve));
    keys.push((server as unknown as { _connectionKey: string })._connectionKey);
    await new Promise((resolve) => server.close(resolve));
  }
  assert.equal(keys, ["6::::0", "4:127.0.0.1:0", "6:::1:0"]);
});

test("_handle is null before connect, an object while open, null after close", async () => {
  const server = net.createServer((peer) => peer.end());
  server.listen(0, "127.0.0.1");
  await new Promise((resolve) => server.once("listening", resolve));
  const socket = new net.Socket();
  const seen: string[] = [String((socket as unknown as { _handle: unknown })._handle)];
  socket.connect((server.address() as { port: number }).port, "127.0.0.1");
  const handle = () => typeof (socket as unknown as { _handle: unknown })._handle;
  seen.push(handle());
  await new Promise((resolve) => socket.once("connect", resolve));
  seen.push(handle(), String(socket.bufferSize));
  socket.resume();
  await new Promise((resolve) => socket.once("close", resolve));
  seen.push(String((socket as unknown as { _handle: unknown })._handle), String(socket.bufferSize));
  await new Promise((resolve) => server.close(resolve));
  assert.equal(seen, ["null", "object", "object", "0", "null", "undefined"]);
});

test("net.Socket(), net.Server() and net.Stream() work without new", () => {
  const callable = net as unknown as { Socket(): unknown; Server(): unknown; Stream(): unknown };
  const socket = callable.Socket();
  const stream = callable.Stream();
  assert.ok(socket instanceof net.Socket && stream instanceof net.Socket);
  assert.ok(callable.Server() instanceof net.Server);
  assert.is(net.Stream, net.Socket);
  class Mine extends net.Socket {}
  assert.ok(new Mine() instanceof net.Socket);
});

test.run();
