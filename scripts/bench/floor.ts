// The floor benchmark: what a socket built as ONE node:stream Duplex over each runtime's raw
// API can reach at best, against that raw API, the runtime's node:net and omninet, all under
// scripts/bench's own workloads (bulk, ping-pong 1 and 16 conns, churn), in one run.
//
//   deno run -A scripts/bench/floor.ts [--runtimes=node,deno,bun] [--runs=3] [--modes=one,separate]
//                                      [--quick] [--micro-n=100000] [--workloads=bulk,pp1,...]
//
// Per runtime the variants are raw, floor (raw + Duplex), on Deno also raw_h / floor_h (its
// tcp_wrap handles without / with the Duplex), node_net and omninet (see floor_worker.ts).
// Runs interleave the variants (rotated each run); "one" = both ends in one unpinned
// process, "separate" = server on CPU 0 and client on CPU 1, as scripts/bench/run.ts does.
// Writes .bench/floor-<date>.md and .json.
import { join } from "node:path";
import { BENCH_BINS, root } from "../_runtimes.ts";
import { canPin, spawnChild } from "./_child.ts";
import { checkServerStats, expectedServerStats, type Measured, type Plan, type Workload, WORKLOADS } from "./_impl.ts";
import {
  cpuTable,
  FLOOR_VARIANTS,
  type FloorMode,
  key,
  MICRO_STEPS,
  microTable,
  type Rt,
  type Samples,
  throughputTable,
} from "./_floor_report.ts";

const WORKER = "scripts/bench/floor_worker.ts";
const MiB = 1 << 20;

const BINS = BENCH_BINS;

function cmd(rt: Rt, args: string[]): string[] {
  if (rt === "node") return [BINS.node, "--disable-warning=ExperimentalWarning", "--no-deprecation", WORKER, ...args];
  if (rt === "deno") return [BINS.deno, "run", "-A", WORKER, ...args];
  return [BINS.bun, "run", WORKER, ...args];
}

function plan(quick: boolean): Plan {
  return quick
    ? {
      bulk: { total: 32 * MiB, chunk: 64 * 1024, warm: 4 * MiB },
      pp1: { rounds: 2000, size: 64, warm: 200 },
      pp16: { conns: 16, rounds: 200, size: 64, warm: 20 },
      churn: { total: 200, concurrency: 8, warm: 40 },
      timeoutMs: 20_000,
    }
    : { // scripts/bench/run.ts's full plan
      bulk: { total: 512 * MiB, chunk: 64 * 1024, warm: 32 * MiB },
      pp1: { rounds: 20_000, size: 64, warm: 2000 },
      pp16: { conns: 16, rounds: 2000, size: 64, warm: 200 },
      churn: { total: 2000, concurrency: 8, warm: 200 },
      timeoutMs: 60_000,
    };
}

/** Busy and total jiffies of the machine (/proc/stat), for others' share of it. */
function jiffies(): { busy: number; total: number } | null {
  try {
    const f = Deno.readTextFileSync("/proc/stat").split("\n")[0].trim().split(/\s+/).slice(1).map(Number);
    const total = f.reduce((a, b) => a + b, 0);
    return { busy: total - f[3] - (f[4] ?? 0), total };
  } catch {
    return null;
  }
}

type Results = Record<Workload, Measured>;

/** One measurement of every workload in fresh processes; `ownCpuUs` is all of ours. */
async function measure(rt: Rt, v: string, mode: FloorMode, p: Plan): Promise<{ r: Results; ownCpuUs: number }> {
  const limit = p.timeoutMs * 9;
  if (mode === "one") {
    const c = spawnChild(cmd(rt, ["both", v, JSON.stringify({ plan: p })]), { cwd: root });
    try {
      const m = await c.next("RESULT", limit);
      await c.exit(5000);
      return { r: m.results as Results, ownCpuUs: m.procCpuUs as number };
    } finally {
      c.kill();
    }
  }
  const server = spawnChild(cmd(rt, ["server", v]), { cwd: root, cpu: 0 });
  let client: ReturnType<typeof spawnChild> | undefined;
  try {
    const ready = await server.next("READY", 30_000);
    const ports = { sink: ready.sink, echo: ready.echo };
    client = spawnChild(cmd(rt, ["client", v, JSON.stringify({ plan: p, ports })]), { cwd: root, cpu: 1 });
    const m = await client.next("RESULT", limit);
    await client.exit(5000);
    await server.closeStdin();
    const stats = await server.next("STATS", 10_000);
    await server.exit(10_000);
    const want = expectedServerStats(p);
    const problems = [
      // deno-lint-ignore no-explicit-any
      ...checkServerStats(stats.sink as any, want.sink, "sink"),
      // deno-lint-ignore no-explicit-any
      ...checkServerStats(stats.echo as any, want.echo, "echo"),
    ];
    if (problems.length) throw new Error(problems.join("; "));
    return { r: m.results as Results, ownCpuUs: (m.procCpuUs as number) + (stats.procCpuUs as number) };
  } finally {
    client?.kill();
    server.kill();
  }
}

const add = (s: Samples, k: string, x: number) => s.set(k, [...(s.get(k) ?? []), x]);

async function main(): Promise<void> {
  const get = (n: string) => Deno.args.find((a) => a.startsWith(`--${n}=`))?.split("=")[1];
  const quick = Deno.args.includes("--quick");
  const rts = (get("runtimes") ?? "node,deno,bun").split(",") as Rt[];
  const modes = (get("modes") ?? "one,separate").split(",") as FloorMode[];
  const runs = Number(get("runs") ?? (quick ? 1 : 3));
  const microN = Number(get("micro-n") ?? (quick ? 20_000 : 100_000));
  const p = plan(quick);
  const started = performance.now();
  const log = (s: string) => console.error(`[${((performance.now() - started) / 1000).toFixed(0).padStart(4)}s] ${s}`);
  const versions: Record<string, string> = {};
  for (const rt of rts) {
    const { stdout } = await new Deno.Command(BINS[rt], { args: ["--version"] }).output();
    versions[rt] = new TextDecoder().decode(stdout).split("\n")[0].trim();
  }
  const tput: Samples = new Map();
  const cpu: Samples = new Map();
  const micro: Samples = new Map();
  const others: number[] = [];
  const errors: string[] = [];
  const loadStart = Deno.loadavg();
  for (let run = 0; run < runs; run++) {
    for (const rt of rts) {
      try {
        const c = spawnChild(cmd(rt, ["micro", "-", JSON.stringify({ n: microN })]), { cwd: root });
        const m = (await c.next("RESULT", 120_000)).micro as Record<string, number>;
        c.kill();
        for (const [k, x] of Object.entries(m)) add(micro, `${rt}/${k}`, x);
        log(`run ${run + 1} ${rt} micro: ${MICRO_STEPS.map((s) => `${s} ${Math.round(m[s])} ns`).join(", ")}`);
      } catch (err) {
        errors.push(`${rt} micro: ${(err as Error).message.split("\n")[0]}`);
      }
      const vs = FLOOR_VARIANTS[rt];
      const rotated = [...vs.slice(run % vs.length), ...vs.slice(0, run % vs.length)];
      for (const mode of modes) {
        for (const v of rotated) {
          const label = `run ${run + 1}/${runs} ${rt} ${mode} ${v}`;
          try {
            const j0 = jiffies();
            const t0 = performance.now();
            const { r, ownCpuUs } = await measure(rt, v, mode, p);
            const j1 = jiffies();
            let other = "";
            if (j0 && j1) {
              // Others' share of all CPUs meanwhile (ours roughly subtracted: whole-process CPU).
              const wallUs = (performance.now() - t0) * 1000;
              const share = Math.max(0, ((j1.busy - j0.busy) * 10_000 - ownCpuUs) / (wallUs * (j1.total > 0 ? 2 : 1)));
              others.push(share);
              other = ` (others ~${Math.round(share * 100)}%)`;
            }
            const parts: string[] = [];
            for (const w of WORKLOADS) {
              const m = r[w];
              const s = m.ms / 1000;
              add(tput, key(rt, mode, v, w), w === "bulk" ? m.count / MiB / s : m.count / s);
              const ops = w === "bulk" ? m.count / MiB : m.count;
              if (m.cpuUs !== undefined) add(cpu, key(rt, mode, v, w), m.cpuUs / ops);
              parts.push(`${w} ${Math.round(w === "bulk" ? m.count / MiB / s : m.count / s)}`);
            }
            log(`${label}: ${parts.join(", ")}${other}`);
          } catch (err) {
            const msg = (err as Error).message.split("\n")[0].slice(0, 300);
            errors.push(`${label}: ${msg}`);
            log(`${label}: FAILED ${msg}`);
          }
        }
      }
    }
  }
  const sorted = [...others].sort((a, b) => a - b);
  const pct = (x: number | undefined) => `${Math.round((x ?? 0) * 100)}%`;
  const date = new Date().toISOString();
  const md = [
    `# Floor benchmark — ${date}${quick ? " (QUICK sizes)" : ""}`,
    "",
    `${rts.map((rt) => `${rt}: ${versions[rt]}`).join("; ")}. ${navigator.hardwareConcurrency} CPUs; one = both ends ` +
    `in one unpinned process; separate = server on CPU 0, client on CPU 1${
      canPin() ? " (taskset)" : " (no taskset!)"
    }. ` +
    `Medians of ${runs} run(s), ± half the min–max spread. bulk ${p.bulk.total / MiB} MiB in ${
      p.bulk.chunk / 1024
    } KiB writes; ping-pong ${p.pp1.rounds} round trips of ${p.pp1.size} B (1 conn), ${p.pp16.conns}×${p.pp16.rounds} ` +
    `(16 conns); churn ${p.churn.total} conns, ${p.churn.concurrency} at a time (the workloads of scripts/bench).`,
    "",
    `Load: other processes used a median ${pct(sorted[sorted.length >> 1])} (max ${
      pct(sorted[sorted.length - 1])
    }) of the 2 CPUs during the measurements; loadavg ${loadStart[0].toFixed(1)} at the start, ${
      Deno.loadavg()[0].toFixed(1)
    } at the end.`,
    "",
    "## Throughput (higher is better)",
    throughputTable(tput, rts, modes, WORKLOADS),
    "",
    `## CPU per operation ("separate": the client process only; "one": both ends)`,
    cpuTable(cpu, rts, modes, WORKLOADS),
    "",
    `## The Duplex's own cost per connection, no I/O (${microN.toLocaleString("en-US")} each, medians of ${runs})`,
    "",
    microTable(micro, rts),
    "",
    ...(errors.length ? ["## Errors", ...errors.map((e) => `- ${e}`)] : []),
    `total ${((performance.now() - started) / 1000).toFixed(0)} s`,
  ].join("\n");
  const base = join(root, ".bench", `floor-${date.slice(0, 16).replace(/:/g, "")}${quick ? "-quick" : ""}`);
  await Deno.mkdir(join(root, ".bench"), { recursive: true });
  await Deno.writeTextFile(`${base}.md`, md + "\n");
  await Deno.writeTextFile(
    `${base}.json`,
    JSON.stringify(
      {
        date,
        quick,
        runs,
        versions,
        plan: p,
        throughput: Object.fromEntries(tput),
        cpuPerOp: Object.fromEntries(cpu),
        micro: Object.fromEntries(micro),
        othersShare: others,
        errors,
      },
      null,
      1,
    ) + "\n",
  );
  console.log(md);
  console.log(`\nwritten: ${base}.md and .json`);
}

await main();
