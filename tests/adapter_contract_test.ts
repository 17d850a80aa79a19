// The adapter contract suite (tests/_contract_suite.ts) on the running runtime's own
// adapter and on the memory adapter; then the core's re-entrancy guard on an adapter that
// calls every sink and done synchronously.
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { detectAdapter } from "../mod.ts";
import { createMemoryAdapter } from "../adapters/memory/mod.ts";
import { nodeNetAdapter } from "../adapters/node/mod.ts";
import { handlesAdapter } from "../adapters/deno/mod.ts";
import type { ConnSink, RawConn, RuntimeAdapter, WriteDone } from "../src/contract.ts";
import { GuardedConn } from "../src/_reentry.ts";
import { adapterContractSuite } from "./_contract_suite.ts";

const own = detectAdapter();
const memoryPlatform = createMemoryAdapter().platform;
adapterContractSuite(`adapter contract: ${own.name}`, own);
// Node's fallback where process.binding is refused (the permission model): node:net sockets.
if (own.name === "node" && own !== nodeNetAdapter) {
  adapterContractSuite("adapter contract: node (node:net)", nodeNetAdapter);
}
adapterContractSuite("adapter contract: memory", createMemoryAdapter());

// Deno's opt-in adapter over its own libuv-style handles.
if (own.name === "deno" && own !== handlesAdapter) {
  adapterContractSuite("adapter contract: deno (handles)", handlesAdapter);
}

const test = suite("re-entrancy guard (src/_reentry.ts)");

/** An adapter whose connection calls its sink synchronously inside every call. */
function eagerAdapter(log: string[]): RuntimeAdapter {
  return {
    name: "eager",
    capabilities: {
      unix: false,
      halfOpen: true,
      noDelay: true,
      keepAlive: true,
      keepAliveDelay: true,
      reusePort: false,
      ipv6Only: false,
      reset: true,
      localBind: false,
    },
    platform: memoryPlatform,
    emitWarning: () => {},
    connect(_options, sink: ConnSink): RawConn {
      sink.onConnect(); // inside connect()
      const enc = new TextEncoder();
      const conn: RawConn = {
        readStart: () => sink.onData(enc.encode("x")),
        readStop: () => {},
        write: (chunks, done) => (done(null, chunks.length), sink.onData(enc.encode("echo"))),
        shutdown: (done) => (done(), sink.onEnd()),
        close: () => sink.onClose(),
        reset: () => sink.onClose(),
        setNoDelay: () => {},
        setKeepAlive: () => {},
        ref: () => {},
        unref: () => {},
        localAddress: () => undefined,
        remoteAddress: () => undefined,
      };
      log.push("connect returns");
      return conn;
    },
    listen: () => {
      throw new Error("not used");
    },
    lookup: () => Promise.resolve([]),
  };
}

test("sink calls made inside core calls run after them, in the order made; after close only dones and onClose", async () => {
  const log: string[] = [];
  let depth = 0;
  const sink: ConnSink = {
    onConnect: () => log.push(`connect${depth ? " INSIDE" : ""}`),
    onData: (c) => log.push(`data ${new TextDecoder().decode(c)}${depth ? " INSIDE" : ""}`),
    onEnd: () => log.push(`end${depth ? " INSIDE" : ""}`),
    onError: (e) => log.push(`error ${e.message}`),
    onClose: () => log.push(`close${depth ? " INSIDE" : ""}`),
  };
  const inside = (fn: () => void) => {
    depth++;
    try {
      fn();
    } finally {
      depth--;
    }
  };
  let conn!: GuardedConn;
  inside(() => conn = GuardedConn.connect(eagerAdapter(log), { host: "127.0.0.1", port: 1, family: 4 }, sink));
  inside(() => conn.readStart());
  inside(() => conn.write([new Uint8Array(1)], () => log.push(`done${depth ? " INSIDE" : ""}`)));
  log.push("sync end");
  await Promise.resolve();
  inside(() => conn.shutdown(() => log.push("shutdown done")));
  inside(() => conn.close()); // the onEnd waiting is dropped; the done and onClose are not
  inside(() => conn.close());
  await new Promise((resolve) => setTimeout(resolve, 0));
  assert.equal(log, [
    "connect returns",
    "sync end",
    "connect",
    "data x",
    "done",
    "data echo",
    "shutdown done",
    "close",
  ]);
});

test("a write's done inside its own write reaches the core at once, after the adapter's write returned", async () => {
  const log: string[] = [];
  let inAdapter = false;
  let core = false;
  const sink: ConnSink = {
    onConnect: () => log.push("connect"),
    onData: (c) => log.push(`data ${new TextDecoder().decode(c)}${core ? " INSIDE" : ""}`),
    onEnd: () => {},
    onError: () => {},
    onClose: () => log.push("close"),
  };
  let sinkOf!: ConnSink;
  let earlier: WriteDone | null = null;
  const adapter: RuntimeAdapter = {
    ...eagerAdapter(log),
    connect(_options, s: ConnSink): RawConn {
      sinkOf = s;
      return {
        ...eagerAdapter(log).connect(_options, { ...s, onConnect: () => {}, onData: () => {} }),
        write: (chunks, done) => {
          inAdapter = true;
          if (chunks[0].byteLength === 2) earlier = done; // "in flight": reported later
          else {
            earlier?.(null, 1); // another write's done, made inside this one: waits
            done(null, 1);
            s.onData(new TextEncoder().encode("echo"));
          }
          inAdapter = false;
        },
        close: () => s.onClose(),
      };
    },
  };
  const conn = GuardedConn.connect(adapter, { host: "127.0.0.1", port: 1, family: 4 }, sink);
  sinkOf.onConnect();
  const write = (n: number) => {
    core = true;
    conn.write(
      [new Uint8Array(n)],
      (err, accepted) =>
        log.push(`done ${n} ${err ?? null} ${accepted}${core ? " INSIDE" : ""}${inAdapter ? " IN ADAPTER" : ""}`),
    );
    core = false;
  };
  write(1);
  log.push("after write 1");
  write(2);
  write(3);
  log.push("after write 3");
  await Promise.resolve();
  await Promise.resolve();
  assert.equal(log, [
    "connect returns",
    "connect",
    "done 1 null 1 INSIDE",
    "after write 1",
    "after write 3",
    "data echo",
    "done 2 null 1",
    "done 3 null 1", // behind write 2's done, made before it
    "data echo",
  ]);
});

/** An accepted connection whose every call is logged, and whose writes are taken at once. */
function loggedConn(log: string[]): RawConn {
  return {
    readStart: () => log.push("readStart"),
    readStop: () => log.push("readStop"),
    write: (chunks, done) => (log.push(`write ${chunks.length}`), done(null, chunks.length)),
    shutdown: (done) => (log.push("shutdown"), done()),
    close: () => log.push("close"),
    reset: () => log.push("reset"),
    setNoDelay: (on) => log.push(`setNoDelay ${on}`),
    setKeepAlive: (on) => log.push(`setKeepAlive ${on}`),
    ref: () => log.push("ref"),
    unref: () => log.push("unref"),
    localAddress: () => undefined,
    remoteAddress: () => undefined,
  };
}

const quietSink: ConnSink = { onConnect() {}, onData() {}, onEnd() {}, onError() {}, onClose() {} };

test("accepting with the adapter's attach: the sink first, then the core's calls reach the connection at once", async () => {
  const log: string[] = [];
  let attached: ConnSink | undefined;
  const returned = GuardedConn.accept(loggedConn(log), (conn) => {
    log.push(`taking, attached: ${attached !== undefined}`);
    conn.attach(quietSink);
    conn.setNoDelay(true);
    conn.readStart();
    conn.write([new Uint8Array(1)], (err, n) => log.push(`done ${err ?? null} ${n}`));
    conn.shutdown(() => log.push("shutdown done"));
    log.push("taken");
  }, (sink) => attached = sink);
  log.push("accepted");
  assert.is(returned, attached, "attach got the sink onConnection returns");
  await Promise.resolve();
  await Promise.resolve();
  assert.equal(log, [
    "taking, attached: true",
    "setNoDelay true",
    "readStart",
    "write 1",
    "done null 1", // inside the core's write, as node:net's try_write
    "shutdown",
    "taken",
    "accepted",
    "shutdown done",
  ]);
});

test("accepting without attach: the core's calls wait until onConnection returned, in order", async () => {
  const log: string[] = [];
  GuardedConn.accept(loggedConn(log), (conn) => {
    conn.attach(quietSink);
    conn.readStart();
    conn.write([new Uint8Array(1)], (err, n) => log.push(`done ${err ?? null} ${n}`));
    conn.close();
    log.push("taken");
  });
  log.push("accepted");
  await Promise.resolve();
  await Promise.resolve();
  assert.equal(log, ["taken", "accepted", "readStart", "write 1", "done null 1", "close"]);
});

test.run();
