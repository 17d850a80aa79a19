// Helpers shared by the behaviour suites: every wait is bounded, every server is on
// loopback, and traces record events exactly as they happen.
import type { EventEmitter } from "node:events";
import type { Duplex, Writable } from "node:stream";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { AddressInfo, Server } from "../mod.ts";

/** Which runtime runs this file: node, deno or bun. */
export const runtime: string = "Bun" in globalThis ? "bun" : "Deno" in globalThis ? "deno" : "node";

/** Reject after `ms` with a message naming what was awaited. */
export function within<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: ReturnType<typeof setTimeout>;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms waiting for ${what}`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/** Resolve with the arguments of the next `event` (rejects on `'error'` unless awaited). */
export function once<T extends unknown[] = unknown[]>(
  emitter: EventEmitter,
  event: string,
  ms = 5000,
): Promise<T> {
  return within(
    new Promise<T>((resolve, reject) => {
      const onEvent = (...args: unknown[]) => {
        emitter.off("error", onError);
        resolve(args as T);
      };
      const onError = (err: Error) => {
        emitter.off(event, onEvent);
        reject(err);
      };
      emitter.once(event, onEvent);
      if (event !== "error") emitter.once("error", onError);
    }),
    ms,
    `'${event}'`,
  );
}

/** Listen on loopback (port 0) and resolve with the port. */
export async function listen(server: Server, host = "127.0.0.1"): Promise<number> {
  server.listen(0, host);
  await once(server, "listening");
  return (server.address() as AddressInfo).port;
}

/** Close a server and wait for `'close'` (bounded). */
export async function close(server: Server, ms = 5000): Promise<void> {
  const closed = once(server, "close", ms);
  server.close();
  await closed;
}

/** Record the named events of an emitter as strings: `close(false)`, `error(ECONNREFUSED)`. */
export function trace(emitter: EventEmitter, events: string[]): string[] {
  const log: string[] = [];
  for (const name of events) {
    emitter.on(name, (...args: unknown[]) => {
      const shown = args.map((a) =>
        a instanceof Error ? (a as { code?: string }).code ?? a.name : typeof a === "object" ? "…" : String(a)
      );
      log.push(name === "data" ? "data" : `${name}${args.length ? `(${shown.join(",")})` : ""}`);
    });
  }
  return log;
}

/** A fresh temporary directory for Unix sockets; `cleanup()` removes it. */
export function tempDir(): { path: string; cleanup(): void } {
  const path = mkdtempSync(join(tmpdir(), "omninet-"));
  return { path, cleanup: () => rmSync(path, { recursive: true, force: true }) };
}

/**
 * Unix socket paths in a fresh temporary directory per test of `test`: the directory is
 * made before each test and removed after it (after `sweep()` closed what the test left).
 * Returns `path(name?)`: a new socket path in the current test's directory.
 */
export function socketPaths(test: HookedSuite): (name?: string) => string {
  let dir: { path: string; cleanup(): void } | undefined;
  let n = 0;
  test.before.each(() => {
    dir = tempDir();
  });
  test.after.each(() => {
    sweep();
    dir?.cleanup();
  });
  return (name = `s${++n}.sock`) => join(dir!.path, name);
}

/** The hooks of a uvu suite that {@link socketPaths} uses. */
export interface HookedSuite {
  before: { each(fn: () => void): void };
  after: { each(fn: () => void): void };
}

/**
 * The receiving end of a bulk transfer, as a connection listener: keeps every chunk, pauses
 * once for 100 ms after a quarter of `size` arrived, and resolves `ended` at the peer's
 * FIN (rejects on the socket's error).
 */
export function pausingReceiver(size: number): {
  onConnection(socket: Duplex): void;
  received: Uint8Array[];
  ended: Promise<void>;
  pausedAt(): number;
} {
  const received: Uint8Array[] = [];
  let total = 0;
  let pausedAt = -1;
  let settle!: { resolve(): void; reject(err: Error): void };
  const ended = new Promise<void>((resolve, reject) => settle = { resolve, reject });
  const onConnection = (s: Duplex) => {
    s.on("data", (d: Uint8Array) => {
      received.push(d);
      total += d.length;
      if (pausedAt < 0 && total > size / 4) {
        pausedAt = total;
        s.pause();
        setTimeout(() => s.resume(), 100);
      }
    });
    s.on("end", () => settle.resolve());
    s.on("error", (err: Error) => settle.reject(err));
  };
  return { onConnection, received, ended, pausedAt: () => pausedAt };
}

/**
 * Write `data` in 64 KiB chunks as a well-behaved producer (wait for `'drain'` whenever
 * `write()` returns false, calling `onFull`), then `end()`.
 */
export function writeInChunks(writer: Writable, data: Uint8Array, onFull?: () => void): void {
  let offset = 0;
  const pump = () => {
    while (offset < data.length) {
      const chunk = data.subarray(offset, offset + 65536);
      offset += chunk.length;
      if (!writer.write(chunk)) {
        onFull?.();
        writer.once("drain", pump);
        return;
      }
    }
    writer.end();
  };
  pump();
}

/** Deterministic bytes: a pattern that makes reordering or loss visible. */
export function pattern(size: number, seed = 7): Uint8Array {
  const out = new Uint8Array(size);
  let x = seed;
  for (let i = 0; i < size; i++) {
    x = (x * 1103515245 + 12345) >>> 0;
    out[i] = x >>> 24;
  }
  return out;
}

/** Wait `ms` milliseconds. */
export function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** The Node fields of an error, as plain data: `{ name, code, errno, syscall, address, port, message }`. */
export function errorFields(err: unknown): Record<string, unknown> {
  const e = err as Error & Record<string, unknown>;
  const out: Record<string, unknown> = { name: e.name, message: e.message };
  for (const key of ["code", "errno", "syscall", "address", "port", "hostname"]) {
    if (e[key] !== undefined) out[key] = e[key];
  }
  return out;
}

/** Call `fn` and return what it threw (fails the test when it returns). */
export function thrown(fn: () => unknown): Error & Record<string, unknown> {
  try {
    fn();
  } catch (err) {
    return err as Error & Record<string, unknown>;
  }
  throw new Error("expected a throw");
}

/** What a fixture process did: its exit code, signal and output. */
export interface FixtureResult {
  code: number | null;
  signal: string | null;
  stdout: string;
  stderr: string;
  /** True when it did not exit within the bound and was killed. */
  killed: boolean;
}

/**
 * Run `tests/fixtures/<name>` on the runtime running this test (Node runs the compiled
 * `.build/` copy beside this file), wait at most `ms` for it to exit by itself, and kill it
 * otherwise.
 */
export async function runFixture(name: string, args: string[] = [], ms = 10_000): Promise<FixtureResult> {
  const { spawn } = await import("node:child_process");
  const { default: process } = await import("node:process");
  const { fileURLToPath } = await import("node:url");
  const ext = import.meta.url.endsWith(".js") ? ".js" : ".ts";
  const script = fileURLToPath(new URL(`./fixtures/${name}${ext}`, import.meta.url));
  const runtimeArgs = runtime === "deno" ? ["run", "-A", script] : runtime === "bun" ? ["run", script] : [script];
  const child = spawn(process.execPath, [...runtimeArgs, ...args], { stdio: ["ignore", "pipe", "pipe"] });
  let stdout = "";
  let stderr = "";
  child.stdout!.on("data", (d: Uint8Array) => stdout += new TextDecoder().decode(d));
  child.stderr!.on("data", (d: Uint8Array) => stderr += new TextDecoder().decode(d));
  let killed = false;
  const timer = setTimeout(() => {
    killed = true;
    child.kill("SIGKILL");
  }, ms);
  const [code, signal] = await new Promise<[number | null, string | null]>((resolve) => {
    child.on("close", (c: number | null, s: string | null) => resolve([c, s]));
  });
  clearTimeout(timer);
  return { code, signal, stdout, stderr, killed };
}

const opened = new Set<EventEmitter>();

/**
 * Remember a server or socket (and every socket a server accepts) so `sweep()` can close
 * it: a failing test must not leave anything that keeps the process alive.
 */
export function track<T extends EventEmitter>(item: T): T {
  opened.add(item);
  if ("listening" in item) item.on("connection", (socket: EventEmitter) => opened.add(socket));
  return item;
}

/**
 * `createServer` and `connect` of `net` with every server and socket they make tracked,
 * so an `after.each(sweep)` closes whatever a failing test left open.
 */
export function tracking<N extends TrackableNet>(net: N): Pick<N, "createServer" | "connect"> {
  return {
    createServer: ((...args: unknown[]) => track(net.createServer(...args))) as N["createServer"],
    connect: ((...args: unknown[]) => track(net.connect(...args))) as N["connect"],
  };
}

/** The part of a `net` API that {@link tracking} wraps. */
export interface TrackableNet {
  // deno-lint-ignore no-explicit-any
  createServer(...args: any[]): EventEmitter;
  // deno-lint-ignore no-explicit-any
  connect(...args: any[]): EventEmitter;
}

/** Destroy every tracked socket; close and unref every tracked server. For `after.each`. */
export function sweep(): void {
  for (const item of opened) {
    const it = item as EventEmitter & { listening?: boolean; close?(): void; unref?(): void; destroy?(): void };
    if (typeof it.destroy === "function") {
      it.destroy();
    } else {
      if (it.listening) it.close?.();
      it.unref?.();
    }
  }
  opened.clear();
}

// ---- Adapter wrappers for Socket tests: createNet() over the running runtime's adapter
// ---- with chosen members replaced (hanging connects, call spies).
import { createNet, detectAdapter, type Net } from "../mod.ts";
import type { ConnSink, RawConn, RuntimeAdapter } from "../src/contract.ts";

/** The running runtime's adapter with members replaced by `patch`, bound to a fresh API. */
export function netWith(patch: (base: RuntimeAdapter) => Partial<RuntimeAdapter>): Net {
  const base = detectAdapter();
  // A patched connect or listen makes connections of its own: they keep none of the base
  // adapter's promises about when they call the core (no guard-free or close-phase path).
  const { reentrySafe: _r, closePhase: _c, ...capabilities } = base.capabilities;
  const wrapped: RuntimeAdapter = {
    name: base.name,
    capabilities,
    platform: base.platform,
    emitWarning: (message, options) => base.emitWarning(message, options),
    connect: (options, sink) => base.connect(options, sink),
    listen: (options, sink) => base.listen(options, sink),
    lookup: (hostname, options) => base.lookup(hostname, options),
    ...patch(base),
  };
  return createNet(wrapped);
}

/** A RawConn whose connect never completes (a SYN into the void); close() ends it. */
export function hangingConn(sink: ConnSink): RawConn {
  let closed = false;
  const close = () => {
    if (closed) return;
    closed = true;
    setTimeout(() => sink.onClose(), 0);
  };
  const fail = (done: (err?: Error | null) => void) => setTimeout(() => done(new Error("not connected")), 0);
  return {
    readStart() {},
    readStop() {},
    write: (_chunks, done) => fail((err) => done(err, 0)),
    shutdown: (done) => fail(done),
    close,
    reset: close,
    setNoDelay() {},
    setKeepAlive() {},
    ref() {},
    unref() {},
    localAddress: () => undefined,
    remoteAddress: () => undefined,
  };
}

/** Forward every call to `inner`, logging it into `calls` (`write(3 chunks, 12 bytes)` …). */
export function spyConn(inner: RawConn, calls: string[]): RawConn {
  return {
    readStart: () => (calls.push("readStart"), inner.readStart()),
    readStop: () => (calls.push("readStop"), inner.readStop()),
    write: (chunks, done) => {
      const bytes = chunks.reduce((n, c) => n + c.byteLength, 0);
      calls.push(`write(${chunks.length} chunks, ${bytes} bytes)`);
      inner.write(chunks, done);
    },
    shutdown: (done) => (calls.push("shutdown"), inner.shutdown(done)),
    close: () => (calls.push("close"), inner.close()),
    reset: () => (calls.push("reset"), inner.reset()),
    setNoDelay: (on) => (calls.push(`setNoDelay(${on})`), inner.setNoDelay(on)),
    setKeepAlive: (on, ms) => (calls.push(`setKeepAlive(${on}, ${ms})`), inner.setKeepAlive(on, ms)),
    ref: () => (calls.push("ref"), inner.ref()),
    unref: () => (calls.push("unref"), inner.unref()),
    localAddress: () => inner.localAddress(),
    remoteAddress: () => inner.remoteAddress(),
  };
}

import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";

/**
 * The path of a non-TypeScript file of the source tree (`tests/diff/expected.json`, a
 * Python fixture …) from wherever the running test was compiled to (`.build/`,
 * `.build-npm/suite-esm/` …): the nearest directory above this file that holds it.
 */
export function sourceFile(relative: string): string {
  let dir = new URL(".", import.meta.url);
  for (let i = 0; i < 12; i++) {
    const candidate = new URL(relative, dir);
    if (existsSync(candidate)) return fileURLToPath(candidate);
    const parent = new URL("..", dir);
    if (parent.href === dir.href) break;
    dir = parent;
  }
  throw new Error(`${relative} not found above ${import.meta.url}`);
}

/**
 * Where the running adapter cannot send RST, `resetAndDestroy()` must refuse loudly: assert
 * the exact error users get there, on a connected socket, and clean up.
 */
export async function assertResetUnavailable(
  net: { connect(port: number, host: string): import("../mod.ts").Socket; createServer(): Server },
  adapterName: string,
): Promise<void> {
  const server = net.createServer();
  server.on("connection", (s) => s.resume());
  const port = await listen(server);
  const client = net.connect(port, "127.0.0.1");
  await once(client, "connect");
  let thrown: (Error & { code?: string }) | undefined;
  try {
    client.resetAndDestroy();
  } catch (err) {
    thrown = err as Error & { code?: string };
  }
  if (!thrown) throw new Error(`resetAndDestroy() on ${adapterName} must throw, not close silently with FIN`);
  if (thrown.code !== "ERR_FEATURE_UNAVAILABLE_ON_PLATFORM") throw thrown;
  const expected = "The feature socket.resetAndDestroy() is unavailable on the current platform, " +
    `which is being used to run omninet on ${adapterName}`;
  if (thrown.message !== expected) throw new Error(`message was ${JSON.stringify(thrown.message)}`);
  if (client.destroyed) throw new Error("a refused resetAndDestroy() must leave the socket open");
  client.destroy();
  await close(server);
}
