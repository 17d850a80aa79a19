// The adapter contract suite (src/contract.ts): drives a RuntimeAdapter directly, with no
// Socket or Server in between, so what it checks is the adapter's own behaviour. Every
// adapter runs it (tests/adapter_contract_test.ts); a new adapter is proven by it.
// Loopback only; every wait is bounded.
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { join } from "node:path";
import type {
  ConnSink,
  ListenerSink,
  ListenOptions,
  RawAddress,
  RawConn,
  RawListener,
  RuntimeAdapter,
} from "../src/contract.ts";
import { errnoOf } from "../src/errors/system_errors.ts";
import { GuardedConn } from "../src/_reentry.ts";
import { delay, tempDir, within } from "./_util.ts";

/** Options for {@link adapterContractSuite}. */
export interface ContractSuiteOptions {
  /** How long the adapter may take to settle (no more events) after readStop, in ms. @default 50 */
  settleMs?: number;
}

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** A ConnSink that records what the adapter calls: `connect`, `data`, `end`, `error:CODE`, `close`. */
export class Recorder implements ConnSink {
  /** The calls in order; consecutive `data` calls are one entry (chunking is the runtime's). */
  readonly events: string[] = [];
  readonly chunks: Uint8Array[] = [];
  readonly errors: Error[] = [];
  #waiters: (() => void)[] = [];

  onConnect(): void {
    this.#push("connect");
  }

  onData(chunk: Uint8Array): void {
    this.chunks.push(chunk);
    this.#push("data");
  }

  onEnd(): void {
    this.#push("end");
  }

  onError(err: Error): void {
    this.errors.push(err);
    this.#push(`error:${(err as { code?: string }).code}`);
  }

  onClose(): void {
    this.#push("close");
  }

  /** Every byte received, as text. */
  text(): string {
    let size = 0;
    for (const c of this.chunks) size += c.byteLength;
    const all = new Uint8Array(size);
    let at = 0;
    for (const c of this.chunks) {
      all.set(c, at);
      at += c.byteLength;
    }
    return decoder.decode(all);
  }

  /** Resolves once `ready()` holds (checked after every call), within `ms`. */
  until(ready: () => boolean, what: string, ms = 5000): Promise<void> {
    if (ready()) return Promise.resolve();
    return within(
      new Promise<void>((resolve) => {
        const check = () => {
          if (!ready()) return false;
          resolve();
          return true;
        };
        this.#waiters.push(() => void check());
      }),
      ms,
      what,
    );
  }

  /** Resolves once `event` was recorded. */
  seen(event: string, ms?: number): Promise<void> {
    return this.until(() => this.events.includes(event), `${event} (events so far: ${this.events.join(", ")})`, ms);
  }

  #push(event: string): void {
    if (event !== "data" || this.events[this.events.length - 1] !== "data") this.events.push(event);
    for (const wake of this.#waiters.slice()) wake();
  }
}

/** A listener and the connections it accepted, each with its recorder. */
interface Served {
  listener: RawListener;
  events: string[];
  errors: Error[];
  accepted: { conn: RawConn; rec: Recorder }[];
  /** Resolves with the next accepted connection not yet taken. */
  accept(): Promise<{ conn: RawConn; rec: Recorder }>;
  /** Resolves once listening (rejects on a listen error). */
  listening: Promise<void>;
}

/**
 * What a test does inside `onConnection`, with the new connection, its recorder (the sink
 * returned) and the adapter's `attach`, if it passed one.
 */
type Inside = (conn: RawConn, rec: Recorder, attach: ((sink: ConnSink) => void) | undefined) => void;

function serve(adapter: RuntimeAdapter, options: ListenOptions, inside?: Inside): Served {
  const events: string[] = [];
  const errors: Error[] = [];
  const accepted: { conn: RawConn; rec: Recorder }[] = [];
  const wakers: (() => void)[] = [];
  let taken = 0;
  let listened!: () => void;
  let failed!: (err: Error) => void;
  const listening = new Promise<void>((resolve, reject) => {
    listened = resolve;
    failed = reject;
  });
  listening.catch(() => {});
  const sink: ListenerSink = {
    onListening() {
      events.push("listening");
      listened();
    },
    onConnection(conn, attach) {
      // Nothing is called on `conn` before the sink is returned (the contract's rule), but
      // by `inside` after `attach`.
      const rec = new Recorder();
      inside?.(conn, rec, attach);
      accepted.push({ conn, rec });
      events.push("connection");
      for (const wake of wakers.splice(0)) wake();
      return rec;
    },
    onError(err) {
      errors.push(err);
      events.push(`error:${(err as { code?: string }).code}`);
      failed(err);
    },
  };
  const listener = adapter.listen(options, sink);
  return {
    listener,
    events,
    errors,
    accepted,
    listening,
    accept() {
      const n = ++taken;
      return within(
        new Promise((resolve) => {
          const check = () => {
            if (accepted.length >= n) resolve(accepted[n - 1]);
            else wakers.push(check);
          };
          check();
        }),
        5000,
        `connection ${n}`,
      );
    },
  };
}

/** Resolves once `ready()` holds, polled every few milliseconds, within 5 s. */
async function eventually(ready: () => boolean, what: string): Promise<void> {
  const until = Date.now() + 5000;
  while (!ready()) {
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await delay(5);
  }
}

function tcp(port = 0): ListenOptions {
  return { host: "127.0.0.1", port, family: 4, backlog: 511, ipv6Only: false, reusePort: false };
}

function portOf(address: RawAddress | undefined): number {
  assert.ok(address && "port" in address, `an inet address: ${JSON.stringify(address)}`);
  return (address as { port: number }).port;
}

/** A `done`'s argument that reports success: `undefined` or `null`. */
function noError(err: Error | null | undefined): void {
  assert.ok(err == null, `no error: ${err}`);
}

/** Close a listener; resolves when its `done` ran. */
function closeListener(listener: RawListener): Promise<void> {
  return within(new Promise<void>((resolve) => listener.close(resolve)), 5000, "listener close(done)");
}

/**
 * write() as a promise of its outcome: the error, or null once every chunk was reported
 * accepted; `calls` counts the calls that end it (a call after the end counts too).
 */
function written(conn: RawConn, text: string | string[], calls = { n: 0 }): Promise<Error | null | undefined> {
  const chunks = (Array.isArray(text) ? text : [text]).map((t) => encoder.encode(t));
  let accepted = 0;
  let over = false;
  return within(
    new Promise((resolve) =>
      conn.write(chunks, (err, n) => {
        accepted += n;
        if (err || accepted >= chunks.length || over) {
          calls.n++;
          over = true;
          resolve(err ?? (accepted === chunks.length ? null : new Error(`accepted ${accepted} of ${chunks.length}`)));
        }
      })
    ),
    5000,
    "write done",
  );
}

function shutDown(conn: RawConn): Promise<Error | null | undefined> {
  return within(new Promise((resolve) => conn.shutdown(resolve)), 5000, "shutdown done");
}

/** What a test opened, closed after it (also when it failed). */
const registered: { conns: RawConn[]; listeners: RawListener[] } = { conns: [], listeners: [] };

/** A connected pair over TCP on 127.0.0.1: our client end and the accepted end. */
async function pair(adapter: RuntimeAdapter) {
  const served = serve(adapter, tcp());
  registered.listeners.push(served.listener);
  await within(served.listening, 5000, "listening");
  const port = portOf(served.listener.address());
  const client = new Recorder();
  const conn = adapter.connect({ host: "127.0.0.1", port, family: 4 }, client);
  registered.conns.push(conn);
  await client.seen("connect");
  const server = await served.accept();
  registered.conns.push(server.conn);
  return { served, port, client, conn, server };
}

/** Run the contract suite on `adapter`, as the suite `title`. */
export function adapterContractSuite(
  title: string,
  adapter: RuntimeAdapter,
  options: ContractSuiteOptions = {},
): void {
  const settle = options.settleMs ?? 50;
  const caps = adapter.capabilities;
  const test = suite(title);
  const open = registered;
  test.after.each(() => {
    for (const c of open.conns.splice(0)) c.close();
    for (const l of open.listeners.splice(0)) l.close(() => {});
  });

  test("listen on 127.0.0.1:0: onListening, address() names the chosen port; close(done) releases it", async () => {
    const served = serve(adapter, tcp());
    open.listeners.push(served.listener);
    await within(served.listening, 5000, "listening");
    const address = served.listener.address();
    assert.equal(address, { address: "127.0.0.1", family: "IPv4", port: portOf(address) });
    assert.ok(portOf(address) > 0);
    assert.equal(served.events, ["listening"]);
    let dones = 0;
    await within(new Promise<void>((resolve) => served.listener.close(() => (dones++, resolve()))), 5000, "close");
    served.listener.close(() => dones++); // idempotent: done again, nothing else
    await delay(settle);
    assert.is(dones, 2);
    assert.equal(served.events, ["listening"]);
  });

  test("connect: onConnect on the client, onConnection on the listener; addresses match across the pair", async () => {
    const p = await pair(adapter);
    assert.equal(p.client.events, ["connect"]);
    assert.equal(p.server.rec.events, [], "an accepted connection gets no onConnect");
    assert.equal(p.served.events, ["listening", "connection"]);
    const clientLocal = p.conn.localAddress();
    assert.equal(p.conn.remoteAddress(), { address: "127.0.0.1", family: "IPv4", port: p.port });
    assert.equal(clientLocal, { address: "127.0.0.1", family: "IPv4", port: portOf(clientLocal) });
    assert.equal(p.server.conn.localAddress(), { address: "127.0.0.1", family: "IPv4", port: p.port });
    assert.equal(p.server.conn.remoteAddress(), clientLocal);
  });

  test("onConnection's attach: the sink first, then calls made inside onConnection take effect", async () => {
    // An adapter with syncWrite passes attach, or a write in 'connection' waits where
    // node:net's completes inside write() (src/contract.ts, ListenerSink.onConnection).
    let passed = false;
    const dones: string[] = [];
    const served = serve(adapter, tcp(), (conn, rec, attach) => {
      if (attach === undefined) return;
      passed = true;
      attach(rec);
      conn.setNoDelay(true);
      conn.readStart();
      conn.write([encoder.encode("hi")], (err, n) => dones.push(`write ${err ?? null} ${n}`));
      conn.shutdown((err) => dones.push(`shutdown ${err ?? null}`));
    });
    open.listeners.push(served.listener);
    await within(served.listening, 5000, "listening");
    const client = new Recorder();
    const conn = adapter.connect({ host: "127.0.0.1", port: portOf(served.listener.address()), family: 4 }, client);
    open.conns.push(conn);
    await client.seen("connect");
    const server = await served.accept();
    open.conns.push(server.conn);
    assert.is(passed, caps.syncWrite === true, "attach is passed where writes are taken at once");
    if (!passed) return;
    conn.readStart();
    await client.seen("end");
    assert.is(client.text(), "hi");
    await eventually(() => dones.length === 2, "the write's and the shutdown's done");
    assert.equal(dones, ["write null 1", "shutdown null"]);
    noError(await written(conn, "back"));
    await server.rec.until(() => server.rec.text() === "back", "back (read started inside onConnection)");
  });

  test("write + done: bytes arrive in order; no onData before readStart; done once, without error", async () => {
    const p = await pair(adapter);
    const calls = { n: 0 };
    noError(await written(p.conn, ["hel", "lo", " ", "world"], calls));
    await delay(settle);
    assert.equal(p.server.rec.events, [], "nothing delivered before readStart");
    p.server.conn.readStart();
    await p.server.rec.until(() => p.server.rec.text() === "hello world", "hello world");
    assert.is(calls.n, 1);
    assert.equal(p.server.rec.events, ["data"]);
  });

  test("write: done reports the chunks accepted, in order; close() fails the rest with ECANCELED, once", async () => {
    const p = await pair(adapter); // the accepted end never reads: the kernel's buffers fill
    const chunks = Array.from({ length: 256 }, () => new Uint8Array(64 * 1024));
    const reports: [string | undefined, number][] = [];
    p.conn.write(chunks, (err, n) => reports.push([(err as { code?: string } | null | undefined)?.code, n]));
    // An adapter may report chunk by chunk, or take the batch as one request (libuv's
    // writev, as node:net's), which reports nothing before its end: the close cuts it off.
    await delay(settle * 2);
    p.conn.close();
    await p.client.seen("close");
    const accepted = reports.reduce((sum, [, n]) => sum + n, 0);
    assert.ok(accepted < chunks.length, `${accepted} of ${chunks.length} chunks accepted`);
    assert.ok(reports.slice(0, -1).every(([code, n]) => code === undefined && n > 0), JSON.stringify(reports));
    assert.equal(reports[reports.length - 1], ["ECANCELED", 0], "the write cut off by close()");
  });

  test("readStop: once settled, no onData until readStart; then the held bytes come, unchanged", async () => {
    const p = await pair(adapter);
    p.server.conn.readStart();
    await written(p.conn, "one");
    await p.server.rec.until(() => p.server.rec.text() === "one", "one");
    p.server.conn.readStop();
    await delay(settle);
    const before = p.server.rec.text();
    await written(p.conn, "two");
    await delay(settle * 2);
    assert.is(p.server.rec.text(), before, "no onData while stopped");
    p.server.conn.readStart();
    await p.server.rec.until(() => p.server.rec.text() === "onetwo", "onetwo");
  });

  test("shutdown: the peer gets onEnd and can still send back (half-open); each side closes once", async () => {
    if (!caps.halfOpen) return;
    const p = await pair(adapter);
    p.conn.readStart();
    p.server.conn.readStart();
    noError(await written(p.conn, "request"));
    noError(await shutDown(p.conn));
    await p.server.rec.seen("end");
    assert.equal(p.server.rec.events, ["data", "end"]);
    assert.is(p.server.rec.text(), "request");
    noError(await written(p.server.conn, "response"));
    noError(await shutDown(p.server.conn));
    await p.client.seen("end");
    assert.is(p.client.text(), "response");
    p.conn.close();
    p.server.conn.close();
    await p.client.seen("close");
    await p.server.rec.seen("close");
    await delay(settle);
    assert.equal(p.client.events, ["connect", "data", "end", "close"]);
    assert.equal(p.server.rec.events, ["data", "end", "close"]);
  });

  test("close() is idempotent and leads to exactly one onClose; the peer sees onEnd", async () => {
    const p = await pair(adapter);
    p.server.conn.readStart();
    p.conn.close();
    p.conn.close();
    await p.client.seen("close");
    p.conn.close();
    await p.server.rec.seen("end");
    p.server.conn.close();
    p.server.conn.reset();
    await p.server.rec.seen("close");
    await delay(settle);
    assert.equal(p.client.events, ["connect", "close"]);
    assert.equal(p.server.rec.events, ["end", "close"]);
  });

  test("reset(): the peer gets ECONNRESET; one onClose on each side", async () => {
    if (!caps.reset) return;
    const p = await pair(adapter);
    p.conn.readStart();
    p.server.conn.reset();
    await p.server.rec.seen("close");
    await p.client.seen("error:ECONNRESET");
    const err = p.client.errors[0] as Error & Record<string, unknown>;
    assert.is(err.code, "ECONNRESET");
    assert.is(err.errno, errnoOf(adapter.platform, "ECONNRESET"));
    assert.is(err.syscall, "read");
    p.conn.close(); // as the core does after onError
    await p.client.seen("close");
    await delay(settle);
    assert.equal(p.client.events, ["connect", "error:ECONNRESET", "close"]);
    assert.equal(p.server.rec.events, ["close"]);
  });

  test("connect to a closed port: onError is ECONNREFUSED with Node's fields; close() gives one onClose", async () => {
    const served = serve(adapter, tcp());
    await within(served.listening, 5000, "listening");
    const port = portOf(served.listener.address());
    await closeListener(served.listener);
    const rec = new Recorder();
    const conn = adapter.connect({ host: "127.0.0.1", port, family: 4 }, rec);
    open.conns.push(conn);
    await rec.seen("error:ECONNREFUSED");
    const err = rec.errors[0] as Error & Record<string, unknown>;
    assert.equal(
      { code: err.code, errno: err.errno, syscall: err.syscall, address: err.address, port: err.port },
      {
        code: "ECONNREFUSED",
        errno: errnoOf(adapter.platform, "ECONNREFUSED"),
        syscall: "connect",
        address: "127.0.0.1",
        port,
      },
    );
    assert.is(err.message, `connect ECONNREFUSED 127.0.0.1:${port}`);
    conn.close();
    conn.close();
    await rec.seen("close");
    await delay(settle);
    assert.equal(rec.events, ["error:ECONNREFUSED", "close"]);
  });

  test("listen on a port in use: onError EADDRINUSE (no onListening)", async () => {
    const first = serve(adapter, tcp());
    await within(first.listening, 5000, "listening");
    open.listeners.push(first.listener);
    const port = portOf(first.listener.address());
    const second = serve(adapter, tcp(port));
    open.listeners.push(second.listener);
    await within(second.listening.then(() => {}, () => {}), 5000, "second listen settles");
    assert.equal(second.events, ["error:EADDRINUSE"]);
    const err = second.errors[0] as Error & Record<string, unknown>;
    assert.is(err.code, "EADDRINUSE");
    assert.is(err.errno, errnoOf(adapter.platform, "EADDRINUSE"));
  });

  test("Unix socket: listen on a path, connect, addresses are { path }, bytes both ways", async () => {
    if (!caps.unix) return;
    const dir = tempDir();
    try {
      const path = join(dir.path, "contract.sock");
      const served = serve(adapter, { path, backlog: 511, readableAll: false, writableAll: false });
      open.listeners.push(served.listener);
      await within(served.listening, 5000, "listening");
      assert.equal(served.listener.address(), { path });
      const client = new Recorder();
      const conn = adapter.connect({ path }, client);
      open.conns.push(conn);
      await client.seen("connect");
      const server = await served.accept();
      open.conns.push(server.conn);
      assert.equal(conn.remoteAddress(), { path });
      assert.equal(server.conn.localAddress(), { path });
      assert.equal(server.conn.remoteAddress(), { path: "" });
      conn.readStart();
      server.conn.readStart();
      await written(conn, "ping");
      await server.rec.until(() => server.rec.text() === "ping", "ping");
      await written(server.conn, "pong");
      await client.until(() => client.text() === "pong", "pong");
      conn.close();
      await client.seen("close");
      await closeListener(served.listener);
    } finally {
      dir.cleanup();
    }
  });

  test("lookup('localhost') resolves loopback addresses as { address, family }", async () => {
    const addresses = await within(adapter.lookup("localhost", { family: 0, hints: {} }), 5000, "lookup");
    assert.ok(addresses.length > 0);
    for (const a of addresses) {
      assert.ok(a.family === 4 || a.family === 6, `family ${a.family}`);
      assert.ok(a.address === "127.0.0.1" || a.address === "::1", `loopback: ${a.address}`);
    }
    const v4 = await within(adapter.lookup("localhost", { family: 4, hints: {} }), 5000, "lookup v4");
    assert.equal(v4, [{ address: "127.0.0.1", family: 4 }]);
  });

  test("ref()/unref(), setNoDelay()/setKeepAlive() can be called on connections and listeners", async () => {
    const p = await pair(adapter);
    for (const conn of [p.conn, p.server.conn]) {
      conn.unref();
      conn.ref();
      conn.setNoDelay(true);
      conn.setNoDelay(false);
      conn.setKeepAlive(true, 1000);
      conn.setKeepAlive(false, 0);
    }
    p.served.listener.unref();
    p.served.listener.ref();
    await delay(settle);
    assert.equal(p.client.events, ["connect"]);
    assert.equal(p.server.rec.events, []);
  });

  test("behind the core's guard, no sink call or done runs inside a call made on the connection", async () => {
    // The adapter may call sinks synchronously; GuardedConn (src/_reentry.ts) defers them.
    let inside = 0;
    const violations: string[] = [];
    const order: string[] = [];
    const watch = (rec: Recorder, side: string): ConnSink => ({
      onConnect: () => (inside && violations.push(`${side} onConnect`), rec.onConnect()),
      onData: (c) => (inside && violations.push(`${side} onData`), rec.onData(c)),
      onEnd: () => (inside && violations.push(`${side} onEnd`), rec.onEnd()),
      onError: (e) => (inside && violations.push(`${side} onError`), rec.onError(e)),
      onClose: () => (inside && violations.push(`${side} onClose`), rec.onClose()),
    });
    const call = (fn: () => void) => {
      inside++;
      try {
        fn();
      } finally {
        inside--;
      }
    };
    const serverRec = new Recorder();
    let serverConn!: GuardedConn;
    const served = serve(adapter, tcp());
    open.listeners.push(served.listener);
    await within(served.listening, 5000, "listening");
    const port = portOf(served.listener.address());
    const client = new Recorder();
    let conn!: GuardedConn;
    call(() => conn = GuardedConn.connect(adapter, { host: "127.0.0.1", port, family: 4 }, watch(client, "client")));
    open.conns.push(conn);
    await client.seen("connect");
    const accepted = await served.accept();
    // Re-wrap the accepted connection as the Server does (its recorder forwards to ours).
    const guardSink = GuardedConn.accept(accepted.conn, (g) => {
      serverConn = g;
      g.attach(watch(serverRec, "server"));
    });
    accepted.rec.onData = (c) => guardSink.onData(c);
    accepted.rec.onEnd = () => guardSink.onEnd();
    accepted.rec.onError = (e) => guardSink.onError(e);
    accepted.rec.onClose = () => guardSink.onClose();
    open.conns.push(serverConn);
    call(() => conn.readStart());
    call(() => serverConn.readStart());
    call(() =>
      serverConn.write([encoder.encode("a")], () => {
        order.push("done a");
        call(() => serverConn.write([encoder.encode("b")], () => order.push("done b")));
      })
    );
    await client.until(() => client.text() === "ab", "ab");
    await eventually(() => order.length === 2, "both dones");
    call(() => conn.write([encoder.encode("x")], () => order.push("done x")));
    await serverRec.seen("data");
    call(() => conn.shutdown(() => order.push("done shutdown")));
    await serverRec.seen("end");
    call(() => serverConn.close());
    call(() => serverConn.close());
    call(() => conn.close());
    await serverRec.seen("close");
    await client.seen("close");
    await eventually(() => order.length === 4, "all dones");
    assert.equal(violations, []);
    assert.equal(order, ["done a", "done b", "done x", "done shutdown"]);
    assert.equal(serverRec.events, ["data", "end", "close"]);
    assert.equal(client.events, ["connect", "data", "close"]);
  });

  test.run();
}
