// CPU profile of one workload of one variant, both ends in one process:
//
//   deno run -A scripts/investigate/profile.ts --runtime=deno --variant=omninet --workload=churn
//     [--compare=node_net,raw] [--top=25] [--interval=100] [--scale=1] [--full-plan]
//
// --compare profiles the other variants the same way and prints µs per operation side by
// side; --separate profiles the client alone, against a server of the same variant in a
// process of its own (the benchmark's "separate" mode, unpinned; Node and Deno only); --full-plan runs every workload at the benchmark's sizes (the profile still covers
// only the measured part of --workload), so the heap is in the state the benchmark sees.
//
// Node and Deno are profiled through the V8 inspector (`--inspect-wait`, the CDP Profiler
// domain; `deno run` has no --cpu-prof), Bun with its own `--cpu-prof`. Writes
// .bench/profiles/<runtime>_<variant>_<workload>.cpuprofile (open it in Chrome DevTools)
// and prints self time by category (omninet core, adapter, runtime JS, native, GC) and
// the top functions by self and by inclusive time.
import { join } from "node:path";
import { BENCH_BINS, root } from "../_runtimes.ts";
import type { Plan, Workload } from "../bench/_impl.ts";
import { WORKLOADS } from "../bench/_impl.ts";
import { cdp, readUntil } from "./_cdp.ts";

const MiB = 1 << 20;
const BINS = BENCH_BINS;
type Rt = keyof typeof BINS;

/** The benchmark's own full plan (every workload at full size, as `scripts/bench/run.ts` runs them). */
function fullPlan(): Plan {
  return {
    bulk: { total: 512 * MiB, chunk: 64 * 1024, warm: 32 * MiB },
    pp1: { rounds: 20_000, size: 64, warm: 2000 },
    pp16: { conns: 16, rounds: 2000, size: 64, warm: 200 },
    churn: { total: 2000, concurrency: 8, warm: 200 },
    timeoutMs: 120_000,
  };
}

/** The plan with `workload` at full size (times `scale`) and the others at a token size. */
function planFor(workload: Workload, scale: number): Plan {
  const plan: Plan = {
    bulk: { total: 64 * 1024, chunk: 64 * 1024, warm: 64 * 1024 },
    pp1: { rounds: 1, size: 64, warm: 1 },
    pp16: { conns: 16, rounds: 1, size: 64, warm: 1 },
    churn: { total: 1, concurrency: 1, warm: 1 },
    timeoutMs: 120_000,
  };
  const n = (x: number) => Math.max(1, Math.round(x * scale));
  if (workload === "bulk") plan.bulk = { total: n(1024) * MiB, chunk: 64 * 1024, warm: 32 * MiB };
  if (workload === "pp1") plan.pp1 = { rounds: n(40_000), size: 64, warm: 2000 };
  if (workload === "pp16") plan.pp16 = { conns: 16, rounds: n(4000), size: 64, warm: 200 };
  if (workload === "churn") plan.churn = { total: n(6000), concurrency: 8, warm: 200 };
  return plan;
}

interface CallFrame {
  functionName: string;
  url: string;
  lineNumber: number;
  columnNumber: number;
}
interface ProfileNode {
  id: number;
  callFrame: CallFrame;
  children?: number[];
  hitCount?: number;
}
interface CpuProfile {
  nodes: ProfileNode[];
  samples?: number[];
  timeDeltas?: number[];
  startTime: number;
  endTime: number;
}

/**
 * Run the worker under the V8 inspector; profile only the measured part of the workload
 * (the worker stops at @@GATE before it and at @@GATED after it). The profile and the
 * worker's result.
 */
async function profileV8(
  rt: "node" | "deno",
  args: string[],
  interval: number,
): Promise<{ profile: CpuProfile; result: Record<string, unknown> }> {
  const port = 9300 + Math.floor(Math.random() * 500);
  const pre = rt === "deno"
    ? ["run", "-A", `--inspect-wait=127.0.0.1:${port}`]
    : ["--disable-warning=ExperimentalWarning", `--inspect-wait=127.0.0.1:${port}`];
  const proc = new Deno.Command(BINS[rt], {
    args: [...pre, "scripts/bench/worker.ts", ...args],
    cwd: root,
    stdin: "piped",
    stdout: "piped",
    stderr: "piped",
    env: { BENCH_HOLD: "1", NO_COLOR: "1" },
  }).spawn();
  const timer = setTimeout(() => proc.kill("SIGKILL"), 300_000);
  const writer = proc.stdin.getWriter();
  const send = (line: string) => writer.write(new TextEncoder().encode(line + "\n"));
  try {
    const err = proc.stderr.pipeThrough(new TextDecoderStream()).getReader();
    const banner = await readUntil(err, /ws:\/\/\S+/, 20_000);
    const url = /ws:\/\/\S+/.exec(banner)![0];
    (async () => {
      for (;;) if ((await err.read()).done) break;
    })();
    const session = await cdp(url);
    await session.call("Profiler.enable");
    await session.call("Profiler.setSamplingInterval", { interval });
    await session.call("Runtime.runIfWaitingForDebugger");
    const out = proc.stdout.pipeThrough(new TextDecoderStream()).getReader();
    let text = await readUntil(out, /@@(GATE|ERROR) /, 120_000);
    if (/@@ERROR/.test(text)) throw new Error(text);
    await session.call("Profiler.start");
    await send("start");
    text += await readUntil(out, /@@(GATED|ERROR) /, 280_000);
    const stopped = await session.call("Profiler.stop");
    await send("stop");
    if (!/@@RESULT .*\n/.test(text)) text += await readUntil(out, /@@(RESULT|ERROR) .*\n/, 60_000);
    const line = /@@(RESULT|ERROR) (.*)\n/.exec(text)!;
    if (line[1] === "ERROR") throw new Error(JSON.parse(line[2]).message);
    session.close();
    await writer.close();
    return { profile: (stopped.result as { profile: CpuProfile }).profile, result: JSON.parse(line[2]) };
  } finally {
    clearTimeout(timer);
    try {
      proc.kill("SIGKILL");
    } catch { /* exited */ }
    await proc.status;
  }
}

/** A server worker of `variant` in a process of its own (--separate): its ports, and how to stop it. */
async function startServer(rt: Rt, variant: string): Promise<{ ports: unknown; stop(): Promise<void> }> {
  const pre = rt === "deno" ? ["run", "-A"] : ["--disable-warning=ExperimentalWarning"];
  const proc = new Deno.Command(BINS[rt], {
    args: [...pre, "scripts/bench/worker.ts", "server", variant],
    cwd: root,
    stdin: "piped",
    stdout: "piped",
    stderr: "inherit",
    env: { NO_COLOR: "1" },
  }).spawn();
  const out = proc.stdout.pipeThrough(new TextDecoderStream()).getReader();
  const text = await readUntil(out, /@@(READY|ERROR) .*\n/, 30_000);
  const line = /@@(READY|ERROR) (.*)\n/.exec(text)!;
  if (line[1] === "ERROR") throw new Error(line[2]);
  const { sink, echo } = JSON.parse(line[2]) as { sink: number; echo: number };
  return {
    ports: { sink, echo },
    async stop() {
      await proc.stdin.close().catch(() => {});
      const timer = setTimeout(() => proc.kill("SIGKILL"), 10_000);
      (async () => {
        for (;;) if ((await out.read()).done) break;
      })();
      await proc.status;
      clearTimeout(timer);
    },
  };
}

/** Run the worker under Bun's `--cpu-prof`; return the profile it wrote. */
async function profileBun(
  args: string[],
  interval: number,
  dir: string,
): Promise<{ profile: CpuProfile; result: Record<string, unknown> }> {
  const name = `bun_${Date.now()}.cpuprofile`;
  const proc = new Deno.Command(BINS.bun, {
    args: [
      "--cpu-prof",
      `--cpu-prof-dir=${dir}`,
      `--cpu-prof-name=${name}`,
      `--cpu-prof-interval=${interval}`,
      "run",
      "scripts/bench/worker.ts",
      ...args,
    ],
    cwd: root,
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
    env: { NO_COLOR: "1" },
  }).spawn();
  const timer = setTimeout(() => proc.kill("SIGKILL"), 300_000);
  const { stdout, stderr } = await proc.output();
  clearTimeout(timer);
  const text = new TextDecoder().decode(stdout);
  const line = /@@(RESULT|ERROR) (.*)/.exec(text);
  if (!line || line[1] === "ERROR") throw new Error(`${text}\n${new TextDecoder().decode(stderr)}`);
  const path = join(dir, name);
  const profile = JSON.parse(await Deno.readTextFile(path)) as CpuProfile;
  await Deno.remove(path);
  return { profile, result: JSON.parse(line[2]) };
}

function category(cf: CallFrame): string {
  const u = cf.url;
  const f = cf.functionName;
  if (f === "(garbage collector)") return "GC";
  if (f === "(idle)") return "idle";
  if (f === "(program)" || f === "(root)") return "(program: native, not JS)";
  if (u.includes("/node_modules/")) return "other";
  if (u.includes("/scripts/bench/")) return "bench harness";
  if (u.includes("/adapters/")) return "omninet adapter";
  if (u.includes("/src/") || u.includes("/runtime/") || /\/mod\.ts$/.test(u)) return "omninet core";
  if (u === "") return "native / builtin";
  return "runtime JS (streams, events, node compat)";
}

function shortUrl(u: string): string {
  return u.replace(/^file:\/\//, "").replace(root + "/", "").replace(/^.*\/node_modules\//, "node_modules/");
}

function key(cf: CallFrame): string {
  const name = cf.functionName || "(anonymous)";
  if (!cf.url) return name;
  return `${name} ${shortUrl(cf.url)}:${cf.lineNumber + 1}`;
}

/** Self and inclusive time per function and self time per category, in µs. */
function analyze(p: CpuProfile) {
  const byId = new Map<number, ProfileNode>();
  const parent = new Map<number, number>();
  for (const n of p.nodes) {
    byId.set(n.id, n);
    for (const c of n.children ?? []) parent.set(c, n.id);
  }
  const selfUs = new Map<number, number>();
  if (p.samples && p.timeDeltas) {
    for (let i = 0; i < p.samples.length; i++) {
      const dt = p.timeDeltas[i + 1] ?? 0;
      selfUs.set(p.samples[i], (selfUs.get(p.samples[i]) ?? 0) + Math.max(0, dt));
    }
  } else {
    const per = (p.endTime - p.startTime) / Math.max(1, p.nodes.reduce((a, n) => a + (n.hitCount ?? 0), 0));
    for (const n of p.nodes) selfUs.set(n.id, (n.hitCount ?? 0) * per);
  }
  const self = new Map<string, number>();
  const incl = new Map<string, number>();
  const cats = new Map<string, number>();
  let total = 0;
  for (const [id, us] of selfUs) {
    const n = byId.get(id)!;
    const cat = category(n.callFrame);
    cats.set(cat, (cats.get(cat) ?? 0) + us);
    if (cat === "idle") continue;
    total += us;
    const k = key(n.callFrame);
    self.set(k, (self.get(k) ?? 0) + us);
    const seen = new Set<string>();
    for (let cur: number | undefined = id; cur !== undefined; cur = parent.get(cur)) {
      const kk = key(byId.get(cur)!.callFrame);
      if (seen.has(kk)) continue;
      seen.add(kk);
      incl.set(kk, (incl.get(kk) ?? 0) + us);
    }
  }
  return { self, incl, cats, total };
}

const OP_UNIT: Record<Workload, string> = { bulk: "MiB", pp1: "round trip", pp16: "round trip", churn: "conn" };

function opsOf(workload: Workload, result: Record<string, unknown>): number {
  const m = (result.results as Record<string, { count: number }>)[workload];
  return workload === "bulk" ? m.count / MiB : m.count;
}

const us = (x: number | undefined) => x === undefined ? "–" : x < 10 ? x.toFixed(2) : x.toFixed(1);

type Analysis = ReturnType<typeof analyze> & { variant: string; ops: number };

/** Rows of `pick(first)` sorted by the first variant's value, µs per op in every variant. */
function perOpTable(
  title: string,
  runs: Analysis[],
  pick: (a: Analysis) => Map<string, number>,
  top: number,
  filter = (_k: string) => true,
) {
  const [first] = runs;
  const keys = [...pick(first)].filter(([k]) => filter(k)).sort((a, b) => b[1] - a[1]).slice(0, top).map(([k]) => k);
  const lines = [
    title,
    `| ${runs.map((r) => `${r.variant} µs/op`).join(" | ")} | ${first.variant} % | function |`,
    `|${runs.map(() => "---:").join("|")}|---:|---|`,
  ];
  for (const k of keys) {
    const vals = runs.map((r) => us(pick(r).has(k) ? pick(r).get(k)! / r.ops : undefined));
    lines.push(`| ${vals.join(" | ")} | ${(pick(first).get(k)! / first.total * 100).toFixed(1)} | \`${k}\` |`);
  }
  return lines.join("\n");
}

async function main() {
  const get = (name: string, def: string) => Deno.args.find((a) => a.startsWith(`--${name}=`))?.split("=")[1] ?? def;
  const rt = get("runtime", "node") as Rt;
  const variant = get("variant", "omninet");
  const compare = get("compare", "").split(",").filter(Boolean);
  const workload = get("workload", "churn") as Workload;
  const top = Number(get("top", "25"));
  const interval = Number(get("interval", "100"));
  const scale = Number(get("scale", "1"));
  const separate = Deno.args.includes("--separate");
  if (separate && rt === "bun") throw new Error("--separate: Node and Deno only");
  if (!(rt in BINS)) throw new Error(`--runtime: node, deno or bun`);
  if (!WORKLOADS.includes(workload)) throw new Error(`--workload: ${WORKLOADS.join(", ")}`);
  const dir = join(root, ".bench/profiles");
  await Deno.mkdir(dir, { recursive: true });
  const runs: Analysis[] = [];
  for (const v of [variant, ...compare]) {
    // Bun's --cpu-prof covers the whole process: no gate, and the other workloads token-sized.
    const full = Deno.args.includes("--full-plan") && rt !== "bun";
    const plan = full ? fullPlan() : planFor(workload, scale);
    const server = separate ? await startServer(rt, v) : null;
    const args = separate
      ? ["client", v, JSON.stringify({ plan, ports: server!.ports, profile: workload })]
      : ["both", v, JSON.stringify(rt === "bun" ? { plan } : { plan, profile: workload })];
    const { profile, result } = rt === "bun"
      ? await profileBun(args, interval, dir)
      : await profileV8(rt, args, interval).finally(() => server?.stop());
    await Deno.writeTextFile(join(dir, `${rt}_${v}_${workload}.cpuprofile`), JSON.stringify(profile));
    const ops = opsOf(workload, result);
    const ms = (result.results as Record<string, { ms: number }>)[workload].ms;
    console.error(`${rt} ${v} ${workload}: ${ops.toFixed(0)} ${OP_UNIT[workload]}s in ${ms.toFixed(0)} ms`);
    runs.push({ ...analyze(profile), variant: v, ops });
  }
  const isOurs = (k: string) => / (src|adapters|runtime)\/|mod\.ts:/.test(k);
  const md = [
    `## ${rt} ${workload}: ${runs.map((r) => r.variant).join(" vs ")} (${
      separate ? "the client alone, its server in another process" : "both ends in one process"
    }; CPU µs per ${OP_UNIT[workload]}, profiled over the measured part only${
      rt === "bun" ? " — Bun: whole process" : ""
    })`,
    "",
    `busy µs/op: ${runs.map((r) => `${r.variant} ${us(r.total / r.ops)}`).join(", ")}`,
    "",
    perOpTable("Self time by category:", runs, (a) => a.cats, 20, (k) => k !== "idle"),
    "",
    perOpTable(`Top ${top} functions by self time (${variant}):`, runs, (a) => a.self, top),
    "",
    perOpTable(`Top ${top} omninet functions by inclusive time:`, runs, (a) => a.incl, top, isOurs),
    "",
  ].join("\n");
  const base = `${rt}_${[variant, ...compare].join("_vs_")}_${workload}${separate ? "_client" : ""}`;
  await Deno.writeTextFile(join(dir, `${base}.md`), md);
  console.log(md);
  console.log(`written: .bench/profiles/${base}.md and one .cpuprofile per variant`);
}

await main();
