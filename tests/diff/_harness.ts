// The differential harness: a scenario drives a `node:net`-shaped API (node:net itself or
// omninet) and records what it observes, one trace per socket or server, so events that
// race between two endpoints never interleave. Values that change from run to run (ports,
// temporary paths) are masked; timings are never recorded.
import type { EventEmitter } from "node:events";
import type { Capabilities } from "../../src/contract.ts";
import type { Duplex } from "node:stream";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

/** A socket as scenarios use it: a Duplex with net.Socket's extra members. */
// deno-lint-ignore no-explicit-any
export type SocketLike = Duplex & { [member: string]: any };

/** A server as scenarios use it. */
// deno-lint-ignore no-explicit-any
export type ServerLike = EventEmitter & { [member: string]: any };

/** The part of `node:net` the scenarios use; node:net and omninet both provide it. */
export interface NetLike {
  createServer(options?: object | ((socket: SocketLike) => void), listener?: (socket: SocketLike) => void): ServerLike;
  connect(...args: unknown[]): SocketLike;
  createConnection(...args: unknown[]): SocketLike;
  Socket: new (options?: object) => SocketLike;
}

/** One differential scenario. */
export interface Scenario {
  /** Unique, describes the behaviour. */
  name: string;
  /** Adapter capabilities the scenario relies on (named in the failure on runtimes without them). */
  needs?: (keyof Capabilities)[];
  /** Drive `net`, record into `rec`; resolve once every socket and server is closed. */
  run(net: NetLike, rec: Recorder): Promise<void>;
}

/** Traces by label (`client`, `server`, `peer` …). */
export type Traces = Record<string, string[]>;

/** The events recorded by default on sockets. */
export const SOCKET_EVENTS: string[] = [
  "lookup",
  "connectionAttempt",
  "connectionAttemptFailed",
  "connectionAttemptTimeout",
  "connect",
  "ready",
  "data",
  "drain",
  "end",
  "finish",
  "timeout",
  "error",
  "close",
];

/** The events recorded by default on servers. */
export const SERVER_EVENTS: string[] = ["listening", "connection", "error", "close"];

const WAIT_MS = 5000;

/** Collects the traces of one scenario run. */
export class Recorder {
  /** The traces recorded so far. */
  readonly traces: Traces = {};
  #masks: [RegExp, string][] = [];
  #data = new Map<string, { index: number; bytes: number; text: string; kind: string }>();
  #closed = new WeakMap<object, Promise<void>>();
  #dirs: string[] = [];
  #servers: ServerLike[] = [];
  #sockets: EventEmitter[] = [];

  /** Append `entry` to the trace `label`. */
  log(label: string, entry: string): void {
    (this.traces[label] ??= []).push(this.mask(entry));
  }

  /** Replace every later occurrence of `value` in recorded text by `name`. */
  addMask(value: string | number, name: string): void {
    const text = String(value).replace(/[.*+?^${}()|[\]\\/]/g, "\\$&");
    this.#masks.push([new RegExp(typeof value === "number" ? `\\b${text}\\b` : text, "g"), name]);
  }

  /** Apply the masks to `text`. */
  mask(text: string): string {
    for (const [re, name] of this.#masks) text = text.replace(re, name);
    return text;
  }

  /** Record `events` of `emitter` under `label` (consecutive `data` merge into one entry). */
  watch(label: string, emitter: EventEmitter, events: string[] = SOCKET_EVENTS): void {
    for (const name of events) {
      emitter.on(name, (...args: unknown[]) => {
        if (name === "data") this.#onData(label, args[0]);
        else this.log(label, args.length ? `${name}(${args.map((a) => show(a)).join(", ")})` : name);
      });
    }
    if (!this.#closed.has(emitter)) {
      this.#sockets.push(emitter);
      this.#closed.set(emitter, new Promise((resolve) => emitter.once("close", () => resolve())));
    }
  }

  #onData(label: string, chunk: unknown): void {
    const trace = (this.traces[label] ??= []);
    const kind = typeof chunk === "string" ? "string" : "bytes";
    const text = typeof chunk === "string" ? chunk : new TextDecoder().decode(chunk as Uint8Array);
    const bytes = typeof chunk === "string" ? chunk.length : (chunk as Uint8Array).byteLength;
    let last = this.#data.get(label);
    if (!last || last.index !== trace.length - 1 || last.kind !== kind) {
      last = { index: trace.length, bytes: 0, text: "", kind };
      this.#data.set(label, last);
      trace.push("");
    }
    last.bytes += bytes;
    last.text += text;
    const shown = last.bytes <= 64 ? ` ${JSON.stringify(last.text)}` : "";
    trace[last.index] = this.mask(`data(${kind === "string" ? "string " : ""}${last.bytes}${shown})`);
  }

  /** Run `fn` and record `ok` or `throw(<error>)`; returns what `fn` returned. */
  try<T>(label: string, what: string, fn: () => T): T | undefined {
    try {
      const value = fn();
      this.log(label, `${what}: ok`);
      return value;
    } catch (err) {
      this.log(label, `${what}: throw ${show(err)}`);
      return undefined;
    }
  }

  /** Listen on loopback port 0 (masking the port) and resolve with the port. */
  async listen(server: ServerLike, host = "127.0.0.1"): Promise<number> {
    await bounded(
      new Promise<void>((resolve, reject) => {
        server.once("error", reject);
        server.listen(0, host, () => {
          server.off("error", reject);
          resolve();
        });
      }),
      "'listening'",
    );
    this.#servers.push(server);
    const port = (server.address() as { port: number }).port;
    this.addMask(port, "<port>");
    return port;
  }

  /** Listen on a Unix socket path. */
  async listenPath(server: ServerLike, path: string): Promise<void> {
    await bounded(
      new Promise<void>((resolve, reject) => {
        server.once("error", reject);
        server.listen(path, () => {
          server.off("error", reject);
          resolve();
        });
      }),
      "'listening'",
    );
    this.#servers.push(server);
  }

  /** A fresh Unix socket path in a temporary directory (masked as `<dir>`). */
  socketPath(name = "s.sock"): string {
    const dir = mkdtempSync(join(tmpdir(), "omninet-diff-"));
    this.#dirs.push(dir);
    this.addMask(dir, "<dir>");
    return join(dir, name);
  }

  /** A free TCP port on 127.0.0.1 for connects that must be refused (masked). */
  async closedPort(net: NetLike): Promise<number> {
    const server = net.createServer();
    const port = await this.listen(server);
    await bounded(new Promise<void>((resolve) => server.close(() => resolve())), "server close");
    return port;
  }

  /** Resolve once `emitter` emitted `'close'` (watched emitters remember an earlier one). */
  closed(emitter: EventEmitter, what = "'close'"): Promise<void> {
    let p = this.#closed.get(emitter);
    if (!p) {
      p = new Promise((resolve) => emitter.once("close", () => resolve()));
      this.#closed.set(emitter, p);
    }
    return bounded(p, what);
  }

  /** Resolve on the next `event` of `emitter` (bounded), with its arguments. */
  next(emitter: EventEmitter, event: string): Promise<unknown[]> {
    return bounded(new Promise((resolve) => emitter.once(event, (...args: unknown[]) => resolve(args))), `'${event}'`);
  }

  /** Close a server and wait for its `'close'`. */
  closeServer(server: ServerLike): Promise<void> {
    return bounded(new Promise<void>((resolve) => server.close(() => resolve())), "server close");
  }

  /**
   * After a failed run: destroy watched sockets and close servers so nothing keeps the
   * process alive. Then remove temporary directories.
   */
  cleanup(failed: boolean): void {
    if (failed) {
      for (const s of this.#sockets) (s as SocketLike).destroy?.();
      for (const server of this.#servers) if (server.listening) server.close();
    }
    for (const dir of this.#dirs) rmSync(dir, { recursive: true, force: true });
  }
}

/** Reject after a bound with a message naming what was awaited. */
export function bounded<T>(promise: Promise<T>, what: string, ms = WAIT_MS): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms waiting for ${what}`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/** Wait `ms` milliseconds (only to let something happen, never to assert a timing). */
export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** A value as it appears in a trace: errors with their Node fields, bytes with their length. */
export function show(value: unknown): string {
  if (value instanceof Error) return showError(value);
  if (value instanceof Uint8Array) return `<${value.byteLength} bytes>`;
  if (typeof value === "string") return JSON.stringify(value);
  if (typeof value === "function") return "[function]";
  if (value === null || typeof value !== "object") return String(value);
  if (Array.isArray(value)) return `[${value.map(show).join(", ")}]`;
  const entries = Object.entries(value as Record<string, unknown>);
  return `{${entries.map(([k, v]) => `${k}: ${show(v)}`).join(", ")}}`;
}

function showError(err: Error): string {
  const e = err as Error & Record<string, unknown>;
  const parts = [e.name];
  for (const key of ["code", "errno", "syscall", "address", "port", "hostname"]) {
    if (e[key] !== undefined) parts.push(`${key}=${String(e[key])}`);
  }
  parts.push(JSON.stringify(e.message));
  if (err instanceof AggregateError) parts.push(`[${err.errors.map((x) => show(x)).join("; ")}]`);
  return `<${parts.join(" ")}>`;
}

/** Run one scenario on `net` and return its traces. */
export async function runScenario(net: NetLike, scenario: Scenario, ms = 10_000): Promise<Traces> {
  const rec = new Recorder();
  let failed = false;
  try {
    await bounded(scenario.run(net, rec), `scenario "${scenario.name}"`, ms);
  } catch (err) {
    failed = true;
    rec.log("harness", `failed: ${err instanceof Error ? err.message : String(err)}`);
  } finally {
    rec.cleanup(failed);
  }
  const sorted: Traces = {};
  for (const label of Object.keys(rec.traces).sort()) sorted[label] = rec.traces[label];
  return sorted;
}
