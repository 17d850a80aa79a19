// The memory network's kernel, where the differential scenarios cannot show it:
//
// - A write the kernel's buffers take at once is reported at once: libuv's uv_try_write,
//   which makes node:net's write(1 MiB) return true with no 'drain'. Checked at the adapter
//   contract (a `done` inside `write`), as node:net on Node 24 measured on Linux loopback:
//   8 × 1 MiB to a paused TCP peer, writes 0-2 are taken at once; over a Unix socket
//   4 × 100,000 B, writes 0-1.
// - Empty writes after the peer closed fail EPIPE as node:net's (Deno and Bun never pass an
//   empty write to their sockets, so these scenarios are not in the shared differential).
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { setImmediate } from "node:timers";
import { createMemoryAdapter } from "../adapters/memory/mod.ts";
import type { ConnectOptions, ConnSink, ListenOptions, RawConn } from "../src/contract.ts";
import { createNet } from "../mod.ts";
import { type NetLike, runScenario } from "./diff/scenarios.ts";
import { emptyWriteScenarios } from "./diff/scenarios_memory_kernel.ts";

const test = suite("memory kernel");

const turn = () => new Promise((resolve) => setImmediate(resolve));

function sink(over: Partial<ConnSink> = {}): ConnSink {
  return { onConnect() {}, onData() {}, onEnd() {}, onError() {}, onClose() {}, ...over };
}

/** A connected pair on a fresh network: the client's conn and the accepted one (not reading). */
async function pair(unix: boolean): Promise<{ client: RawConn; server: RawConn; received: () => number }> {
  const memory = createMemoryAdapter();
  let received = 0;
  let server: RawConn | undefined;
  const at: ListenOptions = unix
    ? { path: "/tmp/kernel.sock", backlog: 511, readableAll: false, writableAll: false }
    : { host: "127.0.0.1", port: 7000, family: 4, backlog: 511, ipv6Only: false, reusePort: false };
  memory.listen(at, {
    onListening() {},
    onError(err) {
      throw err;
    },
    onConnection(conn) {
      server = conn;
      return sink({ onData: (chunk) => received += chunk.byteLength });
    },
  });
  const to: ConnectOptions = unix ? { path: "/tmp/kernel.sock" } : { host: "127.0.0.1", port: 7000, family: 4 };
  let connected = false;
  const client = memory.connect(to, sink({ onConnect: () => connected = true }));
  for (let i = 0; i < 100 && !(connected && server); i++) await turn();
  assert.ok(connected && server, "connected");
  return { client, server: server!, received: () => received };
}

/** Write `count` chunks of `size` bytes, one `write` each: which were reported inside `write`. */
function writeAll(conn: RawConn, size: number, count: number): { atOnce: number[]; later: number[] } {
  const atOnce: number[] = [];
  const later: number[] = [];
  for (let i = 0; i < count; i++) {
    let inside = true;
    conn.write([new Uint8Array(size)], (err, accepted) => {
      assert.is(err ?? undefined, undefined);
      assert.is(accepted, 1);
      (inside ? atOnce : later).push(i);
    });
    inside = false;
  }
  return { atOnce, later };
}

for (const [unix, size, count, taken] of [[false, 1024 * 1024, 8, 3], [true, 100_000, 4, 2]] as const) {
  const what = unix ? "Unix socket" : "TCP";
  test(`${what}: ${count} × ${size} B to a paused peer: the first ${taken} reported at once, the rest as it reads`, async () => {
    const { client, server, received } = await pair(unix);
    const { atOnce, later } = writeAll(client, size, count);
    assert.equal(atOnce, [...Array(taken).keys()], "taken at once");
    for (let i = 0; i < 20; i++) await turn();
    assert.equal(later, [], "nothing more while the peer does not read");
    server.readStart();
    for (let i = 0; i < 10_000 && later.length < count - taken; i++) await turn();
    assert.equal(later, [...Array(count).keys()].slice(taken), "the rest as the peer reads");
    for (let i = 0; i < 10_000 && received() < size * count; i++) await turn();
    assert.is(received(), size * count);
    client.close();
    server.close();
  });
}

// node:net's traces on Node 24 (tests/diff/scenarios_memory_kernel.ts records them so).
const emptyWrites: Record<string, Record<string, string[]>> = {
  "kernel: tcp: an empty write after the first with bytes fails EPIPE": {
    client: ['connectionAttempt("127.0.0.1", <port>, 4)', "connect", "ready", "close(false)"],
    peer: ["end", 'error(<Error code=EPIPE errno=-32 syscall=write "write EPIPE">)', "close(true)", "bytesWritten=100"],
    "peer writes": ["write 0 (0 B) callback(ok)", "write 1 (100 B) callback(ok)", "write 2 (0 B) callback(EPIPE)"],
  },
  "kernel: unix: an empty write to a closed peer fails EPIPE too": {
    client: ["connect", "ready", "close(false)"],
    peer: ["end", 'error(<Error code=EPIPE errno=-32 syscall=write "write EPIPE">)', "close(true)", "bytesWritten=0"],
    "peer writes": ["write 0 (0 B) callback(EPIPE)"],
  },
};

for (const scenario of emptyWriteScenarios) {
  test(scenario.name, async () => {
    const traces = await runScenario(createNet(createMemoryAdapter()) as unknown as NetLike, scenario);
    assert.equal(traces, emptyWrites[scenario.name]);
  });
}

test.run();
