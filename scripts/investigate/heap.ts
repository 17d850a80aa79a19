// What one idle connection costs in JS heap, by object kind: heap snapshots (V8 inspector)
// before and after opening N idle connections, both ends in one process.
//
//   deno run -A scripts/investigate/heap.ts --runtime=deno --variant=omninet [--conns=2000] [--top=30]
//
// Prints the object kinds whose count or self size grew, per connection pair (client +
// server socket). Bun's inspector does not speak this protocol: there the worker counts
// objects per type itself (bun:jsc heapStats), without sizes.
import { join } from "node:path";
import { root } from "../_runtimes.ts";
import { readUntil } from "./_cdp.ts";
import { BINS, heapArgs, report, snapshotsAround } from "./_heap_session.ts";

interface Snapshot {
  snapshot: { meta: { node_fields: string[]; node_types: [string[]] } };
  nodes: number[];
  strings: string[];
}

/** Count and self size per "type:name" (constructor or closure name). */
function aggregate(s: Snapshot): Map<string, { count: number; size: number }> {
  const fields = s.snapshot.meta.node_fields;
  const width = fields.length;
  const iType = fields.indexOf("type");
  const iName = fields.indexOf("name");
  const iSize = fields.indexOf("self_size");
  const types = s.snapshot.meta.node_types[0];
  const out = new Map<string, { count: number; size: number }>();
  for (let i = 0; i < s.nodes.length; i += width) {
    const type = types[s.nodes[i + iType]];
    let name = s.strings[s.nodes[i + iName]];
    if (type === "string" || type === "concatenated string" || type === "sliced string") name = "";
    if (type === "number") name = "";
    if (name.length > 60) name = name.slice(0, 57) + "...";
    const k = `${type}:${name}`;
    const e = out.get(k) ?? { count: 0, size: 0 };
    e.count++;
    e.size += s.nodes[i + iSize];
    out.set(k, e);
  }
  return out;
}

/** Bun: object counts per type (bun:jsc heapStats), counted by the worker itself. */
async function bunCounts(variant: string, conns: number, top: number): Promise<void> {
  const proc = new Deno.Command(join(root, "node_modules/.bin/bun"), {
    args: ["run", "scripts/bench/worker.ts", "heap", variant, JSON.stringify({ conns })],
    cwd: root,
    stdin: "piped",
    stdout: "piped",
    stderr: "piped",
    env: { NO_COLOR: "1" },
  }).spawn();
  const timer = setTimeout(() => proc.kill("SIGKILL"), 120_000);
  const writer = proc.stdin.getWriter();
  try {
    const out = proc.stdout.pipeThrough(new TextDecoderStream()).getReader();
    await readUntil(out, /@@(GATE|ERROR) /, 60_000);
    await writer.write(new TextEncoder().encode("start\n"));
    const text = await readUntil(out, /@@(GATED|ERROR) .*\n/, 120_000);
    const m = /@@(GATED|ERROR) (.*)\n/.exec(text)!;
    if (m[1] === "ERROR") throw new Error(m[2]);
    await writer.write(new TextEncoder().encode("stop\n"));
    await writer.close();
    const counts = JSON.parse(m[2]).objectCounts as Record<string, number>;
    const rows = Object.entries(counts).sort((a, b) => b[1] - a[1]).slice(0, top);
    const md = [
      `## JSC objects per idle connection pair (client + server socket): bun ${variant}, ${conns} pairs`,
      "",
      `${(Object.values(counts).reduce((a, b) => a + b, 0) / conns).toFixed(1)} objects per pair in total`,
      "",
      "| objects/pair | type |",
      "|---:|---|",
      ...rows.map(([k, v]) => `| ${(v / conns).toFixed(2)} | \`${k}\` |`),
    ].join("\n");
    await report(`heap_bun_${variant}`, md);
  } finally {
    clearTimeout(timer);
    try {
      proc.kill("SIGKILL");
    } catch { /* exited */ }
    await proc.status;
  }
}

async function main() {
  const { rt, variant, conns, top } = heapArgs(30);
  if (rt === "bun") return await bunCounts(variant, conns, top);
  if (!(rt in BINS)) throw new Error("--runtime: node, deno or bun");
  const { before, after } = await snapshotsAround(
    rt as keyof typeof BINS,
    variant,
    conns,
    (s) => aggregate(s as Snapshot),
    (s, before) => ({ before, after: aggregate(s as Snapshot) }),
  );
  const rows: { k: string; count: number; size: number }[] = [];
  let total = 0;
  for (const [k, a] of after) {
    const b = before.get(k) ?? { count: 0, size: 0 };
    const size = (a.size - b.size) / conns;
    const count = (a.count - b.count) / conns;
    total += size;
    if (Math.abs(size) >= 4 || Math.abs(count) >= 0.5) rows.push({ k, count, size });
  }
  rows.sort((x, y) => y.size - x.size);
  await report(
    `heap_${rt}_${variant}`,
    [
      `## JS heap per idle connection pair (client + server socket): ${rt} ${variant}, ${conns} pairs`,
      "",
      `self size grew by ${total.toFixed(0)} B per pair in total`,
      "",
      "| B/pair | objects/pair | type:name |",
      "|---:|---:|---|",
      ...rows.slice(0, top).map((r) => `| ${r.size.toFixed(0)} | ${r.count.toFixed(2)} | \`${r.k}\` |`),
    ].join("\n"),
  );
}

await main();
