// Medians, ratios, the targets of issue 13, and the tables the benchmark prints.
import type { Workload } from "./_impl.ts";

export type RuntimeName = "node" | "deno" | "bun";
export type Variant = "omninet" | "node_net" | "raw";
export type Mode = "separate" | "one";

/** A distribution of samples. */
export interface Summary {
  n: number;
  median: number;
  min: number;
  max: number;
}

/** One row of the throughput table. */
export interface Row {
  runtime: RuntimeName;
  mode: Mode;
  workload: Workload;
  unit: string;
  variants: Partial<Record<Variant, Summary>>;
  vsNodeNet: number | null;
  vsRaw: number | null;
  targetVsNodeNet: number;
  targetVsRaw: number;
  passVsNodeNet: boolean | null;
  passVsRaw: boolean | null;
}

/** One row of the memory table. */
export interface MemRow {
  runtime: RuntimeName;
  side: "server" | "client";
  omninet: Summary | null;
  node_net: Summary | null;
  ratio: number | null;
  target: number;
  pass: boolean | null;
  /** JS heap growth per connection (heapUsed), for telling JS objects from buffers. */
  heapOmninet: Summary | null;
  heapNodeNet: Summary | null;
}

export const UNITS: Record<Workload, string> = {
  bulk: "MiB/s",
  pp1: "round trips/s",
  pp16: "round trips/s",
  churn: "conns/s",
};

export const WORKLOAD_LABELS: Record<Workload, string> = {
  bulk: "bulk 64 KiB writes",
  pp1: "ping-pong 64 B, 1 conn",
  pp16: "ping-pong 64 B, 16 conns",
  churn: "churn 8 at a time",
};

export const VARIANT_LABELS: Record<Variant, string> = {
  omninet: "omninet",
  node_net: "node:net",
  raw: "raw API",
};

/** The targets of issue 13: minimum ratios of medians (omninet / other). */
export const TARGETS: Record<RuntimeName, { vsNodeNet: Record<Workload, number>; vsRaw: Record<Workload, number> }> = {
  deno: {
    vsNodeNet: { bulk: 1.3, pp1: 1.0, pp16: 1.0, churn: 1.3 },
    vsRaw: { bulk: 0.9, pp1: 0.9, pp16: 0.9, churn: 0.9 },
  },
  bun: {
    vsNodeNet: { bulk: 1.0, pp1: 1.0, pp16: 1.0, churn: 1.5 },
    vsRaw: { bulk: 0.9, pp1: 0.9, pp16: 0.9, churn: 0.9 },
  },
  node: {
    vsNodeNet: { bulk: 0.95, pp1: 0.95, pp16: 0.95, churn: 0.95 },
    vsRaw: { bulk: 0.95, pp1: 0.95, pp16: 0.95, churn: 0.95 },
  },
};

/** Memory per idle connection: omninet at most this times node:net (issue 13). */
export const MEMORY_TARGETS: Record<RuntimeName, number> = { node: 1.3, deno: 1.3, bun: 1.2 };

/** Scale (10,000 connections ping-ponging): omninet's round trips/s at least this times node:net's (issue 13). */
export const SCALE_TARGETS: Record<RuntimeName, number> = { node: 0.95, deno: 1.0, bun: 0.95 };

/** Median, min and max of the samples (null when there are none). */
export function summarize(samples: number[]): Summary | null {
  if (samples.length === 0) return null;
  const s = [...samples].sort((a, b) => a - b);
  const mid = s.length >> 1;
  const median = s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
  return { n: s.length, median, min: s[0], max: s[s.length - 1] };
}

function ratio(a: Summary | null | undefined, b: Summary | null | undefined): number | null {
  if (!a || !b || b.median <= 0) return null;
  return a.median / b.median;
}

/** Build the table rows from the samples. On Node the raw API is node:net. */
export function buildRows(
  samples: Map<string, number[]>,
  runtimes: RuntimeName[],
  modes: Mode[],
  workloads: readonly Workload[],
): Row[] {
  const rows: Row[] = [];
  for (const runtime of runtimes) {
    for (const mode of modes) {
      for (const workload of workloads) {
        const variants: Partial<Record<Variant, Summary>> = {};
        for (const v of ["omninet", "node_net", "raw"] as Variant[]) {
          const s = summarize(samples.get(sampleKey(runtime, v, mode, workload)) ?? []);
          if (s) variants[v] = s;
        }
        const raw = runtime === "node" ? variants.node_net : variants.raw;
        const vsNodeNet = ratio(variants.omninet, variants.node_net);
        const vsRaw = ratio(variants.omninet, raw);
        const t = TARGETS[runtime];
        rows.push({
          runtime,
          mode,
          workload,
          unit: UNITS[workload],
          variants,
          vsNodeNet,
          vsRaw,
          targetVsNodeNet: t.vsNodeNet[workload],
          targetVsRaw: t.vsRaw[workload],
          passVsNodeNet: vsNodeNet === null ? null : vsNodeNet >= t.vsNodeNet[workload],
          passVsRaw: vsRaw === null ? null : vsRaw >= t.vsRaw[workload],
        });
      }
    }
  }
  return rows;
}

/** Build the memory rows (bytes per idle connection, lower is better). */
export function buildMemRows(
  mem: Map<string, number[]>,
  heap: Map<string, number[]>,
  runtimes: RuntimeName[],
): MemRow[] {
  const rows: MemRow[] = [];
  for (const runtime of runtimes) {
    for (const side of ["server", "client"] as const) {
      const omninet = summarize(mem.get(`${runtime}/omninet/${side}`) ?? []);
      const nodeNet = summarize(mem.get(`${runtime}/node_net/${side}`) ?? []);
      const r = omninet && nodeNet && nodeNet.median > 0 ? omninet.median / nodeNet.median : null;
      rows.push({
        runtime,
        side,
        omninet,
        node_net: nodeNet,
        ratio: r,
        target: MEMORY_TARGETS[runtime],
        pass: r === null ? null : r <= MEMORY_TARGETS[runtime],
        heapOmninet: summarize(heap.get(`${runtime}/omninet/${side}`) ?? []),
        heapNodeNet: summarize(heap.get(`${runtime}/node_net/${side}`) ?? []),
      });
    }
  }
  return rows;
}

/** The key of one sample series. */
export function sampleKey(runtime: RuntimeName, variant: Variant, mode: Mode, workload: Workload): string {
  return `${runtime}/${variant}/${mode}/${workload}`;
}

function num(x: number): string {
  if (x >= 100) return Math.round(x).toLocaleString("en-US");
  if (x >= 10) return x.toFixed(1);
  return x.toFixed(2);
}

function cell(s: Summary | undefined | null): string {
  if (!s) return "–";
  if (s.n === 1) return num(s.median);
  return `${num(s.median)} (${num(s.min)}–${num(s.max)})`;
}

function verdict(r: number | null, target: number, pass: boolean | null, op = "≥"): string {
  if (r === null) return "n/a";
  return `${r.toFixed(2)} ${pass ? "pass" : "MISS"} (${op} ${target})`;
}

/** The throughput table as Markdown. */
export function markdownTable(rows: Row[]): string {
  const head = [
    "| runtime | mode | workload | unit | omninet | node:net | raw API | omninet / node:net | omninet / raw |",
    "|---|---|---|---|---:|---:|---:|---|---|",
  ];
  const lines = rows.map((r) => {
    const raw = r.runtime === "node" ? "(= node:net)" : cell(r.variants.raw);
    const vsRaw = r.runtime === "node" ? "(same)" : verdict(r.vsRaw, r.targetVsRaw, r.passVsRaw);
    return `| ${r.runtime} | ${r.mode} | ${WORKLOAD_LABELS[r.workload]} | ${r.unit} | ${cell(r.variants.omninet)} | ${
      cell(r.variants.node_net)
    } | ${raw} | ${verdict(r.vsNodeNet, r.targetVsNodeNet, r.passVsNodeNet)} | ${vsRaw} |`;
  });
  return [...head, ...lines].join("\n");
}

function bytes(s: Summary | null): string {
  if (!s) return "–";
  const f = (x: number) => Math.round(x).toLocaleString("en-US");
  return s.n === 1 ? f(s.median) : `${f(s.median)} (${f(s.min)}–${f(s.max)})`;
}

/** The memory table as Markdown. */
export function markdownMemTable(rows: MemRow[], conns: number): string {
  const head = [
    `| runtime | side (${
      conns.toLocaleString("en-US")
    } idle conns) | omninet RSS B/conn | node:net RSS B/conn | omninet / node:net | JS heap B/conn omninet / node:net |`,
    "|---|---|---:|---:|---|---:|",
  ];
  const heapCell = (s: Summary | null) => s ? Math.round(s.median).toLocaleString("en-US") : "–";
  const lines = rows.map((r) =>
    `| ${r.runtime} | ${r.side} | ${bytes(r.omninet)} | ${bytes(r.node_net)} | ${
      verdict(r.ratio, r.target, r.pass, "≤")
    } | ${heapCell(r.heapOmninet)} / ${heapCell(r.heapNodeNet)} |`
  );
  return [...head, ...lines].join("\n");
}

/** CPU cost units: µs of the measuring process per MiB, round trip or connection. */
export const CPU_UNITS: Record<Workload, string> = {
  bulk: "CPU µs/MiB",
  pp1: "CPU µs/round trip",
  pp16: "CPU µs/round trip",
  churn: "CPU µs/conn",
};

/**
 * The CPU-cost table (lower is better; a ratio above 1 means omninet costs more). Less
 * sensitive than throughput to other load on the machine. In "separate" mode it is the
 * client process only; in "one" mode both ends.
 */
export function markdownCpuTable(
  cpu: Map<string, number[]>,
  runtimes: RuntimeName[],
  modes: Mode[],
  workloads: readonly Workload[],
): string {
  const lines = [
    "| runtime | mode | workload | unit | omninet | node:net | raw API | omninet / node:net | omninet / raw |",
    "|---|---|---|---|---:|---:|---:|---:|---:|",
  ];
  for (const runtime of runtimes) {
    for (const mode of modes) {
      for (const workload of workloads) {
        const get = (v: Variant) => summarize(cpu.get(sampleKey(runtime, v, mode, workload)) ?? []);
        const o = get("omninet");
        const n = get("node_net");
        const raw = runtime === "node" ? n : get("raw");
        const r = (a: Summary | null, b: Summary | null) =>
          a && b && b.median > 0 ? (a.median / b.median).toFixed(2) : "n/a";
        lines.push(
          `| ${runtime} | ${mode} | ${WORKLOAD_LABELS[workload]} | ${CPU_UNITS[workload]} | ${cell(o)} | ${cell(n)} | ${
            runtime === "node" ? "(= node:net)" : cell(raw)
          } | ${r(o, n)} | ${runtime === "node" ? "(same)" : r(o, raw)} |`,
        );
      }
    }
  }
  return lines.join("\n");
}

/** Sustained ping-pong samples of one variant (scale or multi-core), as run.ts records them. */
export interface SustainedSample {
  rate: number;
  clientCpuPerRt: number;
  serverCpuPerRt: number;
  clientPerConn: number;
  serverPerConn: number;
  connectMs: number;
  /** Connections accepted by each server process (multi-core: warm-up included). */
  perServer: number[];
  /** Connections open on each server process during the measured ping-pong. */
  perServerOpen: number[];
  serverBusy: number[];
  /** Other processes' share of the machine during the ping-pong (null: unknown). */
  foreign: number | null;
}

/** "others used up to N% of the CPUs" over a set of sustained samples. */
export function sustainedBusyNote(label: string, all: SustainedSample[]): string {
  const known = all.filter((s) => s.foreign !== null);
  if (known.length === 0) return "";
  const worst = Math.max(...known.map((s) => s.foreign!));
  const disturbed = known.filter((s) => s.foreign! > 0.1).length;
  return `${label} (not repeated when disturbed, to bound the run's time): ${disturbed} of ${known.length} samples had others using > 10% of the CPUs (worst ${
    Math.round(worst * 100)
  }%).`;
}

const med = (xs: number[]) => summarize(xs)?.median ?? NaN;
const fmtInt = (x: number) => Number.isFinite(x) ? Math.round(x).toLocaleString("en-US") : "–";
const fmt2 = (x: number) => Number.isFinite(x) ? x.toFixed(2) : "–";
const fmtRatio = (a: number, b: number) => Number.isFinite(a) && Number.isFinite(b) && b > 0 ? (a / b).toFixed(2) : "–";

/** The ratio to node:net, with issue 13's verdict on omninet's row. */
function scaleVerdict(rt: RuntimeName, v: Variant, rate: number, nodeNetRate: number): string {
  const r = fmtRatio(rate, nodeNetRate);
  if (v !== "omninet" || r === "–") return r;
  const target = SCALE_TARGETS[rt];
  return `${r} ${rate / nodeNetRate >= target ? "pass" : "MISS"} (≥ ${target})`;
}

/** The scale table: many connections, ping-pong, one server process and one client process. */
export function markdownScaleTable(
  samples: Map<string, SustainedSample[]>,
  runtimes: RuntimeName[],
  variantsOf: (rt: RuntimeName) => Variant[],
): string {
  const lines = [
    "| runtime | variant | round trips/s | vs node:net | client CPU µs/rt | server CPU µs/rt | CPU vs node:net (client / server) | RSS B/conn server / client | connect time s |",
    "|---|---|---:|---:|---:|---:|---:|---:|---:|",
  ];
  for (const rt of runtimes) {
    const get = (v: Variant) => samples.get(`${rt}/${v}`) ?? [];
    const m = (v: Variant, f: (s: SustainedSample) => number) => med(get(v).map(f));
    for (const v of variantsOf(rt)) {
      const ss = get(v);
      if (ss.length === 0) {
        lines.push(`| ${rt} | ${VARIANT_LABELS[v]} | failed | | | | | | |`);
        continue;
      }
      const rates = summarize(ss.map((s) => s.rate))!;
      const rateCell = rates.n === 1
        ? fmtInt(rates.median)
        : `${fmtInt(rates.median)} (${fmtInt(rates.min)}–${fmtInt(rates.max)})`;
      lines.push(
        `| ${rt} | ${VARIANT_LABELS[v]} | ${rateCell} | ${
          scaleVerdict(rt, v, rates.median, m("node_net", (s) => s.rate))
        } | ${fmt2(m(v, (s) => s.clientCpuPerRt))} | ${fmt2(m(v, (s) => s.serverCpuPerRt))} | ${
          fmtRatio(m(v, (s) => s.clientCpuPerRt), m("node_net", (s) => s.clientCpuPerRt))
        } / ${fmtRatio(m(v, (s) => s.serverCpuPerRt), m("node_net", (s) => s.serverCpuPerRt))} | ${
          fmtInt(m(v, (s) => s.serverPerConn))
        } / ${fmtInt(m(v, (s) => s.clientPerConn))} | ${fmt2(m(v, (s) => s.connectMs) / 1000)} |`,
      );
    }
  }
  return lines.join("\n");
}

/** The multi-core table: one reusePort listener per worker process, 1 worker against 2. */
export function markdownMultiTable(
  samples: Map<string, SustainedSample[]>,
  runtimes: RuntimeName[],
  variantsOf: (rt: RuntimeName) => Variant[],
  lacking: Map<string, string>,
): string {
  const lines = [
    "| runtime | variant | 1 worker round trips/s | 2 workers round trips/s | 2 / 1 | server CPU µs/rt (1 / 2 workers) | connections per worker (2) | server CPU busy (1 / 2 workers) |",
    "|---|---|---:|---:|---:|---:|---|---|",
  ];
  for (const rt of runtimes) {
    for (const v of variantsOf(rt)) {
      const one = samples.get(`${rt}/${v}/1`) ?? [];
      const two = samples.get(`${rt}/${v}/2`) ?? [];
      const r1 = med(one.map((s) => s.rate));
      const r2 = med(two.map((s) => s.rate));
      const busy = (ss: SustainedSample[]) =>
        ss.length ? ss[ss.length - 1].serverBusy.map((b) => `${Math.round(b * 100)}%`).join(" + ") : "–";
      const lack = lacking.get(`${rt}/${v}`);
      const spread = two.length ? two[two.length - 1].perServerOpen.join(" + ") : lack ? `no reusePort: ${lack}` : "–";
      const cpu = (ss: SustainedSample[]) => fmt2(med(ss.map((s) => s.serverCpuPerRt)));
      lines.push(
        `| ${rt} | ${VARIANT_LABELS[v]} | ${fmtInt(r1)} | ${fmtInt(r2)} | ${fmtRatio(r2, r1)} | ${cpu(one)} / ${
          cpu(two)
        } | ${spread} | ${busy(one)} / ${busy(two)} |`,
      );
    }
  }
  return lines.join("\n");
}
