// The workerd step of `npm test` (issue 14): omninet inside Cloudflare's runtime.
//
// 1. Bundles the test Worker (tests/workerd/_worker.ts: omninet over adapters/workerd, the
//    client scenarios) and the host half (tests/workerd/_host.ts) with `bun build`.
// 2. Starts the host half on Node 24: its servers on loopback, and the oracle: every client
//    scenario on Node 24's own node:net.
// 3. Writes a workerd config whose only outbound network is loopback (127.0.0.0/8, ::1),
//    starts workerd on a free loopback port, and asks the Worker over HTTP to run the
//    adapter checks, the scenarios on omninet and the scenarios on workerd's own node:net.
// 4. Compares: omninet's traces must equal node:net's, or the documented difference
//    (tests/workerd/_known.ts). workerd's node:net is measured, not counted.
// Every step is bounded; workerd and the host process are killed at the end.
//
// Standalone: `deno run -A scripts/workerd_run.ts` prints the report and `N passed, N failed`.
import { join } from "node:path";
import { root } from "./_runtimes.ts";
import type { Result } from "./_distribution.ts";
import type { Traces } from "../tests/diff/_harness.ts";
import { clientScenarios } from "../tests/workerd/_scenarios.ts";
import { knownDifferences } from "../tests/workerd/_known.ts";

const dir = join(root, ".build-workerd");
const bin = (name: string) => join(root, "node_modules/.bin", name);
const node24 = join(root, "node_modules/node24/bin/node");
const STEP_MS = 60_000;
/** The workerd compatibility date: node:* modules (nodejs_compat) are on by default since 2026-08-04. */
const COMPAT_DATE = "2026-11-01";

type Results = Record<string, Traces>;
interface Check {
  name: string;
  ok: boolean;
  detail: string;
}

/** What the run found, also written to .build-workerd/results.json. */
export interface WorkerdReport {
  nodeVersion: string;
  workerdVersion: string;
  scenarios: {
    name: string;
    omninet: "same" | "known" | "differs" | "stale";
    /** workerd's node:net: equal, equal once Node's `connectionAttempt*` events are left out, or not. */
    nodenet: "same" | "same without connectionAttempt" | "differs";
  }[];
  /** Wall time of the whole scenario run inside workerd, in ms. */
  ms: { omninet: number; nodenet: number };
  checks: Check[];
}

function withTimeout<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  return Promise.race([
    p,
    new Promise<T>((_, reject) => timer = setTimeout(() => reject(new Error(`${what}: timed out after ${ms} ms`)), ms)),
  ]).finally(() => clearTimeout(timer));
}

async function exec(cmd: string, args: string[]): Promise<string> {
  const out = await withTimeout(
    new Deno.Command(cmd, { args, cwd: root, stdout: "piped", stderr: "piped" }).output(),
    STEP_MS,
    `${cmd} ${args.join(" ")}`,
  );
  const text = new TextDecoder().decode(out.stdout) + new TextDecoder().decode(out.stderr);
  if (!out.success) throw new Error(`${cmd} ${args.join(" ")} failed:\n${text}`);
  return text;
}

function freePort(): number {
  const l = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = (l.addr as Deno.NetAddr).port;
  l.close();
  return port;
}

function config(port: number): string {
  return `using Workerd = import "/workerd/workerd.capnp";
const config :Workerd.Config = (
  services = [
    (name = "main", worker = .testWorker),
    # The Worker's only outbound network: loopback. cloudflare:sockets and fetch() use it.
    (name = "loopback", network = (allow = ["127.0.0.0/8", "::1/128"])),
  ],
  sockets = [(name = "http", address = "127.0.0.1:${port}", http = (), service = "main")],
);
const testWorker :Workerd.Worker = (
  modules = [(name = "worker.js", esModule = embed "worker.js")],
  compatibilityDate = "${COMPAT_DATE}",
  globalOutbound = "loopback",
);
`;
}

/** Read `child`'s stdout lines until one starts with every prefix in `wanted`. */
async function readLines(
  stream: ReadableStream<Uint8Array>,
  wanted: string[],
): Promise<Record<string, string>> {
  const found: Record<string, string> = {};
  let buffer = "";
  const reader = stream.pipeThrough(new TextDecoderStream()).getReader();
  while (wanted.some((w) => !(w in found))) {
    const { done, value } = await reader.read();
    if (done) throw new Error(`host process ended before printing ${wanted.join(", ")}:\n${buffer}`);
    buffer += value;
    let nl;
    while ((nl = buffer.indexOf("\n")) >= 0) {
      const line = buffer.slice(0, nl);
      buffer = buffer.slice(nl + 1);
      const prefix = wanted.find((w) => line.startsWith(`${w} `));
      if (prefix) found[prefix] = line.slice(prefix.length + 1);
    }
  }
  reader.releaseLock();
  return found;
}

async function getJson<T>(base: string, path: string, params: Record<string, string>): Promise<T> {
  const url = new URL(path, base);
  for (const [k, v] of Object.entries(params)) url.searchParams.set(k, v);
  const res = await fetch(url, { signal: AbortSignal.timeout(STEP_MS) });
  const text = await res.text();
  if (!res.ok) throw new Error(`${url.pathname}: HTTP ${res.status}: ${text}`);
  return JSON.parse(text) as T;
}

async function waitForWorker(base: string, workerd: Deno.ChildProcess): Promise<void> {
  let exited = false;
  workerd.status.then(() => exited = true);
  const until = Date.now() + 20_000;
  while (Date.now() < until && !exited) {
    try {
      const res = await fetch(new URL("/ready", base), { signal: AbortSignal.timeout(2000) });
      await res.body?.cancel();
      return;
    } catch {
      await new Promise((r) => setTimeout(r, 200));
    }
  }
  throw new Error(exited ? "workerd exited at start" : "workerd did not answer within 20 s");
}

function kill(child: Deno.ChildProcess | undefined): void {
  try {
    child?.kill("SIGKILL");
  } catch { /* already gone */ }
}

/**
 * Is omninet's trace node:net's, or the documented difference? A documented difference that
 * is gone counts as one too ("stale"): its entry in _known.ts must go.
 */
function judge(name: string, node: Traces, omninet: Traces | undefined): "same" | "known" | "differs" | "stale" {
  const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);
  const known = knownDifferences[name];
  if (same(node, omninet)) return known ? "stale" : "same";
  return known && same(known.expected(node), omninet) ? "known" : "differs";
}

/** workerd's node:net against Node's: also without the `connectionAttempt*` events it does not emit. */
function compareNodenet(node: Traces, nodenet: Traces | undefined): WorkerdReport["scenarios"][number]["nodenet"] {
  const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);
  if (same(node, nodenet)) return "same";
  const strip = (t: Traces | undefined) =>
    Object.fromEntries(
      Object.entries(t ?? {}).map(([k, v]) => [k, v.filter((l) => !l.startsWith("connectionAttempt"))]),
    );
  return same(strip(node), strip(nodenet)) ? "same without connectionAttempt" : "differs";
}

/** Outside workerd the adapter still imports; a connect fails with UNKNOWN naming the missing module. */
async function importCheck(): Promise<Check> {
  const name = "adapters/workerd imports outside workerd; a connect there fails as UNKNOWN with cause";
  try {
    const { adapter } = await import("../adapters/workerd/mod.ts");
    const { createNet } = await import("../src/net.ts");
    const socket = createNet(adapter).connect(9, "127.0.0.1");
    const err = await withTimeout(
      new Promise<Error & { code?: string; cause?: unknown }>((resolve) => socket.on("error", resolve)),
      5000,
      "error",
    );
    const ok = err.code === "UNKNOWN" && String(err.cause).includes("cloudflare:sockets");
    return { name, ok, detail: ok ? "" : `got ${err.code}: ${String(err.cause)}` };
  } catch (err) {
    return { name, ok: false, detail: String(err) };
  }
}

/** Run everything; returns the report (throws when a step could not run at all). */
export async function runWorkerd(log: (line: string) => void = console.log): Promise<WorkerdReport> {
  await Deno.mkdir(dir, { recursive: true });
  const bundle = (entry: string, out: string) =>
    exec(bin("bun"), [
      "build",
      entry,
      "--target",
      "node",
      "--format",
      "esm",
      "--external",
      "cloudflare:sockets",
      "--outfile",
      join(dir, out),
    ]);
  await bundle("tests/workerd/_worker.ts", "worker.js");
  await bundle("tests/workerd/_host.ts", "host.mjs");
  const workerdVersion = (await exec(bin("workerd"), ["--version"])).trim();

  let host: Deno.ChildProcess | undefined;
  let workerd: Deno.ChildProcess | undefined;
  try {
    host = new Deno.Command(node24, {
      args: [join(dir, "host.mjs")],
      stdin: "piped",
      stdout: "piped",
      stderr: "inherit",
    }).spawn();
    const lines = await withTimeout(readLines(host.stdout, ["PORTS", "ORACLE"]), STEP_MS, "host servers and oracle");
    const ports = lines.PORTS;
    const oracle = JSON.parse(lines.ORACLE) as { version: string; results: Results };

    const port = freePort();
    await Deno.writeTextFile(join(dir, "config.capnp"), config(port));
    workerd = new Deno.Command(bin("workerd"), {
      args: ["serve", "config.capnp"],
      cwd: dir,
      stdout: "inherit",
      stderr: "inherit",
    }).spawn();
    const base = `http://127.0.0.1:${port}`;
    await waitForWorker(base, workerd);
    const checks = await getJson<Check[]>(base, "/checks", { ports });
    let t = performance.now();
    const omninet = await getJson<Results>(base, "/run", { ports, impl: "omninet" });
    const ms = { omninet: Math.round(performance.now() - t), nodenet: 0 };
    t = performance.now();
    const nodenet = await getJson<Results>(base, "/run", { ports, impl: "nodenet" });
    ms.nodenet = Math.round(performance.now() - t);
    checks.push(await importCheck());

    const scenarios = clientScenarios.map(({ name }) => ({
      name,
      omninet: judge(name, oracle.results[name], omninet[name]),
      nodenet: compareNodenet(oracle.results[name], nodenet[name]),
    }));
    for (const s of scenarios) {
      if (s.omninet === "stale") {
        log(`omninet on workerd now matches node:net: ${s.name} (remove it from tests/workerd/_known.ts)`);
      } else if (s.omninet === "differs") {
        log(
          `omninet on workerd differs: ${s.name}\n  node:net ${JSON.stringify(oracle.results[s.name])}\n  omninet  ${
            JSON.stringify(omninet[s.name])
          }`,
        );
      }
    }
    const report: WorkerdReport = { nodeVersion: oracle.version, workerdVersion, scenarios, checks, ms };
    await Deno.writeTextFile(
      join(dir, "results.json"),
      JSON.stringify({ ...report, oracle, omninet, nodenet }, null, 2),
    );
    return report;
  } finally {
    try {
      await host?.stdin.close();
    } catch { /* gone */ }
    kill(workerd);
    kill(host);
    await Promise.allSettled([workerd?.status, host?.status].filter(Boolean));
  }
}

/** The workerd step for scripts/test.ts: one Result for the checks, one for the scenarios. */
export async function workerdChecks(): Promise<Result[]> {
  console.log(
    "\n# workerd: omninet inside Cloudflare's workerd over cloudflare:sockets (client scenarios vs Node 24's node:net)",
  );
  const results: Result[] = [];
  const print = (r: Result) => {
    results.push(r);
    console.log(
      `${r.failed ? "FAIL" : "ok  "} ${r.runtime.padEnd(12)} ${
        r.file.padEnd(46)
      } ${r.passed} passed, ${r.failed} failed`,
    );
    if (r.failed) console.log(`\n===== ${r.runtime} ${r.file} =====\n${r.output.trim()}\n`);
  };
  const out: string[] = [];
  try {
    const report = await withTimeout(runWorkerd((line) => out.push(line)), 5 * STEP_MS, "workerd run");
    const bad = report.checks.filter((c) => !c.ok);
    print({
      runtime: "workerd",
      file: "adapter checks",
      passed: report.checks.length - bad.length,
      failed: bad.length,
      output: bad.map((c) => `${c.name}: ${c.detail}`).join("\n"),
    });
    const differs = report.scenarios.filter((s) => s.omninet === "differs" || s.omninet === "stale");
    const known = report.scenarios.filter((s) => s.omninet === "known").length;
    print({
      runtime: "workerd",
      file: `client scenarios (${known} known differences)`,
      passed: report.scenarios.length - differs.length,
      failed: differs.length,
      output: out.join("\n"),
    });
    const count = (f: (s: WorkerdReport["scenarios"][number]) => boolean) => report.scenarios.filter(f).length;
    const n = report.scenarios.length;
    console.log(
      `     traces equal to Node ${report.nodeVersion}'s node:net: omninet ${
        count((s) => s.omninet === "same" || s.omninet === "stale")
      }/${n} ` +
        `(${report.ms.omninet} ms); workerd's node:net ${count((s) => s.nodenet === "same")}/${n}, ` +
        `${count((s) => s.nodenet !== "differs")}/${n} leaving out connectionAttempt events ` +
        `(${report.ms.nodenet} ms; ${report.workerdVersion})`,
    );
  } catch (err) {
    print({ runtime: "workerd", file: "scripts/workerd_run.ts", passed: 0, failed: 1, output: String(err) });
  }
  return results;
}

if (import.meta.main) {
  const results = await workerdChecks();
  const passed = results.reduce((n, r) => n + r.passed, 0);
  const failed = results.reduce((n, r) => n + r.failed, 0);
  console.log(`\n${passed} passed, ${failed} failed`);
  Deno.exit(failed === 0 ? 0 : 1);
}
