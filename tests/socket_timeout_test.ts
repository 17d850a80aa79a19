// socket.setTimeout(): the idle timer lives in the core, fires 'timeout' without closing,
// is restarted by reads and writes, cleared by setTimeout(0) and by destroy, and never keeps
// the process alive (see the `idle`/`timer` fixtures in socket_lifecycle_test.ts).
import { suite } from "uvu";
import * as assert from "uvu/assert";
import net, { type Socket } from "../mod.ts";
import { close, delay, listen, once, sweep, thrown, trace, track, within } from "./_util.ts";

const test = suite("Socket setTimeout");
test.after.each(sweep);

function closed(socket: Socket): Promise<unknown> {
  return within(new Promise((resolve) => socket.once("close", resolve)), 5000, "'close'");
}

async function connected(onPeer: (s: Socket) => void = (s) => s.resume()) {
  const server = track(net.createServer(onPeer));
  const port = await listen(server);
  const client = track(net.connect(port, "127.0.0.1"));
  await once(client, "connect");
  return { server, client };
}

test("'timeout' fires after the idle period, once, and the socket stays open", async () => {
  const { server, client } = await connected();
  const log = trace(client, ["timeout", "end", "close"]);
  let calls = 0;
  const same = client.setTimeout(20, () => calls++);
  assert.is(same, client);
  assert.is(client.timeout, 20);
  await once(client, "timeout");
  await delay(60);
  assert.is(calls, 1, "the callback is a once listener");
  assert.is(client.destroyed, false);
  assert.is(client.writable, true);
  client.end();
  client.resume();
  await closed(client);
  assert.equal(log.slice(0, 1), ["timeout"]);
  assert.is(log.at(-1), "close(false)");
  await close(server);
});

test("reads and writes restart the idle timer", async () => {
  const { server, client } = await connected((s) => s.pipe(s));
  const events: string[] = [];
  client.on("timeout", () => events.push("timeout"));
  client.on("data", () => events.push("data"));
  client.setTimeout(300);
  // Activity every 20 ms for 200 ms keeps the timer from firing...
  for (let i = 0; i < 10; i++) {
    client.write(".");
    await delay(20);
  }
  assert.ok(!events.includes("timeout"), `no timeout while active: ${events.join(" ")}`);
  // ...and idleness lets it fire.
  await once(client, "timeout");
  client.destroy();
  await closed(client);
  await close(server);
});

test("setTimeout(0) disables the timer and removes its callback; timeout keeps the value", async () => {
  const { server, client } = await connected();
  assert.is(client.timeout, undefined);
  const cb = () => {};
  client.setTimeout(20, cb);
  assert.is(client.listenerCount("timeout"), 1);
  client.setTimeout(0, cb);
  assert.is(client.listenerCount("timeout"), 0);
  assert.is(client.timeout, 0);
  let fired = false;
  client.on("timeout", () => fired = true);
  await delay(80);
  assert.is(fired, false);
  client.destroy();
  await closed(client);
  await close(server);
});

test("destroy() stops the timer; setTimeout() on a destroyed socket does nothing", async () => {
  const { server, client } = await connected();
  let fired = false;
  client.on("timeout", () => fired = true);
  client.setTimeout(20);
  client.destroy();
  client.setTimeout(10);
  assert.is(client.timeout, 20);
  await closed(client);
  await delay(60);
  assert.is(fired, false);
  await close(server);
});

test("connect({ timeout }) arms the timer before connecting", async () => {
  const server = track(net.createServer((s) => s.resume()));
  const port = await listen(server);
  // Wide enough that a loaded machine still connects first.
  const client = track(net.connect({ port, host: "127.0.0.1", timeout: 250 }));
  assert.is(client.timeout, 250);
  const log = trace(client, ["connect", "timeout", "close"]);
  await once(client, "timeout");
  client.destroy();
  await closed(client);
  assert.equal(log, ["connect", "timeout", "close(false)"]);
  await close(server);
});

test("setTimeout argument errors are Node's", () => {
  const s = track(new net.Socket());
  assert.is(
    thrown(() => s.setTimeout(-1)).message,
    'The value of "msecs" is out of range. It must be a non-negative finite number. Received -1',
  );
  assert.is(
    thrown(() => s.setTimeout("1" as unknown as number)).message,
    "The \"msecs\" argument must be of type number. Received type string ('1')",
  );
  assert.is(
    thrown(() => s.setTimeout(1, "cb" as unknown as () => void)).message,
    "The \"callback\" argument must be of type function. Received type string ('cb')",
  );
});

test.run();
