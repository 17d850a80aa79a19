// `npm run soak` (deno run -A scripts/soak/run.ts): the soak and fault suite, on Node 20,
// Node 24, Deno and Bun, loopback only. Not part of `npm test` (tests/soak_quick_test.ts
// runs a small form of the same workloads there).
//
//   --quick            64 MiB each way, 1,000 connections (a smoke test of this script)
//   --bytes=MiB        integrity: bytes each way per case (default 1024)
//   --rounds=N         integrity: short rounds (16 MiB each way) per transport (default 60)
//   --conns=N          scale: concurrent connections per runtime (default 10000)
//   --runtimes=a,b     node20,node24,deno,bun (default all)
//
// Per runtime:
//   integrity  TCP and Unix; omninet↔omninet in one process, omninet client ↔ node:net
//              server and node:net client ↔ omninet server with node:net in a separate
//              Node 24 process (client and server pinned to different CPUs). Every byte
//              checked against a seeded pattern. Then many 16 MiB rounds in one process,
//              the pairings in turn, so stream ends (where close races live) come often.
//   scale      N connections held at once (server and clients in two processes, so each
//              needs N descriptors), each an echo then an orderly close; 'close' exactly once.
//   faults     RST, peer FIN with 1 MiB queued, refused, EADDRINUSE, connect timeout;
//              omninet's event trace against node:net's on Node 24.
// Exits non-zero if any byte is lost or any socket misses its 'close' (or closes twice).
import { root, run, type Runtime, runtimes } from "../_runtimes.ts";
import { join } from "node:path";
import { spawnWorker } from "./_spawn.ts";
import { ASYNC_WRITE_SCENARIOS, closeProblems, SYNC_WRITE_KEY, traceDiff, withoutSyncWrite } from "./_faults.ts";
import type { CaseResult, SideResult } from "./_integrity.ts";

const MiB = 1 << 20;
const args = Deno.args;
const get = (name: string) => args.find((a) => a.startsWith(`--${name}=`))?.split("=")[1];
const quick = args.includes("--quick");
const bytes = Number(get("bytes") ?? (quick ? 64 : 1024)) * MiB;
const conns = Number(get("conns") ?? (quick ? 1000 : 10_000));
const ROUNDS = Number(get("rounds") ?? (quick ? 6 : 60));
const ROUND_BYTES = 16 * MiB;
const wanted = get("runtimes")?.split(",");
const all = runtimes();
const node24 = all.find((r) => r.name === "node24")!;
const unknown = (wanted ?? []).filter((w) => !all.some((r) => r.name === w));
if (unknown.length > 0) {
  // A misspelt name ("node" for node20/node24) would otherwise soak nothing and pass.
  console.error(`--runtimes: no runtime named ${unknown.join(", ")} (have ${all.map((r) => r.name).join(", ")})`);
  Deno.exit(2);
}
const selected = wanted ? all.filter((r) => wanted.includes(r.name)) : all;
// Generous bounds: at 20 MiB/s a case would still finish.
const CASE_MS = Math.max(60_000, (2 * bytes / (20 * MiB)) * 1000);
const SCALE_MS = 180_000;
const startedAt = Date.now();

type Json = Record<string, unknown>;
const problems: string[] = [];
const report: string[] = [];

function log(line: string): void {
  console.log(line);
}

async function versionOf(rt: Runtime): Promise<string> {
  const { stdout } = await new Deno.Command(rt.bin, { args: ["--version"] }).output();
  return new TextDecoder().decode(stdout).split("\n")[0].trim();
}

function sideLine(label: string, s: SideResult | undefined, want: number): string {
  if (!s) return `${label}: no result`;
  const lost = want - Math.min(want, s.good);
  return `${label} recv ${s.received}${
    s.firstBad >= 0 ? ` first bad byte at ${s.firstBad}` : ""
  } lost ${lost} closes ${s.closes}${s.ended ? "" : " (no 'end' before 'close')"}${s.error ? ` error ${s.error}` : ""}`;
}

interface Figures {
  lost: number;
  cases: number;
  held: number;
  rssPerConnServer?: number;
  rssPerConnClient?: number;
  rssPerConnTotal?: number;
  closeProblems: number;
  diffs: number;
  seconds: number;
}

async function integrity(rt: Runtime, fig: Figures): Promise<void> {
  let seed = 1;
  for (const transport of ["tcp", "unix"]) {
    for (const pairing of ["omni-omni", "omni client/node:net server", "node:net client/omni server"]) {
      seed++;
      const p = { transport, bytes, seed, timeoutMs: CASE_MS };
      const t0 = performance.now();
      let client: SideResult | undefined;
      let server: SideResult | undefined;
      let error = "";
      try {
        if (pairing === "omni-omni") {
          const w = spawnWorker(rt, "integrity", { ...p, pairing }, { timeoutMs: CASE_MS + 10_000 });
          const r = await w.result;
          client = r.client as SideResult;
          server = r.server as SideResult;
        } else {
          const omniServer = pairing.endsWith("omni server");
          const [srt, crt] = omniServer ? [rt, node24] : [node24, rt];
          const s = spawnWorker(srt, "integrity-server", { ...p, variant: omniServer ? "omninet" : "node_net" }, {
            cpu: 0,
            timeoutMs: CASE_MS + 10_000,
          });
          try {
            const { address } = await s.ready;
            const c = spawnWorker(crt, "integrity-client", {
              ...p,
              address,
              variant: omniServer ? "node_net" : "omninet",
            }, {
              cpu: 1,
              timeoutMs: CASE_MS + 10_000,
            });
            [client, server] = await Promise.all([c.result, s.result]) as unknown as SideResult[];
          } finally {
            s.kill();
          }
        }
      } catch (err) {
        error = (err as Error).message;
      }
      const lost = (bytes - Math.min(bytes, client?.good ?? 0)) + (bytes - Math.min(bytes, server?.good ?? 0));
      const closesBad = (client?.closes ?? 0) !== 1 || (server?.closes ?? 0) !== 1;
      const secs = (performance.now() - t0) / 1000;
      fig.lost += lost;
      fig.cases++;
      if (closesBad) fig.closeProblems++;
      const name = `${rt.name} integrity ${transport} ${pairing}`;
      const line = `${name}: ${bytes / MiB} MiB each way in ${secs.toFixed(1)} s (${
        (2 * bytes / MiB / secs).toFixed(0)
      } MiB/s), lost ${lost}`;
      log(line);
      if (lost || closesBad || error || client?.error || server?.error) {
        const detail = `${sideLine("client", client, bytes)}; ${sideLine("server", server, bytes)}${
          error ? `; ${error}` : ""
        }`;
        log(`  ${detail}`);
        if (lost || closesBad) problems.push(`${name}: ${detail}`);
      }
    }
  }
}

/** Many short in-process cases: the end of a stream, where close races live, comes often. */
async function rounds(rt: Runtime, fig: Figures): Promise<void> {
  for (const transport of ["tcp", "unix"]) {
    const name = `${rt.name} integrity ${transport} ${ROUNDS} rounds of ${ROUND_BYTES / MiB} MiB`;
    const t0 = performance.now();
    const w = spawnWorker(rt, "integrity-rounds", {
      transport,
      rounds: ROUNDS,
      bytes: ROUND_BYTES,
      seed: 1000,
      timeoutMs: 60_000,
    }, { timeoutMs: ROUNDS * 60_000 });
    let results: (CaseResult & { pairing: string; seed: number })[];
    try {
      results = (await w.result).results as typeof results;
    } catch (err) {
      problems.push(`${name}: ${(err as Error).message}`);
      fig.closeProblems++;
      log(`${name}: ${(err as Error).message}`);
      continue;
    }
    const bad = results.filter((r) => r.lost || r.client.closes !== 1 || r.server.closes !== 1);
    const lost = results.reduce((n, r) => n + r.lost, 0);
    fig.lost += lost;
    fig.cases += results.length;
    fig.closeProblems += results.filter((r) => r.client.closes !== 1 || r.server.closes !== 1).length;
    log(
      `${name} (pairings in turn): ${
        ((performance.now() - t0) / 1000).toFixed(1)
      } s, lost ${lost}, ${bad.length} bad rounds`,
    );
    for (const r of bad) {
      const detail = `seed ${r.seed} ${r.pairing}: ${sideLine("client", r.client, r.bytes)}; ${
        sideLine("server", r.server, r.bytes)
      }`;
      log(`  ${detail}`);
      problems.push(`${name}: ${detail}`);
    }
  }
}

async function scale(rt: Runtime, fig: Figures): Promise<void> {
  const name = `${rt.name} scale`;
  const t0 = performance.now();
  const server = spawnWorker(rt, "scale-server", { count: conns }, { cpu: 0, timeoutMs: SCALE_MS + 20_000 });
  try {
    const { port } = await server.ready;
    const client = spawnWorker(rt, "scale-client", { port, count: conns, timeoutMs: SCALE_MS }, {
      cpu: 1,
      timeoutMs: SCALE_MS + 10_000,
    });
    const c = await client.result;
    await server.send("report");
    const s = await server.result;
    const held = Math.min(Number(c.held), Number(s.peakOpen));
    fig.held = held;
    const perServer = (Number(s.rssPeak) - Number(s.rssBase)) / Math.max(held, 1);
    const perClient = (Number(c.rssPeak) - Number(c.rssBase)) / Math.max(held, 1);
    fig.rssPerConnServer = perServer;
    fig.rssPerConnClient = perClient;
    const missing = Number(c.missingClose) + Number(s.missingClose);
    const doubled = Number(c.doubleClose) + Number(s.doubleClose);
    fig.closeProblems += missing + doubled;
    log(
      `${name}: ${conns} connections, held ${held} at once (server peak ${s.peakOpen}), echoed ${c.echoed}, ` +
        `missing 'close' ${missing}, double 'close' ${doubled}, peak RSS/conn server ${
          (perServer / 1024).toFixed(1)
        } KiB ` +
        `client ${(perClient / 1024).toFixed(1)} KiB, ${((performance.now() - t0) / 1000).toFixed(1)} s`,
    );
    const errors = {
      ...c.errors as Json,
      ...Object.fromEntries(Object.entries(s.errors as Json).map(([k, v]) => [`server ${k}`, v])),
    };
    if (Object.keys(errors).length) log(`  errors: ${JSON.stringify(errors)}`);
    if (missing || doubled || held < conns || Number(c.echoed) < conns) {
      problems.push(
        `${name}: held ${held}/${conns}, echoed ${c.echoed}, missing 'close' ${missing}, double 'close' ${doubled} ${
          JSON.stringify(errors)
        }`,
      );
    }
  } catch (err) {
    problems.push(`${name}: ${(err as Error).message}`);
    fig.closeProblems++;
    log(`${name}: ${(err as Error).message}`);
  } finally {
    server.kill();
  }
}

async function faults(rt: Runtime, ports: Json, reference: Json, fig: Figures): Promise<void> {
  const w = spawnWorker(rt, "faults", { ports, variant: "omninet" }, { timeoutMs: 120_000 });
  let traces: Json;
  try {
    traces = await w.result;
  } catch (err) {
    problems.push(`${rt.name} faults: ${(err as Error).message}`);
    fig.closeProblems++;
    return;
  }
  const syncWrite = traces[SYNC_WRITE_KEY] !== false;
  delete traces[SYNC_WRITE_KEY];
  for (const [scenario, t] of Object.entries(traces)) {
    const ours = t as Record<string, string[]>;
    const closes = closeProblems(ours);
    if (closes.length) {
      fig.closeProblems += closes.length;
      problems.push(`${rt.name} fault "${scenario}": ${closes.join("; ")}`);
    }
    const node = reference[scenario] as Record<string, string[]>;
    const expected = !syncWrite && ASYNC_WRITE_SCENARIOS.has(scenario) ? withoutSyncWrite(node) : node;
    const diff = traceDiff(ours, expected);
    if (diff.length) {
      fig.diffs++;
      report.push(`${rt.name} — ${scenario}`, ...diff.map((d) => `    ${d}`));
    }
    log(
      `${rt.name} fault ${scenario}: ${
        diff.length
          ? "differs from node:net"
          : expected === node
          ? "same as node:net"
          : "same as node:net without syncWrite"
      }${closes.length ? `; ${closes.join("; ")}` : ""}`,
    );
  }
}

async function main(): Promise<number> {
  log(
    `# soak${quick ? " --quick" : ""}: ${bytes / MiB} MiB each way per integrity case, ${conns} connections; ${
      new Date().toISOString()
    }`,
  );
  const versions: string[] = [];
  for (const rt of selected) versions.push(`${rt.name} ${await versionOf(rt)}`);
  log(
    `# ${versions.join(", ")}; ulimit -Hn ${
      new TextDecoder().decode((await new Deno.Command("sh", { args: ["-c", "ulimit -Hn"] }).output()).stdout).trim()
    }`,
  );
  if (selected.some((r) => r.name === "node20")) {
    log("# tsc (Node 20 runs the compiled worker in .build-soak/)");
    await run(join(root, "node_modules/.bin/tsc"), ["-p", "scripts/soak/tsconfig.json"]);
  }

  // The misbehaving peers, real node:net on Node 24, shared by every runtime's fault run.
  const peer = spawnWorker(node24, "fault-peer", {}, { timeoutMs: 15 * 60_000 });
  const blackhole = spawnWorker(node24, "blackhole", { ms: 15 * 60_000 }, { timeoutMs: 15 * 60_000 });
  const ports = { ...(await peer.ready), blackhole: (await blackhole.ready).port };
  const refWorker = spawnWorker(node24, "faults", { ports, variant: "node_net" }, { timeoutMs: 120_000 });
  const reference = await refWorker.result;

  const figures = new Map<string, Figures>();
  try {
    for (const rt of selected) {
      const t0 = performance.now();
      const fig: Figures = { lost: 0, cases: 0, held: 0, closeProblems: 0, diffs: 0, seconds: 0 };
      figures.set(rt.name, fig);
      log(`\n## ${rt.name}`);
      await integrity(rt, fig);
      await rounds(rt, fig);
      await scale(rt, fig);
      await faults(rt, ports, reference, fig);
      fig.seconds = (performance.now() - t0) / 1000;
    }
  } finally {
    await peer.closeStdin();
    peer.kill();
    blackhole.kill();
  }

  log("\n# trace differences from node:net (Node 24)");
  log(report.length ? report.join("\n") : "none");
  log("\n# figures");
  log("runtime  bytes lost (cases)   held    peak RSS/conn server+client   close problems  trace diffs  time");
  for (const [name, f] of figures) {
    const kib = (n?: number) => (n === undefined ? "-" : `${(n / 1024).toFixed(1)} KiB`);
    log(
      `${name.padEnd(8)} ${`${f.lost} (${f.cases})`.padEnd(20)} ${String(f.held).padEnd(7)} ${
        `${kib(f.rssPerConnServer)} + ${kib(f.rssPerConnClient)}`.padEnd(29)
      } ${String(f.closeProblems).padEnd(15)} ${String(f.diffs).padEnd(12)} ${f.seconds.toFixed(0)} s`,
    );
  }
  log(`\ntotal ${((Date.now() - startedAt) / 1000).toFixed(0)} s`);
  if (problems.length) {
    log("\n# FAILED: bytes lost or 'close' not exactly once");
    for (const p of problems) log(p);
    return 1;
  }
  return 0;
}

Deno.exit(await main());
