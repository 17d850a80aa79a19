// CPU profile of the floor benchmark's variants (floor_worker.ts, both ends in one process):
// where raw + one Duplex spends its time beyond the raw API, by category (node:stream,
// events, ticks, the floor layer itself, the runtime's raw API JS, native, GC).
//
//   deno run -A scripts/bench/floor_profile.ts --runtime=deno --workload=churn
//     [--variants=raw,floor,node_net] [--scale=1] [--interval=100] [--top=20]
//
// The workload runs scaled up and the others token-sized; the profile covers the whole
// process (start-up and warm-up included, small next to the workload). Node and Deno through
// the V8 inspector (--inspect-wait), Bun with its --cpu-prof. Writes
// .bench/profiles/floor_<runtime>_<workload>.md and one .cpuprofile per variant.
import { join } from "node:path";
import { BENCH_BINS, root } from "../_runtimes.ts";
import type { Plan, Workload } from "./_impl.ts";
import { cdp, readUntil } from "../investigate/_cdp.ts";

const MiB = 1 << 20;
const BINS = BENCH_BINS;
type Rt = keyof typeof BINS;
const WORKER = "scripts/bench/floor_worker.ts";

function planFor(w: Workload, scale: number): Plan {
  const n = (x: number) => Math.max(1, Math.round(x * scale));
  return {
    bulk: w === "bulk"
      ? { total: n(1024) * MiB, chunk: 64 * 1024, warm: 32 * MiB }
      : { total: 65536, chunk: 65536, warm: 65536 },
    pp1: w === "pp1" ? { rounds: n(40_000), size: 64, warm: 2000 } : { rounds: 1, size: 64, warm: 1 },
    pp16: w === "pp16"
      ? { conns: 16, rounds: n(4000), size: 64, warm: 200 }
      : { conns: 16, rounds: 1, size: 64, warm: 1 },
    churn: w === "churn" ? { total: n(6000), concurrency: 8, warm: 200 } : { total: 1, concurrency: 1, warm: 1 },
    timeoutMs: 120_000,
  };
}

interface Node {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
  hitCount?: number;
}
interface Profile {
  nodes: Node[];
  samples?: number[];
  timeDeltas?: number[];
  startTime: number;
  endTime: number;
}

async function profileV8(rt: "node" | "deno", args: string[], interval: number) {
  const port = 9300 + Math.floor(Math.random() * 500);
  const pre = rt === "deno" ? ["run", "-A", `--inspect-wait=127.0.0.1:${port}`] : [
    "--disable-warning=ExperimentalWarning",
    "--no-deprecation",
    `--inspect-wait=127.0.0.1:${port}`,
  ];
  const proc = new Deno.Command(BINS[rt], {
    args: [...pre, WORKER, ...args],
    cwd: root,
    stdin: "piped",
    stdout: "piped",
    stderr: "piped",
    env: { FLOOR_HOLD: "1", NO_COLOR: "1" },
  }).spawn();
  const timer = setTimeout(() => proc.kill("SIGKILL"), 300_000);
  try {
    const err = proc.stderr.pipeThrough(new TextDecoderStream()).getReader();
    const url = /ws:\/\/\S+/.exec(await readUntil(err, /ws:\/\/\S+/, 20_000))![0];
    (async () => {
      while (!(await err.read()).done);
    })();
    const session = await cdp(url);
    await session.call("Profiler.enable");
    await session.call("Profiler.setSamplingInterval", { interval });
    await session.call("Profiler.start");
    await session.call("Runtime.runIfWaitingForDebugger");
    const out = proc.stdout.pipeThrough(new TextDecoderStream()).getReader();
    const text = await readUntil(out, /@@(RESULT|ERROR) .*\n/, 280_000);
    const stopped = await session.call("Profiler.stop");
    session.close();
    await proc.stdin.close();
    const line = /@@(RESULT|ERROR) (.*)\n/.exec(text)!;
    if (line[1] === "ERROR") throw new Error(JSON.parse(line[2]).message);
    return { profile: (stopped.result as { profile: Profile }).profile, result: JSON.parse(line[2]) };
  } finally {
    clearTimeout(timer);
    try {
      proc.kill("SIGKILL");
    } catch { /* exited */ }
    await proc.status;
  }
}

async function profileBun(args: string[], interval: number, dir: string) {
  const name = `floor_bun_${Date.now()}.cpuprofile`;
  const { stdout, stderr } = await new Deno.Command(BINS.bun, {
    args: ["--cpu-prof", `--cpu-prof-dir=${dir}`, `--cpu-prof-name=${name}`, `--cpu-prof-interval=${interval}`, "run"]
      .concat([WORKER, ...args]),
    cwd: root,
    stdout: "piped",
    stderr: "piped",
    env: { NO_COLOR: "1" },
  }).output();
  const text = new TextDecoder().decode(stdout);
  const line = /@@(RESULT|ERROR) (.*)/.exec(text);
  if (!line || line[1] === "ERROR") throw new Error(`${text}\n${new TextDecoder().decode(stderr)}`);
  const profile = JSON.parse(await Deno.readTextFile(join(dir, name))) as Profile;
  await Deno.remove(join(dir, name));
  return { profile, result: JSON.parse(line[2]) };
}

/** What a sample's function belongs to. */
function category(f: string, u: string): string {
  if (f === "(garbage collector)") return "GC";
  if (f === "(idle)") return "idle";
  if (f === "(program)" || f === "(root)") return "(program: native)";
  if (/scripts\/bench\/_impl_floor/.test(u)) return "floor layer (Duplex subclass + raw glue)";
  if (/scripts\/bench\/_impl_(deno|bun)\.ts|_impl_tcpwrap|investigate\/_uv/.test(u)) return "raw workload code";
  if (/scripts\/bench\//.test(u)) return "workload harness (_impl_net, worker)";
  if (u.includes(root) && /\/(src|adapters|runtime)\/|\/mod\.ts$/.test(u)) return "omninet";
  if (/stream|readable|writable|duplex|destroy|end-of-stream|add-abort/i.test(u)) return "node:stream";
  if (/events/i.test(u)) return "node:events";
  if (/buffer/i.test(u)) return "node:buffer (Uint8Array -> Buffer)";
  if (/next_tick|task_queues|timers|process/i.test(u)) return "nextTick / timers / process";
  if (/net|tcp_wrap|stream_wrap|handle/i.test(u)) return "runtime net / handles JS";
  if (/^ext:core\//.test(u)) return "Deno core JS (ops, promises)";
  if (u === "" || /^native /.test(u)) return "native / builtin (ops, syscalls)";
  return "other runtime JS";
}

function analyze(p: Profile) {
  const byId = new Map(p.nodes.map((n) => [n.id, n]));
  const self = new Map<number, number>();
  if (p.samples && p.timeDeltas) {
    for (let i = 0; i < p.samples.length; i++) {
      self.set(p.samples[i], (self.get(p.samples[i]) ?? 0) + Math.max(0, p.timeDeltas[i + 1] ?? 0));
    }
  } else {
    const hits = p.nodes.reduce((a, n) => a + (n.hitCount ?? 0), 0);
    for (const n of p.nodes) self.set(n.id, (n.hitCount ?? 0) * (p.endTime - p.startTime) / Math.max(1, hits));
  }
  const cats = new Map<string, number>();
  const fns = new Map<string, number>();
  let total = 0;
  for (const [id, us] of self) {
    const { functionName: f, url: u, lineNumber } = byId.get(id)!.callFrame;
    const c = category(f, u);
    if (c === "idle") continue;
    cats.set(c, (cats.get(c) ?? 0) + us);
    total += us;
    const k = `${f || "(anonymous)"}${
      u ? ` ${u.replace(/^file:\/\//, "").replace(root + "/", "")}:${lineNumber + 1}` : ""
    }`;
    fns.set(k, (fns.get(k) ?? 0) + us);
  }
  return { cats, fns, total };
}

const fmt = (x: number | undefined) => x === undefined ? "–" : x < 10 ? x.toFixed(2) : x.toFixed(1);

async function main() {
  const get = (n: string, d: string) => Deno.args.find((a) => a.startsWith(`--${n}=`))?.split("=")[1] ?? d;
  const rt = get("runtime", "deno") as Rt;
  const w = get("workload", "churn") as Workload;
  const variants = get("variants", rt === "deno" ? "raw,floor,floor_h,node_net" : "raw,floor,node_net").split(",");
  const interval = Number(get("interval", "100"));
  const top = Number(get("top", "20"));
  const plan = planFor(w, Number(get("scale", "1")));
  const dir = join(root, ".bench/profiles");
  await Deno.mkdir(dir, { recursive: true });
  const runs: ({ v: string; ops: number } & ReturnType<typeof analyze>)[] = [];
  for (const v of variants) {
    const args = ["both", v, JSON.stringify({ plan })];
    const { profile, result } = rt === "bun"
      ? await profileBun(args, interval, dir)
      : await profileV8(rt, args, interval);
    await Deno.writeTextFile(join(dir, `floor_${rt}_${v}_${w}.cpuprofile`), JSON.stringify(profile));
    const m = result.results[w] as { count: number; ms: number };
    const ops = w === "bulk" ? m.count / MiB : m.count;
    console.error(`${rt} ${v} ${w}: ${ops.toFixed(0)} ops in ${m.ms.toFixed(0)} ms`);
    runs.push({ v, ops, ...analyze(profile) });
  }
  const unit = w === "bulk" ? "MiB" : w === "churn" ? "conn" : "round trip";
  const ref = runs.find((r) => r.v === "floor") ?? runs[0];
  const catKeys = [...new Set(runs.flatMap((r) => [...r.cats.keys()]))].sort((a, b) =>
    (ref.cats.get(b) ?? 0) - (ref.cats.get(a) ?? 0)
  );
  const lines = [
    `## ${rt} ${w}: CPU µs per ${unit} by category (whole process, both ends; ${plan.churn.total} conns / ${plan.pp1.rounds} rt / ${
      plan.bulk.total / MiB
    } MiB)`,
    "",
    `| category | ${runs.map((r) => r.v).join(" | ")} |`,
    `|---|${runs.map(() => "---:").join("|")}|`,
    `| **busy total** | ${runs.map((r) => fmt(r.total / r.ops)).join(" | ")} |`,
    ...catKeys.map((c) =>
      `| ${c} | ${runs.map((r) => fmt(r.cats.has(c) ? r.cats.get(c)! / r.ops : undefined)).join(" | ")} |`
    ),
  ];
  const floor = ref;
  lines.push(
    "",
    `Top ${top} functions by self time in ${floor.v} (µs per ${unit}):`,
    "",
    "| µs/op | % | function |",
    "|---:|---:|---|",
  );
  for (const [k, us] of [...floor.fns].sort((a, b) => b[1] - a[1]).slice(0, top)) {
    lines.push(`| ${fmt(us / floor.ops)} | ${(us / floor.total * 100).toFixed(1)} | \`${k}\` |`);
  }
  const md = lines.join("\n") + "\n";
  await Deno.writeTextFile(join(dir, `floor_${rt}_${w}.md`), md);
  console.log(md);
}

await main();
