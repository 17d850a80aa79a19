// Runs one generated scenario (tests/random/_gen.ts) on a `node:net`-shaped module and
// records one trace per endpoint: `client`, `server` (the accepted socket) and `listener`
// (the server). Each trace is the sequence of events with normalised arguments: errors by
// name/code/syscall (messages carry ports), received bytes as a count and an FNV-1a hash
// (consecutive 'data' events merge, so chunking does not show), 'close' with hadError;
// then the final getters. Steps wait for their gate (an event), never for a time; a gate
// that cannot hold any more (its socket closed) lets the step go, and one still open after
// GATE_MS is written to the `gates` trace, as is a socket that had to be destroyed at the end.
import { Buffer } from "node:buffer";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { NetLike, ServerLike, SocketLike, Traces } from "../diff/_harness.ts";
import type { Action, Gate, ReadMode, Side, Spec, WriteEncoding } from "./_gen.ts";

export type { NetLike, Traces };

const GATE_MS = 200;
const FINALE_MS = 2000;
const SCENARIO_MS = 10_000;
const QUIET_TURNS = 3;
const QUIET_MAX_TURNS = 400;

const SOCKET_EVENTS = ["connect", "ready", "end", "finish", "drain", "timeout", "error", "close"];

function fnv(h: number, byte: number): number {
  return Math.imul(h ^ byte, 0x01000193) >>> 0;
}

/** An event argument as it appears in a trace. */
function showArg(value: unknown): string {
  if (value instanceof Error) {
    const e = value as Error & { code?: unknown; syscall?: unknown };
    const parts = [e.name];
    if (e.code !== undefined) parts.push(`code=${String(e.code)}`);
    if (e.syscall !== undefined) parts.push(`syscall=${String(e.syscall)}`);
    if (e.code === undefined) parts.push(JSON.stringify(e.message));
    return `<${parts.join(" ")}>`;
  }
  if (typeof value === "string") return JSON.stringify(value);
  return String(value);
}

/** Deterministic chunk of about `size` bytes in `enc` (`salt` varies the content). */
export function makeChunk(size: number, enc: WriteEncoding, salt: number): Buffer | string {
  const bytes = Buffer.alloc(size);
  for (let i = 0; i < size; i++) bytes[i] = (i * 31 + salt * 7 + (i >> 8)) & 255;
  switch (enc) {
    case "buffer":
      return bytes;
    case "hex":
      return bytes.toString("hex");
    case "base64":
      return bytes.toString("base64");
    case "latin1":
      return bytes.toString("latin1");
    case "utf8": {
      const unit = "aé€😀b"; // 1 + 2 + 3 + 4 + 1 bytes
      return unit.repeat(Math.ceil(size / 11)).slice(0, Math.max(0, size - (size % 11 === 0 ? 0 : 1)));
    }
  }
}

interface End {
  label: Side;
  mode: ReadMode;
  sock?: SocketLike;
  seen: Set<string>;
  received: number;
  closed: boolean;
}

class Run {
  traces: Traces = {};
  ends: Record<Side, End>;
  #waiters = new Set<() => void>();
  #merge = new Map<string, { index: number; kind: string; n: number; h: number }>();
  #masks: [string, string][] = [];

  constructor(spec: Spec) {
    this.ends = {
      client: { label: "client", mode: spec.client.read, seen: new Set(), received: 0, closed: false },
      server: { label: "server", mode: spec.server.read, seen: new Set(), received: 0, closed: false },
    };
  }

  mask(value: string, name: string): void {
    this.#masks.push([value, name]);
  }

  log(label: string, entry: string): void {
    for (const [v, n] of this.#masks) entry = entry.split(v).join(n);
    (this.traces[label] ??= []).push(entry);
  }

  /** Events so far on any socket or the server (a quiet connection has a steady count). */
  events = 0;

  poke(): void {
    this.events++;
    for (const w of [...this.#waiters]) w();
  }

  /** Record received data (merged with an immediately preceding entry of the same kind). */
  received(end: End, kind: "data" | "read", chunk: unknown): void {
    const trace = (this.traces[end.label] ??= []);
    const isString = typeof chunk === "string";
    const key = `${kind}${isString ? " string" : ""}`;
    let m = this.#merge.get(end.label);
    if (!m || m.index !== trace.length - 1 || m.kind !== key) {
      m = { index: trace.length, kind: key, n: 0, h: 0x811c9dc5 };
      this.#merge.set(end.label, m);
      trace.push("");
    }
    if (isString) {
      const s = chunk as string;
      for (let i = 0; i < s.length; i++) {
        const c = s.charCodeAt(i);
        m.h = fnv(fnv(m.h, c & 255), c >> 8);
      }
      m.n += s.length;
      end.received += s.length;
    } else {
      const b = chunk as Uint8Array;
      for (let i = 0; i < b.length; i++) m.h = fnv(m.h, b[i]);
      m.n += b.length;
      end.received += b.length;
    }
    trace[m.index] = `${key}(${m.n} #${m.h.toString(16).padStart(8, "0")})`;
    this.poke();
  }

  attach(end: End, sock: SocketLike): void {
    end.sock = sock;
    for (const name of SOCKET_EVENTS) {
      const label = name === "drain" || name === "finish" ? `${end.label} writes` : end.label;
      sock.on(name, (...args: unknown[]) => {
        this.log(label, args.length ? `${name}(${args.map(showArg).join(", ")})` : name);
        end.seen.add(name === "ready" ? "connect" : name);
        if (name === "close") end.closed = true;
        this.poke();
      });
    }
    if (end.mode.mode === "flowing") {
      sock.on("data", (chunk: unknown) => this.received(end, "data", chunk));
    } else {
      const n = end.mode.n;
      sock.on("readable", () => {
        for (let i = 0; i < 10_000_000; i++) {
          const chunk = sock.read(n);
          if (chunk === null) break;
          this.received(end, "read", chunk);
        }
      });
    }
    this.poke();
  }

  /**
   * Wait until nothing happens on either socket for QUIET_TURNS turns of 1 ms timers (data in
   * flight on loopback has arrived); bounded by QUIET_MAX_TURNS.
   */
  async settle(): Promise<void> {
    let last = -1;
    let quiet = 0;
    for (let i = 0; i < QUIET_MAX_TURNS && quiet < QUIET_TURNS; i++) {
      await new Promise((resolve) => setTimeout(resolve, 1));
      if (this.events === last) quiet++;
      else {
        quiet = 0;
        last = this.events;
      }
    }
  }

  /** Resolve when `cond()` holds, or false after `ms`. */
  until(cond: () => boolean, ms: number): Promise<boolean> {
    if (cond()) return Promise.resolve(true);
    return new Promise((resolve) => {
      const done = (ok: boolean) => {
        this.#waiters.delete(check);
        clearTimeout(timer);
        resolve(ok);
      };
      const check = () => {
        if (cond()) done(true);
      };
      const timer = setTimeout(() => done(false), ms);
      this.#waiters.add(check);
    });
  }
}

function holds(run: Run, gate: Gate): boolean {
  if (gate.on === "none") return true;
  const end = run.ends[gate.on];
  if (!end.sock) return false;
  if (end.closed) return true;
  if (gate.event === "connect" && gate.on === "server") return true; // accepted: no 'connect'
  if (gate.event === "data") return end.received >= gate.n || end.seen.has("end");
  // 'drain', or nothing left to drain (a write that completed at once needs none).
  if (gate.event === "drain") {
    return end.seen.has("drain") || (!end.sock.writableNeedDrain && end.sock.writableLength === 0);
  }
  return end.seen.has(gate.event);
}

function act(server: ServerLike, end: End, a: Action, salt: number): void {
  const s = end.sock!;
  switch (a.op) {
    case "write":
      if (a.enc === "buffer") s.write(makeChunk(a.size, a.enc, salt));
      else s.write(makeChunk(a.size, a.enc, salt), a.enc);
      break;
    case "end":
      if (a.enc === "buffer") s.end(makeChunk(a.size, a.enc, salt));
      else s.end(makeChunk(a.size, a.enc, salt), a.enc);
      break;
    case "endEmpty":
      s.end();
      break;
    case "destroy":
      if (a.err) s.destroy(Object.assign(new Error("boom"), { code: "ERANDOM" }));
      else s.destroy();
      break;
    case "destroySoon":
      s.destroySoon();
      break;
    case "pause":
      s.pause();
      break;
    case "resume":
      s.resume();
      break;
    case "cork":
      s.cork();
      break;
    case "uncork":
      s.uncork();
      break;
    case "setEncoding":
      s.setEncoding(a.enc);
      break;
    case "setTimeout":
      s.setTimeout(a.ms);
      break;
    case "serverClose":
      server.close();
      break;
  }
}

/**
 * Run `spec` on `net`; resolves with the traces (never rejects; failures are in the
 * `harness` trace). `jitterMs`: wait that long before each step and the finale (the
 * recorder's second run: a trace that changes with it depends on timing, not on events).
 */
export async function runSpec(net: NetLike, spec: Spec, jitterMs = 0): Promise<Traces> {
  const run = new Run(spec);
  const dir = spec.transport === "unix" ? mkdtempSync(join(tmpdir(), "omninet-random-")) : "";
  if (dir) run.mask(dir, "<dir>");
  const server = net.createServer({
    allowHalfOpen: spec.server.allowHalfOpen,
    pauseOnConnect: spec.server.pauseOnConnect,
  });
  let client: SocketLike | undefined;
  let listenerClosed = false;
  let dropped = false;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const work = async () => {
    if (spec.server.maxConnections !== undefined) server.maxConnections = spec.server.maxConnections;
    for (const name of ["connection", "drop", "error", "close"]) {
      server.on(name, (...args: unknown[]) => {
        run.log("listener", name === "error" ? `error(${showArg(args[0])})` : name);
        if (name === "close") listenerClosed = true;
        if (name === "drop") dropped = true;
        if (name === "connection" && !run.ends.server.sock) run.attach(run.ends.server, args[0] as SocketLike);
        run.poke();
      });
    }
    const listening = new Promise<void>((resolve, reject) => {
      server.once("listening", resolve);
      server.once("error", reject);
    });
    if (dir) server.listen(join(dir, "s.sock"));
    else server.listen(0, "127.0.0.1");
    await listening;
    const target = dir
      ? { path: join(dir, "s.sock") }
      : { port: (server.address() as { port: number }).port, host: "127.0.0.1" };
    client = net.connect({ ...target, allowHalfOpen: spec.client.allowHalfOpen });
    run.attach(run.ends.client, client);

    for (let i = 0; i < spec.steps.length; i++) {
      const step = spec.steps[i];
      const end = run.ends[step.side];
      const ok = await run.until(
        () => holds(run, step.gate) && (end.sock !== undefined || (step.side === "server" && dropped)),
        GATE_MS,
      );
      if (!ok) run.log("gates", `step ${i + 1}: gate still open after ${GATE_MS} ms`);
      if (jitterMs > 0) await new Promise((resolve) => setTimeout(resolve, jitterMs));
      if (!step.racy) await run.settle();
      if (!end.sock) {
        run.log("gates", `step ${i + 1}: no ${step.side} socket`);
        continue;
      }
      try {
        act(server, end, step.act, i);
      } catch (err) {
        run.log(step.side, `step ${i + 1} threw ${showArg(err)}`);
      }
    }

    // Finale: let both ends finish on their own terms (resume, uncork, end), then close the server.
    if (jitterMs > 0) await new Promise((resolve) => setTimeout(resolve, jitterMs));
    await run.settle();
    for (const end of [run.ends.client, run.ends.server]) {
      const s = end.sock;
      if (!s || s.destroyed) continue;
      if (s.isPaused()) s.resume();
      for (let k = 0; k < 10 && s.writableCorked > 0; k++) s.uncork();
      if (!s.writableEnded) s.end();
    }
    const allClosed = () => [run.ends.client, run.ends.server].every((e) => !e.sock || e.closed);
    if (!(await run.until(allClosed, FINALE_MS))) {
      for (const end of [run.ends.client, run.ends.server]) {
        if (end.sock && !end.closed) {
          run.log("gates", `finale: ${end.label} not closed after ${FINALE_MS} ms`);
          end.sock.destroy();
        }
      }
      await run.until(allClosed, FINALE_MS);
    }
    if (server.listening) server.close();
    if (!(await run.until(() => listenerClosed, FINALE_MS))) run.log("gates", "finale: server not closed");
  };
  try {
    await Promise.race([
      work(),
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`scenario not done after ${SCENARIO_MS} ms`)), SCENARIO_MS);
      }),
    ]);
  } catch (err) {
    run.log("harness", `failed: ${err instanceof Error ? err.message : String(err)}`);
    client?.destroy();
    run.ends.server.sock?.destroy();
    if (server.listening) server.close();
  } finally {
    clearTimeout(timer);
    if (dir) rmSync(dir, { recursive: true, force: true });
  }
  for (const end of [run.ends.client, run.ends.server]) {
    const s = end.sock;
    if (!s) continue;
    run.log(
      end.label,
      `final bytesRead=${s.bytesRead} bytesWritten=${s.bytesWritten} readyState=${s.readyState} destroyed=${s.destroyed}`,
    );
  }
  const sorted: Traces = {};
  for (const label of Object.keys(run.traces).sort()) sorted[label] = run.traces[label];
  return sorted;
}
