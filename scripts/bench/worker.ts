// One benchmark process, run by scripts/bench/run.ts on Node, Deno or Bun:
//
//   worker.ts <role> <variant> '<json params>'
//
// roles:  server      listen (sink + echo), print @@READY, print @@STATS when stdin closes
//         client      run the plan against a server's ports, print @@RESULT
//         both        server and client in this one process, print @@RESULT
//         mem-server  listen; on stdin "base" / "measure" print @@BASE / @@MEM (RSS)
//         mem-client  warm up, print @@WARMED; on stdin "go" open n idle conns, print @@MEM
//         probe       a small echo, bulk and churn in one process, print @@RESULT
//         sus-server  an echo server ({port, reusePort} optional), print @@READY; on stdin
//                     "mark" start counting CPU, on "measure" print @@MEM (RSS, CPU since
//                     mark); print @@STATS when stdin closes
//         sus-client  open {conns}, ping-pong {size} B on each for {ms}: @@BEGIN when all are
//                     open, @@RESULT (round trips, RSS per conn, CPU) after, holding the
//                     connections open until stdin closes (the scale and multi-core workloads)
// variants: omninet (mod.ts), node_net (the runtime's node:net), raw (Deno.* / Bun.*;
//           node:net on Node).
// Every line for the orchestrator starts with "@@"; anything else is diagnostics.
import process from "node:process";
import {
  checkServerStats,
  expectedServerStats,
  type Impl,
  type Measured,
  type Plan,
  type ServerHandle,
  withTimeout,
  type Workload,
  WORKLOADS,
} from "./_impl.ts";
import { netImpl, type NetLike } from "./_impl_net.ts";

type Params = Record<string, unknown>;

function emit(tag: string, value: Record<string, unknown>): void {
  const cpu = process.cpuUsage();
  // procCpuUs: this process's CPU time so far, for telling our load from other processes'.
  console.log(`@@${tag} ${JSON.stringify({ ...value, procCpuUs: cpu.user + cpu.system })}`);
}

function runtimeName(): string {
  if ("Bun" in globalThis) return "bun";
  if ("Deno" in globalThis) return "deno";
  return "node";
}

/** The variant's workloads, and a note on how omninet was loaded. */
async function loadImpl(variant: string): Promise<{ impl: Impl; adapter: string; note?: string }> {
  const rt = runtimeName();
  if (variant === "omninet") {
    // Variable specifiers keep `deno check` of this file independent of the adapters.
    const modPath = "../../mod.ts";
    try {
      const mod = await import(modPath);
      return { impl: netImpl(mod.default as NetLike), adapter: mod.detectAdapter().name };
    } catch (err) {
      // mod.ts imports all three adapters; while one is missing, load the runtime's own
      // entry (the npm package's export condition for this runtime): same API, same
      // adapter mod.ts would pick.
      const entry = `../../runtime/${rt}.ts`;
      const mod = await import(entry).catch((err2) => {
        const first = (e: unknown) => String((e as Error)?.message ?? e).split("\n")[0];
        throw new Error(`mod.ts: ${first(err)}; runtime/${rt}.ts: ${first(err2)}`);
      });
      return {
        impl: netImpl(mod.default as NetLike),
        adapter: mod.detectAdapter().name,
        note: `mod.ts did not load (${(err as Error).message.split("\n")[0]}); used runtime/${rt}.ts`,
      };
    }
  }
  if (variant === "node_net" || (variant === "raw" && rt === "node")) {
    const net = await import("node:net");
    return { impl: netImpl((net.default ?? net) as unknown as NetLike), adapter: "node:net" };
  }
  if (variant === "raw" && rt === "deno") {
    const { denoImpl } = await import("./_impl_deno.ts");
    return { impl: denoImpl(), adapter: "Deno.listen/Deno.connect" };
  }
  if (variant === "raw" && rt === "bun") {
    const { bunImpl } = await import("./_impl_bun.ts");
    return { impl: bunImpl(), adapter: "Bun.listen/Bun.connect" };
  }
  throw new Error(`unknown variant ${variant}`);
}

// ---- stdin commands from the orchestrator ----

const lineWaiters = new Map<string, () => void>();
const linesSeen = new Set<string>();
let stdinEnded = false;
let onStdinEnd: () => void = () => {};

let stdinListening = false;

function listenStdin(): void {
  if (stdinListening) return;
  stdinListening = true;
  let buffered = "";
  process.stdin.on("data", (d: Uint8Array | string) => {
    buffered += typeof d === "string" ? d : new TextDecoder().decode(d);
    let i: number;
    while ((i = buffered.indexOf("\n")) >= 0) {
      const line = buffered.slice(0, i).trim();
      buffered = buffered.slice(i + 1);
      linesSeen.add(line);
      lineWaiters.get(line)?.();
    }
  });
  process.stdin.on("end", () => {
    stdinEnded = true;
    onStdinEnd();
  });
  process.stdin.resume();
}

function waitLine(line: string): Promise<void> {
  if (linesSeen.has(line)) return Promise.resolve();
  return new Promise((resolve) => lineWaiters.set(line, resolve));
}

function waitStdinEnd(): Promise<void> {
  if (stdinEnded) return Promise.resolve();
  return new Promise((resolve) => (onStdinEnd = resolve));
}

// ---- memory ----

function gc(): void {
  const g = globalThis as { gc?: () => void; Bun?: { gc(force: boolean): void } };
  if (g.Bun) g.Bun.gc(true);
  else if (g.gc) {
    g.gc();
    g.gc();
  }
}

function hasGc(): boolean {
  return "Bun" in globalThis || typeof (globalThis as { gc?: unknown }).gc === "function";
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

interface MemSnapshot {
  rss: number;
  heapUsed: number;
  external: number;
}

/** RSS and JS heap after the process settles and collects garbage. */
async function settledMemory(): Promise<MemSnapshot> {
  await sleep(300);
  gc();
  await sleep(100);
  gc();
  const m = process.memoryUsage();
  return { rss: m.rss, heapUsed: m.heapUsed, external: m.external };
}

/** The per-connection deltas between two snapshots. */
function perConn(base: MemSnapshot, after: MemSnapshot, n: number) {
  return {
    base: base.rss,
    after: after.rss,
    conns: n,
    perConn: (after.rss - base.rss) / n,
    heapPerConn: (after.heapUsed - base.heapUsed) / n,
    externalPerConn: (after.external - base.external) / n,
  };
}

/** Wait (bounded) until `pred` holds, polling every 20 ms. */
async function until(pred: () => boolean, ms: number, label: string): Promise<void> {
  const deadline = performance.now() + ms;
  while (!pred()) {
    if (performance.now() > deadline) throw new Error(`${label}: not reached within ${ms} ms`);
    await sleep(20);
  }
}

// ---- workloads ----

/** Run `fn` and add this process's CPU time (user + system, µs) to its result. */
async function withCpu(fn: () => Promise<Measured>): Promise<Measured> {
  const before = process.cpuUsage();
  const m = await fn();
  const used = process.cpuUsage(before);
  return { ...m, cpuUs: used.user + used.system };
}

/** Called around the measured part of each workload (scripts/investigate/profile.ts gates a profiler). */
interface Gate {
  before(w: Workload): Promise<void>;
  after(w: Workload): Promise<void>;
}

const noGate: Gate = { before: () => Promise.resolve(), after: () => Promise.resolve() };

/** A gate that hands control to the orchestrator around `target`'s measured part. */
function profileGate(target: string | undefined): Gate {
  if (!target) return noGate;
  return {
    async before(w) {
      if (w !== target) return;
      emit("GATE", { workload: w });
      await waitLine("start");
    },
    async after(w) {
      if (w !== target) return;
      emit("GATED", { workload: w });
      await waitLine("stop");
    },
  };
}

async function runPlan(impl: Impl, ports: { sink: number; echo: number }, plan: Plan, gate: Gate = noGate) {
  const t = plan.timeoutMs;
  const out = {} as Record<Workload, Measured>;
  const check = (w: Workload, m: Measured, want: number) => {
    if (m.count !== want) throw new Error(`${w}: verified ${m.count}, expected ${want}`);
  };
  const b = plan.bulk;
  check("bulk", await withTimeout(impl.bulk(ports.sink, b.warm, b.chunk), t, "bulk warm-up"), b.warm);
  await gate.before("bulk");
  out.bulk = await withCpu(() => withTimeout(impl.bulk(ports.sink, b.total, b.chunk), t, "bulk"));
  await gate.after("bulk");
  check("bulk", out.bulk, b.total);
  const p1 = plan.pp1;
  check("pp1", await withTimeout(impl.pingPong(ports.echo, 1, p1.warm, p1.size), t, "pp1 warm-up"), p1.warm);
  await gate.before("pp1");
  out.pp1 = await withCpu(() => withTimeout(impl.pingPong(ports.echo, 1, p1.rounds, p1.size), t, "pp1"));
  await gate.after("pp1");
  check("pp1", out.pp1, p1.rounds);
  const p16 = plan.pp16;
  const warm16 = await withTimeout(impl.pingPong(ports.echo, p16.conns, p16.warm, p16.size), t, "pp16 warm-up");
  check("pp16", warm16, p16.conns * p16.warm);
  await gate.before("pp16");
  out.pp16 = await withCpu(() => withTimeout(impl.pingPong(ports.echo, p16.conns, p16.rounds, p16.size), t, "pp16"));
  await gate.after("pp16");
  check("pp16", out.pp16, p16.conns * p16.rounds);
  const c = plan.churn;
  check("churn", await withTimeout(impl.churn(ports.echo, c.warm, c.concurrency), t, "churn warm-up"), c.warm);
  await gate.before("churn");
  out.churn = await withCpu(() => withTimeout(impl.churn(ports.echo, c.total, c.concurrency), t, "churn"));
  await gate.after("churn");
  check("churn", out.churn, c.total);
  for (const w of WORKLOADS) if (!out[w]) throw new Error(`${w} did not run`);
  return out;
}

async function listenBoth(impl: Impl): Promise<{ sink: ServerHandle; echo: ServerHandle }> {
  return { sink: await impl.listen("sink"), echo: await impl.listen("echo") };
}

async function main(): Promise<void> {
  const [role, variant, json] = process.argv.slice(2);
  const params: Params = json ? JSON.parse(json) : {};
  const { impl, adapter, note } = await loadImpl(variant);
  const info = { runtime: runtimeName(), variant, adapter, note };

  switch (role) {
    case "server": {
      listenStdin();
      const servers = await listenBoth(impl);
      emit("READY", { ...info, sink: servers.sink.port, echo: servers.echo.port });
      await waitStdinEnd();
      emit("STATS", { sink: servers.sink.stats(), echo: servers.echo.stats() });
      await withTimeout(Promise.all([servers.sink.close(), servers.echo.close()]), 5000, "server close").catch(
        () => {},
      );
      break;
    }
    case "client": {
      const plan = params.plan as Plan;
      const gate = profileGate(params.profile as string | undefined);
      const results = await runPlan(impl, params.ports as { sink: number; echo: number }, plan, gate);
      emit("RESULT", { ...info, results });
      break;
    }
    case "both": {
      const plan = params.plan as Plan;
      const servers = await listenBoth(impl);
      const gate = profileGate(params.profile as string | undefined);
      const results = await runPlan(impl, { sink: servers.sink.port, echo: servers.echo.port }, plan, gate);
      const want = expectedServerStats(plan);
      await until(() => servers.sink.stats().bytes >= want.sink.bytes, 5000, "sink stats").catch(() => {});
      const problems = [
        ...checkServerStats(servers.sink.stats(), want.sink, "sink server"),
        ...checkServerStats(servers.echo.stats(), want.echo, "echo server"),
      ];
      if (problems.length) throw new Error(problems.join("; "));
      emit("RESULT", { ...info, results });
      await withTimeout(Promise.all([servers.sink.close(), servers.echo.close()]), 5000, "server close").catch(
        () => {},
      );
      break;
    }
    case "mem-server": {
      listenStdin();
      const n = params.conns as number;
      const echo = await impl.listen("echo");
      emit("READY", { ...info, echo: echo.port, gc: hasGc() });
      await waitLine("base");
      await until(() => echo.stats().open === 0, 10_000, "warm-up connections closed");
      const base = await settledMemory();
      emit("BASE", { rss: base.rss });
      await waitLine("measure");
      await until(() => echo.stats().open >= n, 60_000, `${n} connections accepted`);
      const after = await settledMemory();
      emit("MEM", { ...info, side: "server", ...perConn(base, after, echo.stats().open) });
      await waitStdinEnd();
      await withTimeout(echo.close(), 5000, "server close").catch(() => {});
      break;
    }
    case "mem-client": {
      listenStdin();
      const n = params.conns as number;
      const port = params.port as number;
      const warm = await impl.openIdle(port, params.warm as number, 50);
      warm.close();
      await sleep(200);
      emit("WARMED", { count: warm.count });
      await waitLine("go");
      const base = await settledMemory();
      const set = await withTimeout(impl.openIdle(port, n, params.concurrency as number), 60_000, "open idle");
      const after = await settledMemory();
      emit("MEM", { ...info, side: "client", ...perConn(base, after, set.count) });
      await waitStdinEnd();
      set.close();
      break;
    }
    case "heap": {
      // scripts/investigate/heap.ts: snapshot before (@@GATE) and after (@@GATED) opening
      // `conns` idle connections, both ends in this process.
      listenStdin();
      const n = params.conns as number;
      const echo = await impl.listen("echo");
      const warm = await impl.openIdle(echo.port, 100, 50);
      warm.close();
      await until(() => echo.stats().open === 0, 10_000, "warm-up connections closed");
      await sleep(200);
      // On Bun (no V8 inspector) the worker counts objects itself, with bun:jsc.
      const jsc = "Bun" in globalThis ? await import("bun" + ":jsc") : null;
      const counts = () => {
        gc();
        return jsc ? jsc.heapStats().objectTypeCounts as Record<string, number> : {};
      };
      const before = counts();
      emit("GATE", {});
      await waitLine("start");
      const set = await withTimeout(impl.openIdle(echo.port, n, 100), 60_000, "open idle");
      await until(() => echo.stats().open >= n, 30_000, `${n} connections accepted`);
      await sleep(300);
      const after = counts();
      const grown: Record<string, number> = {};
      for (const [k, v] of Object.entries(after)) if (v - (before[k] ?? 0) > 0) grown[k] = v - (before[k] ?? 0);
      emit("GATED", { conns: n, objectCounts: grown });
      await waitLine("stop");
      set.close();
      emit("RESULT", { ...info });
      break;
    }
    case "sus-server": {
      listenStdin();
      const echo = await impl.listen("echo", {
        port: (params.port as number | undefined) ?? 0,
        reusePort: params.reusePort === true,
      });
      const base = await settledMemory();
      emit("READY", { ...info, echo: echo.port, gc: hasGc() });
      await waitLine("mark");
      const cpu0 = process.cpuUsage();
      await waitLine("measure");
      const used = process.cpuUsage(cpu0);
      const open = echo.stats().open;
      const after = await settledMemory();
      emit("MEM", { ...info, side: "server", cpuUs: used.user + used.system, ...perConn(base, after, open) });
      await waitStdinEnd();
      emit("STATS", { echo: echo.stats() });
      await withTimeout(echo.close(), 5000, "server close").catch(() => {});
      break;
    }
    case "sus-client": {
      listenStdin();
      const base = await settledMemory();
      let cpu0 = process.cpuUsage();
      const r = await withTimeout(
        impl.sustain(
          params.port as number,
          params.conns as number,
          params.size as number,
          params.ms as number,
          params.concurrency as number,
          () => {
            emit("BEGIN", {});
            cpu0 = process.cpuUsage();
          },
        ),
        params.timeoutMs as number,
        "sustained ping-pong",
      );
      const used = process.cpuUsage(cpu0);
      const after = await settledMemory();
      emit("RESULT", {
        ...info,
        count: r.count,
        ms: r.ms,
        connectMs: r.connectMs,
        cpuUs: used.user + used.system,
        ...perConn(base, after, r.conns),
      });
      await waitStdinEnd();
      r.close();
      await sleep(100);
      break;
    }
    case "probe": {
      const plan: Plan = {
        bulk: { total: 1 << 20, chunk: 65536, warm: 65536 },
        pp1: { rounds: 50, size: 64, warm: 5 },
        pp16: { conns: 4, rounds: 20, size: 64, warm: 2 },
        churn: { total: 20, concurrency: 4, warm: 4 },
        timeoutMs: 5000,
      };
      const servers = await listenBoth(impl);
      const results = await runPlan(impl, { sink: servers.sink.port, echo: servers.echo.port }, plan);
      emit("RESULT", { ...info, results });
      await withTimeout(Promise.all([servers.sink.close(), servers.echo.close()]), 5000, "server close").catch(
        () => {},
      );
      break;
    }
    default:
      throw new Error(`unknown role ${role}`);
  }
}

// BENCH_HOLD=1 (scripts/investigate/profile.ts): stay alive until stdin closes, so an attached
// profiler can collect its profile before the process exits.
const hold = process.env.BENCH_HOLD === "1";
if (hold) listenStdin();

main().then(
  async () => {
    if (hold) await waitStdinEnd();
    process.exit(0);
  },
  (err) => {
    emit("ERROR", { message: String((err as Error)?.stack ?? err) });
    process.exit(1);
  },
);
