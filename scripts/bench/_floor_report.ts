// The floor benchmark's tables (scripts/bench/floor.ts): throughput per variant with the
// ratios that bound what a Duplex-based socket can reach, CPU per operation, and the
// Duplex's own cost per connection.
import { summarize } from "./_report.ts";
import type { Workload } from "./_impl.ts";

export type Rt = "node" | "deno" | "bun";
export type FloorMode = "one" | "separate";
export type FloorVariant = "raw" | "floor" | "raw_h" | "floor_h" | "node_net" | "omninet";

/** The variants each runtime runs, in table order. */
export const FLOOR_VARIANTS: Record<Rt, FloorVariant[]> = {
  node: ["raw", "floor", "node_net", "omninet"],
  deno: ["raw", "floor", "raw_h", "floor_h", "node_net", "omninet"],
  bun: ["raw", "floor", "node_net", "omninet"],
};

export const VARIANT_TEXT: Record<Rt, Partial<Record<FloorVariant, string>>> = {
  node: { raw: "tcp_wrap handles", floor: "handles + Duplex" },
  deno: {
    raw: "Deno.connect",
    floor: "Deno.connect + Duplex",
    raw_h: "tcp_wrap handles",
    floor_h: "handles + Duplex",
  },
  bun: { raw: "Bun.connect", floor: "Bun.connect + Duplex" },
};

const UNIT: Record<Workload, string> = { bulk: "MiB/s", pp1: "rt/s", pp16: "rt/s", churn: "conns/s" };
const CPU_UNIT: Record<Workload, string> = { bulk: "µs/MiB", pp1: "µs/rt", pp16: "µs/rt", churn: "µs/conn" };
const LABEL: Record<Workload, string> = { bulk: "bulk", pp1: "pp 1 conn", pp16: "pp 16 conns", churn: "churn" };

/** Samples keyed `rt/mode/variant/workload`. */
export type Samples = Map<string, number[]>;
export const key = (rt: Rt, mode: FloorMode, v: string, w: Workload): string => `${rt}/${mode}/${v}/${w}`;

const med = (s: Samples, k: string) => summarize(s.get(k) ?? [])?.median ?? null;
const fmt = (x: number | null) => x === null ? "–" : x >= 100 ? Math.round(x).toLocaleString("en-US") : x.toFixed(1);
const fmtR = (x: number | null) => x === null ? "–" : x.toFixed(2);
const cell = (s: Samples, k: string) => {
  const sum = summarize(s.get(k) ?? []);
  if (!sum) return "–";
  const spread = sum.median > 0 ? (sum.max - sum.min) / sum.median : 0;
  return `${fmt(sum.median)}${sum.n > 1 ? ` ±${Math.round(spread * 50)}%` : ""}`;
};
const r = (a: number | null, b: number | null) => a === null || b === null || b === 0 ? null : a / b;

/** The throughput table: medians (± half the min–max spread) and the floor's ratios. */
export function throughputTable(s: Samples, rts: Rt[], modes: FloorMode[], workloads: readonly Workload[]): string {
  const out: string[] = [];
  for (const rt of rts) {
    const vs = FLOOR_VARIANTS[rt];
    const h = rt === "deno";
    out.push(
      `\n**${rt}** (raw = ${VARIANT_TEXT[rt].raw}; floor = ${VARIANT_TEXT[rt].floor}${
        h ? `; raw_h = ${VARIANT_TEXT.deno.raw_h}; floor_h = ${VARIANT_TEXT.deno.floor_h}` : ""
      })\n`,
    );
    const ratios = [
      "floor/node_net",
      "floor/raw",
      "omninet/floor",
      ...(h ? ["floor_h/node_net", "floor_h/raw_h"] : []),
    ];
    out.push(`| mode | workload | ${vs.join(" | ")} | ${ratios.join(" | ")} |`);
    out.push(`|${"---|".repeat(2 + vs.length + ratios.length)}`);
    for (const mode of modes) {
      for (const w of workloads) {
        const m = (v: string) => med(s, key(rt, mode, v, w));
        const rs = [r(m("floor"), m("node_net")), r(m("floor"), m("raw")), r(m("omninet"), m("floor"))];
        if (h) rs.push(r(m("floor_h"), m("node_net")), r(m("floor_h"), m("raw_h")));
        out.push(
          `| ${mode} | ${LABEL[w]} (${UNIT[w]}) | ${vs.map((v) => cell(s, key(rt, mode, v, w))).join(" | ")} | ${
            rs.map(fmtR).join(" | ")
          } |`,
        );
      }
    }
  }
  return out.join("\n");
}

/** CPU per operation (medians); separate mode counts the client process only. */
export function cpuTable(c: Samples, rts: Rt[], modes: FloorMode[], workloads: readonly Workload[]): string {
  const out: string[] = [];
  for (const rt of rts) {
    const vs = FLOOR_VARIANTS[rt];
    out.push(`\n**${rt}** CPU per operation (lower is better)\n`);
    out.push(`| mode | workload | ${vs.join(" | ")} | floor/raw | floor/node_net |`);
    out.push(`|${"---|".repeat(4 + vs.length)}`);
    for (const mode of modes) {
      for (const w of workloads) {
        const m = (v: string) => med(c, key(rt, mode, v, w));
        out.push(
          `| ${mode} | ${LABEL[w]} (${CPU_UNIT[w]}) | ${vs.map((v) => fmt(m(v))).join(" | ")} | ${
            fmtR(r(m("floor"), m("raw")))
          } | ${fmtR(r(m("floor"), m("node_net")))} |`,
        );
      }
    }
  }
  return out.join("\n");
}

/** The micro-benchmark's steps, ns per connection. */
export const MICRO_STEPS = ["construct", "bare", "life"] as const;

export function microTable(m: Samples, rts: Rt[]): string {
  const out = [
    "| runtime | construct ns (CPU) | construct+end+destroy ns (CPU) | lifecycle: write 1, push 1, end both, 'close' ns (CPU) |",
    "|---|---|---|---|",
  ];
  for (const rt of rts) {
    const c = (step: string) => `${fmt(med(m, `${rt}/${step}`))} (${fmt(med(m, `${rt}/${step}Cpu`))})`;
    out.push(`| ${rt} | ${MICRO_STEPS.map(c).join(" | ")} |`);
  }
  return out.join("\n");
}
