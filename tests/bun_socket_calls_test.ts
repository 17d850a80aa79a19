// The calls the Bun adapter's connection makes on its Bun socket, on a fake socket (so the
// test runs on every runtime): Node's defaults (TCP_NODELAY off, nothing read before the core
// reads) reach the socket without calls a core that reads and configures at once would undo
// (an accepted socket paused then resumed, TCP_NODELAY turned off then on again).
import { suite } from "uvu";
import * as assert from "uvu/assert";
import type { BunSocket } from "../adapters/bun/_bun_types.ts";
import { BunRawConn } from "../adapters/bun/conn.ts";
import type { ConnSink } from "../src/contract.ts";

const test = suite("Bun adapter: calls on the Bun socket");

/** A Bun socket that logs the calls that change it, and takes every write whole. */
function fakeSocket(log: string[]): BunSocket<BunRawConn> {
  return {
    data: undefined as unknown as BunRawConn,
    write: (data: Uint8Array, offset = 0, length = data.byteLength - offset) => {
      log.push(`write ${length}`);
      return length;
    },
    end: () => log.push("end"),
    shutdown: () => log.push("shutdown"),
    terminate: () => log.push("terminate"),
    pause: () => log.push("pause"),
    resume: () => log.push("resume"),
    setNoDelay: (on?: boolean) => (log.push(`setNoDelay ${on}`), true),
    setKeepAlive: () => true,
    ref: () => log.push("ref"),
    unref: () => log.push("unref"),
    readyState: 1,
    localAddress: "127.0.0.1",
    localPort: 1,
    remoteAddress: "127.0.0.1",
    remotePort: 2,
  } as BunSocket<BunRawConn>;
}

const sink: ConnSink = { onConnect() {}, onData() {}, onEnd() {}, onError() {}, onClose() {} };

/**
 * Accept a TCP socket as the listener does: `inside` is what the core does inside
 * onConnection (Bun's `open` handler), then the handler ends (`settle`).
 */
function accepted(inside: (conn: BunRawConn) => void): { conn: BunRawConn; log: string[] } {
  const log: string[] = [];
  const conn = BunRawConn.accept(fakeSocket(log), null);
  conn.setSink(sink);
  inside(conn);
  log.push("open handler returns");
  conn.settle();
  return { conn, log };
}

test("an echo server's socket (setNoDelay(true) and readStart in 'connection') gets no call", () => {
  const { log } = accepted((conn) => {
    conn.setNoDelay(true);
    conn.readStart();
  });
  assert.equal(log, ["open handler returns"]);
});

test("a socket read at once gets Node's TCP_NODELAY off, and no pause", () => {
  const { log } = accepted((conn) => conn.readStart());
  assert.equal(log, ["open handler returns", "setNoDelay false"]);
});

test("a socket the core does not read yet (pauseOnConnect) is paused once the handler returns", () => {
  const { conn, log } = accepted(() => {});
  assert.equal(log, ["open handler returns", "setNoDelay false", "pause"]);
  conn.readStart();
  assert.equal(log.slice(3), ["resume"]);
});

test("a write in 'connection' goes out with TCP_NODELAY off (Nagle on), as on Node", () => {
  const { log } = accepted((conn) => {
    conn.readStart();
    conn.write([new Uint8Array(3)], () => {});
  });
  assert.equal(log, ["setNoDelay false", "write 3", "open handler returns"]);
});

test("setNoDelay after the handler reaches the socket at once, and only when it changes", () => {
  const { conn, log } = accepted((conn) => conn.readStart());
  conn.setNoDelay(true);
  conn.setNoDelay(true);
  conn.setNoDelay(false);
  assert.equal(log, ["open handler returns", "setNoDelay false", "setNoDelay true", "setNoDelay false"]);
});

test("a Unix socket gets no TCP_NODELAY call", () => {
  const log: string[] = [];
  const conn = BunRawConn.accept(fakeSocket(log), "/tmp/omninet-fake.sock");
  conn.setSink(sink);
  conn.setNoDelay(true);
  conn.readStart();
  conn.settle();
  conn.write([new Uint8Array(1)], () => {});
  assert.equal(log, ["write 1"]);
});

test.run();
