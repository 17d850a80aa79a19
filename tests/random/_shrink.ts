// Shrinking: a scenario where omninet's trace differs from node:net's is cut down (drop
// steps, gates to "then", sizes down, options off, TCP for Unix) as long as it still
// differs, node:net's trace of each candidate recorded live: in-process on Node 24, in a
// Node 24 child process (tests/random/_oracle.ts) elsewhere. Bounded in tries and time.
import { spawnSync } from "node:child_process";
import process from "node:process";
import { sourceFile } from "../_util.ts";
import { comparable } from "./_fixture.ts";
import type { Spec, Step } from "./_gen.ts";
import { type NetLike, runSpec, type Traces } from "./_run.ts";

const isNode24 = !("Deno" in globalThis) && !("Bun" in globalThis) && process.versions.node.startsWith("24.");

const cache = new Map<string, Traces>();

/** node:net's traces of `specs`, recorded live on Node 24 (remembered for this process). */
export async function oracle(specs: Spec[]): Promise<Traces[]> {
  const keys = specs.map((s) => JSON.stringify({ ...s, id: "" }));
  const missing = specs.filter((_, i) => !cache.has(keys[i]));
  if (missing.length > 0) {
    const traces = await oracleLive(missing);
    for (const [i, spec] of missing.entries()) cache.set(JSON.stringify({ ...spec, id: "" }), traces[i]);
  }
  return keys.map((k) => cache.get(k)!);
}

async function oracleLive(specs: Spec[]): Promise<Traces[]> {
  if (isNode24) {
    const nodeNet = (await import("node:net")) as unknown as NetLike;
    const out: Traces[] = [];
    for (const spec of specs) out.push(await runSpec(nodeNet, spec));
    return out;
  }
  const result = spawnSync(sourceFile("node_modules/node24/bin/node"), [sourceFile("tests/random/_oracle.ts")], {
    input: JSON.stringify(specs),
    encoding: "utf8",
    timeout: 60_000,
    maxBuffer: 64 * 1024 * 1024,
  });
  if (result.status !== 0) throw new Error(`Node 24 oracle failed: ${result.stderr || result.error}`);
  return JSON.parse(result.stdout) as Traces[];
}

/** Smaller variants of `spec`, most promising first. */
function* candidates(spec: Spec): Generator<Spec> {
  const withSteps = (steps: Step[]): Spec => ({ ...spec, steps });
  // Drop a step (from the last), then every step before it at once.
  for (let i = spec.steps.length - 1; i >= 0; i--) {
    yield withSteps(spec.steps.filter((_, j) => j !== i));
  }
  for (let i = 1; i < spec.steps.length; i++) yield withSteps(spec.steps.slice(i));
  for (let i = 0; i < spec.steps.length; i++) {
    const st = spec.steps[i];
    if (st.gate.on !== "none") {
      yield withSteps(spec.steps.map((s, j) => (j === i ? { ...s, gate: { on: "none" } } : s)));
    }
    const a = st.act;
    if ((a.op === "write" || a.op === "end") && a.size > 1) {
      for (const size of [1, Math.floor(a.size / 4)]) {
        if (size < a.size) yield withSteps(spec.steps.map((s, j) => (j === i ? { ...s, act: { ...a, size } } : s)));
      }
    }
    if ((a.op === "write" || a.op === "end") && a.enc !== "buffer") {
      yield withSteps(spec.steps.map((s, j) => (j === i ? { ...s, act: { ...a, enc: "buffer" as const } } : s)));
    }
    if (st.gate.on !== "none" && st.gate.event === "data" && st.gate.n > 1) {
      yield withSteps(spec.steps.map((s, j) => (j === i ? { ...s, gate: { ...st.gate, n: 1 } } : s)));
    }
  }
  if (spec.transport === "unix") yield { ...spec, transport: "tcp" };
  const s = spec.server;
  const c = spec.client;
  if (s.allowHalfOpen) yield { ...spec, server: { ...s, allowHalfOpen: false } };
  if (c.allowHalfOpen) yield { ...spec, client: { ...c, allowHalfOpen: false } };
  if (s.pauseOnConnect) yield { ...spec, server: { ...s, pauseOnConnect: false } };
  if (s.maxConnections !== undefined) yield { ...spec, server: { ...s, maxConnections: undefined } };
  if (s.read.mode !== "flowing") yield { ...spec, server: { ...s, read: { mode: "flowing" } } };
  if (c.read.mode !== "flowing") yield { ...spec, client: { ...c, read: { mode: "flowing" } } };
}

/** The shrunk scenario and its two traces. */
export interface Shrunk {
  spec: Spec;
  expected: Traces;
  actual: Traces;
  tries: number;
}

/**
 * Shrink `spec` while omninet (`net()` gives a network to run on) still differs from
 * node:net. `expected`/`actual` are the traces of `spec` itself.
 */
export async function shrink(
  spec: Spec,
  net: () => NetLike,
  expected: Traces,
  actual: Traces,
  budget = { tries: 40, ms: 20_000 },
): Promise<Shrunk> {
  const started = Date.now();
  let best: Shrunk = { spec, expected, actual, tries: 0 };
  let tries = 0;
  let progress = true;
  while (progress && tries < budget.tries && Date.now() - started < budget.ms) {
    progress = false;
    for (const candidate of candidates(best.spec)) {
      if (tries >= budget.tries || Date.now() - started >= budget.ms) break;
      tries++;
      const mine = await runSpec(net(), candidate);
      const [theirs] = await oracle([candidate]);
      const differs = JSON.stringify(comparable(candidate, mine)) !== JSON.stringify(comparable(candidate, theirs));
      if (differs && !("harness" in theirs)) {
        best = { spec: candidate, expected: theirs, actual: mine, tries };
        progress = true;
        break;
      }
    }
  }
  best.tries = tries;
  return best;
}
