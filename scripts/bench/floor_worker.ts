// One process of the floor benchmark (scripts/bench/floor.ts), on Node, Deno or Bun:
//
//   floor_worker.ts <role> <variant> '<json params>'
//
// roles:  both    sink + echo servers and the plan's client in this process: @@RESULT
//         server  listen (sink + echo): @@READY; @@STATS when stdin closes
//         client  the plan against {ports}: @@RESULT
//         micro   the Duplex's own cost per connection, no I/O ({n}): @@RESULT
// variants: raw (Deno.* / Bun.* / tcp_wrap handles on Node), floor (raw + one Duplex),
//           raw_h / floor_h (Deno's tcp_wrap handles, without / with the Duplex),
//           node_net (the runtime's node:net), omninet (mod.ts).
// The workloads are scripts/bench's own (_impl_net.ts over every node:net-shaped variant).
import process from "node:process";
import {
  checkServerStats,
  expectedServerStats,
  type Impl,
  type Measured,
  type Plan,
  withTimeout,
  type Workload,
  WORKLOADS,
} from "./_impl.ts";
import { netImpl, type NetLike } from "./_impl_net.ts";
import { duplexMicro, floorNet } from "./_impl_floor.ts";

function emit(tag: string, value: Record<string, unknown>): void {
  const cpu = process.cpuUsage();
  console.log(`@@${tag} ${JSON.stringify({ ...value, procCpuUs: cpu.user + cpu.system })}`);
}

const rt = "Bun" in globalThis ? "bun" : "Deno" in globalThis ? "deno" : "node";

async function loadImpl(variant: string): Promise<Impl> {
  // Variable specifiers: each runtime loads only its own layers.
  const load = (p: string) => import(p);
  switch (`${rt}/${variant}`) {
    case "node/omninet":
    case "deno/omninet":
    case "bun/omninet":
      return netImpl((await load("../../mod.ts")).default as NetLike);
    case "node/node_net":
    case "deno/node_net":
    case "bun/node_net": {
      const net = await import("node:net");
      return netImpl((net.default ?? net) as unknown as NetLike);
    }
    case "deno/raw":
      return (await load("./_impl_deno.ts")).denoImpl();
    case "bun/raw":
      return (await load("./_impl_bun.ts")).bunImpl();
    case "node/raw":
    case "deno/raw_h":
      return (await load("../investigate/_impl_tcpwrap.ts")).tcpWrapImpl();
    case "deno/floor":
      return netImpl(floorNet((await load("./_impl_floor_deno.ts")).denoBackend));
    case "bun/floor":
      return netImpl(floorNet((await load("./_impl_floor_bun.ts")).bunBackend));
    case "node/floor":
    case "deno/floor_h":
      return netImpl(floorNet((await load("./_impl_floor_uv.ts")).uvBackend));
  }
  throw new Error(`no variant ${variant} on ${rt}`);
}

/** Run `fn`, adding this process's CPU time (µs) over it. */
async function withCpu(fn: () => Promise<Measured>): Promise<Measured> {
  const before = process.cpuUsage();
  const m = await fn();
  const used = process.cpuUsage(before);
  return { ...m, cpuUs: used.user + used.system };
}

/** Every workload once unmeasured, then measured (as scripts/bench/worker.ts runs them). */
async function runPlan(impl: Impl, ports: { sink: number; echo: number }, plan: Plan) {
  const t = plan.timeoutMs;
  const out = {} as Record<Workload, Measured>;
  const runs: Record<Workload, [(warm: boolean) => Promise<Measured>, number, number]> = {
    bulk: [
      (w) => impl.bulk(ports.sink, w ? plan.bulk.warm : plan.bulk.total, plan.bulk.chunk),
      plan.bulk.warm,
      plan
        .bulk.total,
    ],
    pp1: [
      (w) => impl.pingPong(ports.echo, 1, w ? plan.pp1.warm : plan.pp1.rounds, plan.pp1.size),
      plan.pp1.warm,
      plan
        .pp1.rounds,
    ],
    pp16: [
      (w) => impl.pingPong(ports.echo, plan.pp16.conns, w ? plan.pp16.warm : plan.pp16.rounds, plan.pp16.size),
      plan.pp16.conns * plan.pp16.warm,
      plan.pp16.conns * plan.pp16.rounds,
    ],
    churn: [
      (w) => impl.churn(ports.echo, w ? plan.churn.warm : plan.churn.total, plan.churn.concurrency),
      plan.churn
        .warm,
      plan.churn.total,
    ],
  };
  for (const w of WORKLOADS) {
    const [run, warm, total] = runs[w];
    const m0 = await withTimeout(run(true), t, `${w} warm-up`);
    if (m0.count !== warm) throw new Error(`${w} warm-up: verified ${m0.count}, expected ${warm}`);
    out[w] = await withCpu(() => withTimeout(run(false), t, w));
    if (out[w].count !== total) throw new Error(`${w}: verified ${out[w].count}, expected ${total}`);
  }
  return out;
}

function stdinEnd(): Promise<void> {
  return new Promise((resolve) => {
    process.stdin.on("data", () => {});
    process.stdin.on("end", () => resolve());
    process.stdin.resume();
  });
}

async function main(): Promise<void> {
  const [role, variant, json] = process.argv.slice(2);
  const params = json ? JSON.parse(json) : {};
  if (role === "micro") {
    const cpu = () => {
      const c = process.cpuUsage();
      return c.user + c.system;
    };
    await duplexMicro(Math.min(params.n, 20_000), cpu); // warm-up
    emit("RESULT", { runtime: rt, micro: await duplexMicro(params.n, cpu) });
    return;
  }
  const impl = await loadImpl(variant);
  if (role === "server") {
    const ended = stdinEnd();
    const sink = await impl.listen("sink");
    const echo = await impl.listen("echo");
    emit("READY", { sink: sink.port, echo: echo.port });
    await ended;
    emit("STATS", { sink: sink.stats(), echo: echo.stats() });
    await withTimeout(Promise.all([sink.close(), echo.close()]), 5000, "close").catch(() => {});
  } else if (role === "client") {
    emit("RESULT", { results: await runPlan(impl, params.ports, params.plan) });
  } else if (role === "both") {
    const plan = params.plan as Plan;
    const sink = await impl.listen("sink");
    const echo = await impl.listen("echo");
    const results = await runPlan(impl, { sink: sink.port, echo: echo.port }, plan);
    const want = expectedServerStats(plan);
    for (let i = 0; i < 250 && sink.stats().bytes < want.sink.bytes; i++) await new Promise((r) => setTimeout(r, 20));
    const problems = [
      ...checkServerStats(sink.stats(), want.sink, "sink server"),
      ...checkServerStats(echo.stats(), want.echo, "echo server"),
    ];
    if (problems.length) throw new Error(problems.join("; "));
    emit("RESULT", { results });
    await withTimeout(Promise.all([sink.close(), echo.close()]), 5000, "close").catch(() => {});
  } else throw new Error(`unknown role ${role}`);
}

// FLOOR_HOLD=1 (scripts/investigate/floor_profile.ts): stay alive until stdin closes, so the
// attached profiler collects its profile before the process exits.
const held = process.env.FLOOR_HOLD === "1" ? stdinEnd() : null;
main().then(async () => {
  if (held) await held;
  process.exit(0);
}, (err) => {
  emit("ERROR", { message: String((err as Error)?.stack ?? err) });
  process.exit(1);
});
