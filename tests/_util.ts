// Helpers shared by the behaviour suites: every wait is bounded, every server is on
// loopback, and traces record events exactly as they happen.
import type { EventEmitter } from "node:events";
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
