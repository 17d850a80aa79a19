// A Socket's life: destroy(err), destroySoon(), resetAndDestroy() (RST), writes after end
// or destroy, errors after destroy, and ref()/unref() checked in a child process.
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { Buffer } from "node:buffer";
import net, { detectAdapter, type Socket } from "../mod.ts";
import {
  assertResetUnavailable,
  close,
  listen,
  once,
  runFixture,
  sweep,
  tempDir,
  thrown,
  trace,
  track,
  within,
} from "./_util.ts";

const test = suite("Socket lifecycle");
test.after.each(sweep);

const EVENTS = ["connect", "end", "finish", "error", "close"];

/** Wait (bounded) for 'close', whatever errors come first. */
function closed(socket: Socket): Promise<unknown> {
  return within(new Promise((resolve) => socket.once("close", resolve)), 5000, "'close'");
}

/** A server whose first accepted socket is traced; resolves it with its trace. */
async function tracedPeer(onPeer: (s: Socket) => void = (s) => s.resume()) {
  let resolve!: (v: { socket: Socket; log: string[]; closed: Promise<unknown> }) => void;
  const peer = new Promise<{ socket: Socket; log: string[]; closed: Promise<unknown> }>((r) => resolve = r);
  const server = track(net.createServer((s) => {
    const log = trace(s, ["data", ...EVENTS]);
    onPeer(s);
    resolve({ socket: s, log, closed: closed(s) });
  }));
  const port = await listen(server);
  return { server, port, peer };
}

test("resetAndDestroy(): the peer sees ECONNRESET; the resetting side closes without error", async () => {
  const adapter = detectAdapter();
  if (!adapter.capabilities.reset) {
    // No RST on this runtime: resetAndDestroy() refuses with a clear error instead.
    await assertResetUnavailable(net, adapter.name);
    return;
  }
  const { server, port, peer } = await tracedPeer();
  const client = track(net.connect(port, "127.0.0.1"));
  const clientLog = trace(client, EVENTS);
  const { socket, log, closed: peerClosed } = await peer;
  client.write("x");
  await once(socket, "data");
  client.resetAndDestroy();
  await closed(client);
  await peerClosed;
  assert.equal(clientLog, ["connect", "close(false)"]);
  assert.equal(log, ["data", "error(ECONNRESET)", "close(true)"], "the peer must see the RST");
  await close(server);
});

test("resetAndDestroy() on a Unix socket throws ERR_INVALID_HANDLE_TYPE", async () => {
  const dir = tempDir();
  const path = `${dir.path}/s.sock`;
  const server = track(net.createServer((s) => s.resume()));
  server.listen(path);
  await once(server, "listening");
  const client = track(net.connect(path));
  await once(client, "connect");
  const err = thrown(() => client.resetAndDestroy());
  assert.equal([err.name, err.code, err.message], [
    "TypeError",
    "ERR_INVALID_HANDLE_TYPE",
    "This handle type cannot be sent",
  ]);
  client.destroy();
  await closed(client);
  await close(server);
  dir.cleanup();
});

test("destroy(err): 'error' then 'close(true)'; later errors and destroys are not emitted", async () => {
  const { server, port } = await tracedPeer();
  const client = track(net.connect(port, "127.0.0.1"));
  const log = trace(client, EVENTS);
  await once(client, "connect");
  const mine = Object.assign(new Error("mine"), { code: "EMINE" });
  client.destroy(mine);
  client.destroy(new Error("second"));
  assert.is(client.destroyed, true);
  const [err] = await within(new Promise<unknown[]>((r) => client.once("error", (...a) => r(a))), 5000, "'error'");
  assert.is(err, mine);
  await closed(client);
  assert.equal(log, ["connect", "error(EMINE)", "close(true)"]);
  await close(server);
});

test("destroySoon(): queued bytes arrive, then both sides close", async () => {
  const received: Buffer[] = [];
  const { server, port, peer } = await tracedPeer((s) => s.on("data", (d: Buffer) => received.push(d)));
  const client = track(net.connect(port, "127.0.0.1"));
  const log = trace(client, EVENTS);
  client.write(Buffer.alloc(300_000, 7));
  client.destroySoon();
  await closed(client);
  await (await peer).closed;
  assert.is(Buffer.concat(received).length, 300_000);
  assert.equal(log, ["connect", "finish", "close(false)"]);
  await close(server);
});

test("write after destroy: the callback gets ERR_STREAM_DESTROYED and no 'error' is emitted", async () => {
  const { server, port } = await tracedPeer();
  const client = track(net.connect(port, "127.0.0.1"));
  const log = trace(client, EVENTS);
  await once(client, "connect");
  client.destroy();
  const cbErr = await within(
    new Promise<Error & { code?: string }>((r) => client.write("x", (e) => r(e!))),
    5000,
    "write callback",
  );
  assert.equal([cbErr.code, cbErr.message], ["ERR_STREAM_DESTROYED", "Cannot call write after a stream was destroyed"]);
  await closed(client);
  assert.equal(log, ["connect", "close(false)"]);
  await close(server);
});

test("write after end(): ERR_STREAM_WRITE_AFTER_END as 'error' and in the callback", async () => {
  const { server, port } = await tracedPeer();
  const client = track(net.connect(port, "127.0.0.1"));
  const log = trace(client, EVENTS);
  await once(client, "connect");
  client.end();
  let cbErr: (Error & { code?: string }) | null | undefined;
  assert.is(client.write("x", (e) => cbErr = e), false);
  client.resume();
  await closed(client);
  assert.equal([cbErr?.code, cbErr?.message], ["ERR_STREAM_WRITE_AFTER_END", "write after end"]);
  assert.equal(log.slice(0, 2), ["connect", "error(ERR_STREAM_WRITE_AFTER_END)"]);
  assert.is(log.at(-1), "close(true)");
  await close(server);
});

async function unrefFixture(mode: string): Promise<{ stdout: string; code: number | null; killed: boolean }> {
  const server = track(net.createServer((s) => s.resume()));
  const port = await listen(server);
  const result = await runFixture("socket_unref", [mode, String(port)], 15_000);
  await close(server);
  return result;
}

for (
  const [mode, what, out] of [
    ["after", "unref() once connected", "connected\n"],
    ["before", "unref() before connect(): it connects first", "connected\n"],
    ["paused", "a paused socket, unref()'d once connected", "connected\n"],
    ["timer", "an unref()'d socket with an idle timeout", "connected\n"],
    ["idle", "a never-connected socket's idle timer", "idle\n"],
    ["ref", "unref() then ref(): the socket keeps it alive until destroyed", "connected\nstill alive\n"],
  ]
) {
  test(`ref/unref in a child process: ${what}`, async () => {
    const result = await unrefFixture(mode);
    assert.is(result.killed, false, `the ${mode} fixture did not exit by itself:\n${result.stdout}`);
    assert.equal([result.code, result.stdout], [0, out]);
  });
}

test.run();
