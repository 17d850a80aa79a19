// `npm test`: type-check, lint, check formatting, check that src/ stays runtime-neutral,
// compile for Node with tsc, then run every test file on Node 20, Node 24, Deno and Bun
// (oracle tests, which compare against node:net, on Node only; tests/deno/, of what exists
// only on Deno, on Deno). Each file runs in its own process with a time limit. Then the
// workerd step (scripts/workerd_run.ts). Ends with one line `N passed, N failed`
// over all runtimes.
import { join, relative } from "node:path";
import { root, run, type Runtime, runtimes } from "./_runtimes.ts";
import { distributionChecks } from "./_distribution.ts";
import { workerdChecks } from "./workerd_run.ts";

const FILE_TIMEOUT_MS = 120_000;
const PARALLEL = 2;

interface Result {
  runtime: string;
  file: string;
  passed: number;
  failed: number;
  output: string;
}

async function listTests(dir: string): Promise<string[]> {
  const out: string[] = [];
  try {
    for await (const entry of Deno.readDir(join(root, dir))) {
      if (entry.isFile && entry.name.endsWith("_test.ts")) out.push(`${dir}/${entry.name}`);
    }
  } catch (err) {
    if (!(err instanceof Deno.errors.NotFound)) throw err;
  }
  return out.sort();
}

function parseUvu(text: string): { total: number; passed: number } | null {
  const total = /Total:\s+(\d+)/.exec(text);
  const passed = /Passed:\s+(\d+)/.exec(text);
  if (!total || !passed) return null;
  return { total: Number(total[1]), passed: Number(passed[1]) };
}

async function runFile(rt: Runtime, file: string): Promise<Result> {
  const script = rt.compiled ? join(".build", file.replace(/\.ts$/, ".js")) : file;
  const child = new Deno.Command(rt.bin, {
    args: [...rt.args, script],
    cwd: root,
    stdout: "piped",
    stderr: "piped",
    env: { NO_COLOR: "1", OMNINET_RUNTIME: rt.name },
  }).spawn();
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    try {
      child.kill("SIGKILL");
    } catch { /* already gone */ }
  }, FILE_TIMEOUT_MS);
  const { code, stdout, stderr } = await child.output();
  clearTimeout(timer);
  const output = new TextDecoder().decode(stdout) + new TextDecoder().decode(stderr);
  const counts = parseUvu(output);
  let passed = counts?.passed ?? 0;
  let failed = counts ? counts.total - counts.passed : 0;
  if (timedOut || code !== 0 || !counts) {
    if (failed === 0) failed = 1;
    if (timedOut) passed = 0;
  }
  const note = timedOut
    ? `\n[killed after ${FILE_TIMEOUT_MS} ms]`
    : code !== 0 && !counts
    ? `\n[exit code ${code}]`
    : "";
  return { runtime: rt.name, file, passed, failed, output: output + note };
}

async function pool<T, R>(items: T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  const workers = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) {
      const i = next++;
      results[i] = await fn(items[i]);
    }
  });
  await Promise.all(workers);
  return results;
}

/** The files deno.json exports: the package's public entry points. */
async function publicEntryPoints(): Promise<string[]> {
  const config = JSON.parse(await Deno.readTextFile(join(root, "deno.json"))) as { exports: Record<string, string> };
  return Object.values(config.exports);
}

async function main(): Promise<number> {
  const deno = join(root, "node_modules/.bin/deno");
  const tsc = join(root, "node_modules/.bin/tsc");
  const only = Deno.args.filter((a) => !a.startsWith("--"));
  const skipChecks = Deno.args.includes("--no-checks");
  if (!skipChecks) {
    console.log("# deno check");
    await run(deno, ["check", "mod.ts", "src/", "adapters/", "tests/", "scripts/"]);
    console.log("# deno lint");
    await run(deno, ["lint"]);
    console.log("# deno fmt --check");
    await run(deno, ["fmt", "--check"]);
    console.log("# deno doc --lint (every public entry point)");
    await run(deno, ["doc", "--lint", ...await publicEntryPoints()]);
    console.log("# check_neutral");
    await run(deno, ["run", "--allow-read", "scripts/check_neutral.ts"]);
    console.log("# check_cycles");
    await run(deno, ["run", "--allow-read", "scripts/check_cycles.ts"]);
  }
  console.log("# tsc (Node 20/24 run the compiled output)");
  await Deno.remove(join(root, ".build"), { recursive: true }).catch(() => {});
  await run(tsc, ["-p", "tsconfig.json"]);

  const shared = await listTests("tests");
  const oracle = await listTests("tests/oracle");
  const denoOnly = await listTests("tests/deno");
  const jobs: [Runtime, string][] = [];
  for (const rt of runtimes()) {
    const files = rt.compiled ? [...shared, ...oracle] : rt.name === "deno" ? [...shared, ...denoOnly] : shared;
    for (const f of files) {
      if (only.length === 0 || only.some((o) => f.includes(o) || rt.name === o)) jobs.push([rt, f]);
    }
  }
  console.log(`# running ${jobs.length} test files across ${runtimes().length} runtimes`);
  const results = await pool(jobs, PARALLEL, async ([rt, f]) => {
    const r = await runFile(rt, f);
    const mark = r.failed ? "FAIL" : "ok  ";
    console.log(
      `${mark} ${rt.name.padEnd(6)} ${relative("tests", f).padEnd(40)} ${r.passed} passed, ${r.failed} failed`,
    );
    // A failure's output goes right under its line: a log cut to the first failure shows why.
    if (r.failed) console.log(`\n===== ${rt.name} ${f} =====\n${r.output.trim()}\n`);
    return r;
  });

  // -- distribution (issue 6, scripts/_distribution.ts): npm build, the suite against the built
  // package on Node 20/24, consumer smoke test, deno publish --dry-run. `--no-dist` skips it;
  // a file filter runs it only when it names "npm".
  if (!Deno.args.includes("--no-dist") && (only.length === 0 || only.includes("npm"))) {
    results.push(...await distributionChecks(only.filter((o) => o !== "npm"), results));
  }
  // -- end distribution

  // -- workerd (issue 14, scripts/workerd_run.ts): omninet inside Cloudflare's workerd, client
  // scenarios against servers on the host, compared with Node 24's node:net. `--no-workerd`
  // skips it; a file filter runs it only when it names "workerd".
  if (!Deno.args.includes("--no-workerd") && (only.length === 0 || only.includes("workerd"))) {
    results.push(...await workerdChecks());
  }
  // -- end workerd

  const failures = results.filter((r) => r.failed > 0);
  if (failures.length > 0) console.log("\n# failed (output above)");
  for (const r of failures) console.log(`${r.runtime.padEnd(6)} ${r.file}`);
  console.log("\n# per runtime");
  for (const rt of runtimes()) {
    const mine = results.filter((r) => r.runtime === rt.name);
    const p = mine.reduce((n, r) => n + r.passed, 0);
    const f = mine.reduce((n, r) => n + r.failed, 0);
    console.log(`${rt.name.padEnd(6)} ${p} passed, ${f} failed`);
  }
  const inWorkerd = results.filter((r) => r.runtime === "workerd");
  if (inWorkerd.length > 0) {
    const p = inWorkerd.reduce((n, r) => n + r.passed, 0);
    const f = inWorkerd.reduce((n, r) => n + r.failed, 0);
    console.log(`${"workerd".padEnd(6)} ${p} passed, ${f} failed`);
  }
  const passed = results.reduce((n, r) => n + r.passed, 0);
  const failed = results.reduce((n, r) => n + r.failed, 0);
  console.log(`\n${passed} passed, ${failed} failed`);
  return failed === 0 && results.length > 0 ? 0 : 1;
}

Deno.exit(await main());
