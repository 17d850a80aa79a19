// Who holds what one idle connection costs: heap snapshots (V8 inspector) before and after
// opening N idle connection pairs in one process (the worker's "heap" mode, as heap.ts),
// then every object new in the second snapshot grouped by its first retainer: the
// retaining object's kind, the edge's name and the object's own kind.
//
//   deno run -A scripts/investigate/heap_retainers.ts --runtime=deno --variant=omninet [--conns=2000] [--top=60]
//
// heap.ts says what grew; this says through which field or closure it is kept, which is
// what points at the allocation site.
import { BINS, heapArgs, report, snapshotsAround } from "./_heap_session.ts";

interface Snapshot {
  snapshot: { meta: { node_fields: string[]; node_types: [string[]]; edge_fields: string[]; edge_types: [string[]] } };
  nodes: number[];
  edges: number[];
  strings: string[];
}

function ids(s: Snapshot): Set<number> {
  const f = s.snapshot.meta.node_fields;
  const w = f.length;
  const iId = f.indexOf("id");
  const out = new Set<number>();
  for (let i = 0; i < s.nodes.length; i += w) out.add(s.nodes[i + iId]);
  return out;
}

/** Group the nodes not in `before` by "retainer kind .edge → kind" (first non-weak retainer). */
function attribute(s: Snapshot, before: Set<number>): Map<string, { count: number; size: number }> {
  const m = s.snapshot.meta;
  const nf = m.node_fields, ef = m.edge_fields;
  const nw = nf.length, ew = ef.length;
  const [iType, iName, iId, iSize, iEdges] = ["type", "name", "id", "self_size", "edge_count"].map((k) =>
    nf.indexOf(k)
  );
  const [eType, eName, eTo] = ["type", "name_or_index", "to_node"].map((k) => ef.indexOf(k));
  const ntypes = m.node_types[0], etypes = m.edge_types[0];
  const kind = (n: number) => {
    const t = ntypes[s.nodes[n + iType]];
    let name = s.strings[s.nodes[n + iName]];
    if (t === "string" || t === "concatenated string" || t === "sliced string" || t === "number") name = "";
    if (name.length > 50) name = name.slice(0, 47) + "...";
    return `${t}:${name}`;
  };
  const retainer = new Map<number, [number, string]>();
  let e = 0;
  for (let n = 0; n < s.nodes.length; n += nw) {
    const count = s.nodes[n + iEdges];
    for (let k = 0; k < count; k++, e += ew) {
      const et = etypes[s.edges[e + eType]];
      if (et === "weak" || et === "shortcut") continue;
      const to = s.edges[e + eTo];
      if (retainer.has(to)) continue;
      const nameOrIndex = s.edges[e + eName];
      const edge = et === "element" || et === "hidden" ? `[${et}]` : s.strings[nameOrIndex];
      retainer.set(to, [n, edge]);
    }
  }
  const out = new Map<string, { count: number; size: number }>();
  for (let n = 0; n < s.nodes.length; n += nw) {
    if (before.has(s.nodes[n + iId])) continue;
    const r = retainer.get(n);
    // Two levels: the retainer's own retainer tells plain objects apart.
    const r2 = r && retainer.get(r[0]);
    const k = r
      ? `${r2 ? `${kind(r2[0])} .${r2[1]} > ` : ""}${kind(r[0])} .${r[1]} → ${kind(n)}`
      : `(root) → ${kind(n)}`;
    const v = out.get(k) ?? { count: 0, size: 0 };
    v.count++;
    v.size += s.nodes[n + iSize];
    out.set(k, v);
  }
  return out;
}

async function main() {
  const { rt, variant, conns, top } = heapArgs(60);
  if (!(rt in BINS)) throw new Error("--runtime: node or deno");
  const groups = await snapshotsAround(
    rt as keyof typeof BINS,
    variant,
    conns,
    (s) => ids(s as Snapshot),
    (s, before) => attribute(s as Snapshot, before),
  );
  const rows = [...groups].map(([k, v]) => ({ k, count: v.count / conns, size: v.size / conns }))
    .filter((r) => r.count >= 0.5).sort((a, b) => b.size - a.size);
  const total = rows.reduce((a, r) => a + r.size, 0);
  await report(
    `retainers_${rt}_${variant}`,
    [
      `## New heap objects per idle connection pair by retainer: ${rt} ${variant}, ${conns} pairs`,
      "",
      `${total.toFixed(0)} B per pair in the groups of at least one object per two pairs`,
      "",
      "| B/pair | objects/pair | retainer .edge → object |",
      "|---:|---:|---|",
      ...rows.slice(0, top).map((r) => `| ${r.size.toFixed(0)} | ${r.count.toFixed(2)} | \`${r.k}\` |`),
    ].join("\n"),
  );
}

await main();
