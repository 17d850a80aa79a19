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
