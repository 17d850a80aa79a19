// Micro-benchmark (issue 13): Deno's tcp_wrap handles used raw, against Deno.connect
// (raw), Deno's node:net, and omninet on either Deno transport. Each sample is a fresh
// process with server and client in it: ping-pong (64 B, 1 connection), churn (connect,
// 1 byte echoed, half-close, close; 8 at a time), and the RSS / JS heap per idle
// connection pair (both ends in the process, so a pair is a server and a client socket).
//
//   node_modules/.bin/deno run -A scripts/investigate/deno_tcp_wrap_bench.ts [runs=3] [idle=4000]
//
// Loopback only; every workload has a time limit (withTimeout). Medians of `runs`, the
// variants interleaved so that load from elsewhere hits them alike.
import process from "node:process";
import { type Impl, withTimeout } from "../bench/_impl.ts";

const VARIANTS = ["tcpwrap", "raw", "node_net", "omninet", "omninet_conn"] as const;
type Variant = typeof VARIANTS[number];
const PP_ROUNDS = 5000;
const CHURN = { total: 1500, concurrency: 8 };

async function loadImpl(variant: Variant): Promise<Impl> {
  const { netImpl } = await import("../bench/_impl_net.ts");
  if (variant === "tcpwrap") return (await import("./_impl_tcpwrap.ts")).tcpWrapImpl();
  if (variant === "raw") return (await import("../bench/_impl_deno.ts")).denoImpl();
  if (variant === "node_net") return netImpl((await import("node:net")).default as never);
  return netImpl((await import("../../mod.ts")).default as never); // omninet, omninet_conn (env)
}

const cpu = () => {
  const u = process.cpuUsage();
  return u.user + u.system;
};

function gc(): void {
  (globalThis as { gc?: () => void }).gc?.();
}

async function settled(): Promise<{ rss: number; heap: number }> {
  for (let i = 0; i < 3; i++) {
    await new Promise((r) => setTimeout(r, 100));
    gc();
  }
  const m = process.memoryUsage();
  return { rss: m.rss, heap: m.heapUsed };
}

async function child(role: string, variant: Variant, n: number): Promise<void> {
  const impl = await loadImpl(variant);
  const echo = await impl.listen("echo");
  if (role === "speed") {
    await impl.pingPong(echo.port, 1, 200, 64); // warm-up
    await impl.churn(echo.port, 100, CHURN.concurrency);
    let c0 = cpu();
    const pp = await withTimeout(impl.pingPong(echo.port, 1, PP_ROUNDS, 64), 60_000, "ping-pong");
    const ppCpu = cpu() - c0;
    c0 = cpu();
    const ch = await withTimeout(impl.churn(echo.port, CHURN.total, CHURN.concurrency), 60_000, "churn");
    const chCpu = cpu() - c0;
    console.log(JSON.stringify({
      pp: pp.count / pp.ms * 1000,
      ppCpuUs: ppCpu / pp.count,
      churn: ch.count / ch.ms * 1000,
      churnCpuUs: chCpu / ch.count,
    }));
  } else {
    const warm = await impl.openIdle(echo.port, 200, 50);
    warm.close();
    const base = await settled();
    const set = await withTimeout(impl.openIdle(echo.port, n, 50), 60_000, "open idle");
    for (let i = 0; i < 100 && echo.stats().open < n; i++) await new Promise((r) => setTimeout(r, 50));
    const after = await settled();
    console.log(JSON.stringify({ rssPerPair: (after.rss - base.rss) / n, heapPerPair: (after.heap - base.heap) / n }));
    set.close();
  }
  await echo.close();
  process.exit(0);
}

async function sample(variant: Variant, role: string, n: number): Promise<Record<string, number> | null> {
  const deno = (globalThis as { Deno?: typeof Deno }).Deno!;
  const env: Record<string, string> = variant === "omninet_conn" ? { OMNINET_DENO_TRANSPORT: "conn" } : {};
  const cmd = new deno.Command(deno.execPath(), {
    args: ["run", "-A", "--v8-flags=--expose-gc", import.meta.filename!, "--child", role, variant, String(n)],
    env,
    stdout: "piped",
    stderr: "piped",
  });
  const out = await cmd.output();
  const line = new TextDecoder().decode(out.stdout).trim().split("\n").pop() ?? "";
  if (!out.success || !line.startsWith("{")) {
    console.error(`${variant} ${role}: failed\n${new TextDecoder().decode(out.stderr).slice(-800)}`);
    return null;
  }
  return JSON.parse(line);
}

const median = (xs: number[]) => xs.length ? [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] : NaN;

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  if (args[0] === "--child") return child(args[1], args[2] as Variant, Number(args[3]));
  const runs = Number(args[0] ?? 3);
  const idle = Number(args[1] ?? 4000);
  const got: Record<string, Record<string, number[]>> = {};
  for (let run = 0; run < runs; run++) {
    for (const v of VARIANTS) {
      for (const role of ["speed", "memory"]) {
        const r = await sample(v, role, idle);
        if (!r) continue;
        console.error(`run ${run + 1} ${v} ${role}: ${JSON.stringify(r)}`);
        for (const [k, x] of Object.entries(r)) ((got[v] ??= {})[k] ??= []).push(x);
      }
    }
  }
  const f = (v: Variant, k: string, digits = 0) => median(got[v]?.[k] ?? []).toFixed(digits);
  console.log(
    `\nDeno ${(globalThis as { Deno?: typeof Deno }).Deno?.version.deno}, medians of ${runs}; ${idle} idle pairs`,
  );
  console.log("| variant | ping-pong rt/s | CPU µs/rt | churn conn/s | CPU µs/conn | RSS B/pair | heap B/pair |");
  console.log("| ------- | -------------: | --------: | -----------: | ----------: | ---------: | ----------: |");
  for (const v of VARIANTS) {
    console.log(
      `| ${v} | ${f(v, "pp")} | ${f(v, "ppCpuUs", 1)} | ${f(v, "churn")} | ${f(v, "churnCpuUs", 1)} | ${
        f(v, "rssPerPair")
      } | ${f(v, "heapPerPair")} |`,
    );
  }
}

await main();
