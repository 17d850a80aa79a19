// `npm test`'s small form of `npm run soak` (scripts/soak/): seeded integrity checks over
// TCP and Unix sockets in every pairing of omninet and this runtime's node:net, 500
// concurrent connections, and the fault scenarios against real node:net peers in a
// Node 24 process (their trace differences from node:net are printed, not asserted).
import { suite } from "uvu";
import * as assert from "uvu/assert";
import * as nodeNet from "node:net";
import { type ChildProcess, spawn } from "node:child_process";
import { join } from "node:path";
import process from "node:process";
import net from "../mod.ts";
import { type NetLike, runScenario } from "./diff/_harness.ts";
import { runCase, type Transport } from "../scripts/soak/_integrity.ts";
import { runScaleClients, sleep, startScaleServer } from "../scripts/soak/_scale.ts";
import { closeProblems, faultScenarios, type PeerPorts, traceDiff } from "../scripts/soak/_faults.ts";
import { runtime } from "./_util.ts";

const MiB = 1024 * 1024;
const BYTES = 16 * MiB;
const CONNS = 500;
const omni = net as unknown as NetLike;
const node = nodeNet as unknown as NetLike;

const test = suite(`soak --quick on ${runtime}`);

const PAIRINGS: [string, NetLike, NetLike][] = [
  ["omninet client, omninet server", omni, omni],
  ["omninet client, node:net server", omni, node],
  ["node:net client, omninet server", node, omni],
];

let seed = 100;
for (const transport of ["tcp", "unix"] as Transport[]) {
  for (const [pairing, client, server] of PAIRINGS) {
    const caseSeed = ++seed;
    test(`integrity over ${transport}, ${pairing}: 16 MiB each way, random writes and reader pauses: every byte arrives, 'close' once`, async () => {
      const r = await runCase(client, server, transport, BYTES, caseSeed, 30_000, true);
      assert.equal(
        {
          lost: r.lost,
          clientCloses: r.client.closes,
          serverCloses: r.server.closes,
          clientEnd: r.client.ended,
          serverEnd: r.server.ended,
        },
        { lost: 0, clientCloses: 1, serverCloses: 1, clientEnd: true, serverEnd: true },
        JSON.stringify(r),
      );
    });
  }
}

test(`scale: ${CONNS} connections held at once, each echoed then closed in order: every 'close' exactly once`, async () => {
  const s = await startScaleServer(omni, CONNS, 10_000);
  const r = await runScaleClients(omni, s.port, CONNS, 30_000);
  await s.ledger.settled(3000);
  await sleep(50);
  await new Promise<void>((resolve) => s.server.close(() => resolve()));
  assert.equal(
    {
      held: r.held,
      serverPeak: s.peakOpen,
      echoed: r.echoed,
      missing: r.missingClose + s.ledger.missing,
      doubled: r.doubleClose + s.ledger.doubled,
      errors: { ...r.errors, ...s.errors },
    },
    { held: CONNS, serverPeak: CONNS, echoed: CONNS, missing: 0, doubled: 0, errors: {} },
  );
});

// ---- faults: misbehaving node:net peers in Node 24 processes, and node:net's own traces there ----

const children: ChildProcess[] = [];

function node24(role: string, params: object): { child: ChildProcess; line: (tag: string) => Promise<unknown> } {
  const bin = join(process.cwd(), "node_modules/node24/bin/node");
  const child = spawn(bin, ["--no-warnings", "scripts/soak/worker.ts", role, JSON.stringify(params)], {
    cwd: process.cwd(),
    stdio: ["pipe", "pipe", "inherit"],
  });
  children.push(child);
  let buffered = "";
  const seen = new Map<string, unknown>();
  const waiters = new Map<string, (v: unknown) => void>();
  child.stdout!.on("data", (d: Uint8Array) => {
    buffered += new TextDecoder().decode(d);
    let i: number;
    while ((i = buffered.indexOf("\n")) >= 0) {
      const m = /^@@(\w+) (.*)$/.exec(buffered.slice(0, i));
      buffered = buffered.slice(i + 1);
      if (m) {
        seen.set(m[1], JSON.parse(m[2]));
        waiters.get(m[1])?.(seen.get(m[1]));
      }
    }
  });
  const line = (tag: string) =>
    new Promise<unknown>((resolve, reject) => {
      if (seen.has(tag)) return resolve(seen.get(tag));
      const timer = setTimeout(() => reject(new Error(`Node 24 ${role}: no @@${tag} in 20 s`)), 20_000);
      waiters.set(tag, (v) => {
        clearTimeout(timer);
        resolve(v);
      });
      // 'close', not 'exit': the child's last stdout lines can arrive after 'exit' (Deno's
      // child_process under load), and the result line is the last one.
      child.once("close", (code) => {
        if (!seen.has(tag)) reject(new Error(`Node 24 ${role} exited (${code}) without @@${tag}`));
      });
    });
  return { child, line };
}

let ports: PeerPorts;
let reference: Promise<Record<string, Record<string, string[]>>>;

test.before(async () => {
  const peer = node24("fault-peer", {});
  const hole = node24("blackhole", { ms: 60_000 });
  const p = (await peer.line("READY")) as Omit<PeerPorts, "blackhole">;
  const h = (await hole.line("READY")) as { port: number };
  ports = { ...p, blackhole: h.port };
  reference = node24("faults", { ports, variant: "node_net" }).line("RESULT") as typeof reference;
  reference.catch(() => {});
});

test.after(() => {
  for (const child of children) {
    child.stdin?.end();
    if (child.exitCode === null) child.kill("SIGKILL");
  }
});

for (const scenario of faultScenarios({ rst: 0, fin: 0, blackhole: 0 })) {
  test(`fault: ${scenario.name}: completes, every socket closes exactly once`, async () => {
    const real = faultScenarios(ports).find((s) => s.name === scenario.name)!;
    const traces = await runScenario(omni, real);
    assert.equal(closeProblems(traces), [], JSON.stringify(traces));
    const theirs = (await reference)[scenario.name];
    const diff = traceDiff(traces, theirs);
    if (diff.length) {
      console.log(`NOTE: trace differs from node:net (Node 24), reported by npm run soak:\n  ${diff.join("\n  ")}`);
    }
  });
}

test.run();
