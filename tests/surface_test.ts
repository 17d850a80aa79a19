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

test.run();
