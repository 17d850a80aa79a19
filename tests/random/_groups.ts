// The cause groups of the randomized differential's known differences (README.md): extra
// 'drain' events first (the most common difference), then the first rule that matches the
// lines where node:net's and omninet's traces part once 'drain' is left out.
import type { Spec } from "./_gen.ts";
import type { Traces } from "./_run.ts";
import { traceDiff } from "./_fixture.ts";

interface Rule {
  name: string;
  /** `e`/`a`: node:net's and omninet's lines from where they part (`label: line`). */
  test(e: string[], a: string[], spec: Spec): boolean;
}

const has = (lines: string[], re: RegExp) => lines.some((l) => re.test(l));
const noError = (lines: string[]) => !has(lines, /: error\(/);
const dataCount = (lines: string[]) => {
  const m = lines.length ? /: (?:data|read)(?: string)?\((\d+) /.exec(lines[0]) : null;
  return m ? Number(m[1]) : undefined;
};
const final = (line: string | undefined) => {
  const m = line ? /final bytesRead=(\d+) bytesWritten=(\d+)/.exec(line) : null;
  return m ? { read: Number(m[1]), written: Number(m[2]) } : undefined;
};
const gateKind = (a: string[], spec: Spec) => {
  const m = a.map((l) => /gates: step (\d+): gate still open/.exec(l)).find(Boolean);
  const gate = m ? spec.steps[Number(m[1]) - 1]?.gate : undefined;
  return gate && gate.on !== "none" ? gate.event : undefined;
};

export const BACKPRESSURE =
  "backpressure reported for a write that was flushed at once: write() returns false and 'drain' follows (or writableNeedDrain stays true)";

const RULES: Rule[] = [
  {
    name: BACKPRESSURE,
    test: (e, a, spec) => !has(e, /gate still open/) && gateKind(a, spec) === "drain",
  },
  {
    name: "peer destroyed with our writes pending: ECONNRESET reported by write, not read",
    test: (e, a) => has(e, /ECONNRESET syscall=read/) && has(a, /ECONNRESET syscall=write/),
  },
  {
    name: "peer destroyed with data unread (RST): no ECONNRESET, a clean 'end'/'close'",
    test: (e, a) => has(e, /error\(<Error code=ECONNRESET/) && noError(a),
  },
  {
    name: "write after the peer closed: no EPIPE, the write 'finish'es",
    test: (e, a) => has(e, /error\(<Error code=EPIPE/) && noError(a),
  },
  {
    name: "write to a peer that closed at once: EPIPE where node:net's write succeeded",
    test: (e, a) => has(a, /error\(<Error code=EPIPE/) && noError(e),
  },
  {
    name: "data the peer wrote just before end()/destroy() is lost ('end' or less data where node:net delivers it)",
    test: (e, a) => {
      const x = dataCount(e);
      const y = dataCount(a);
      return x !== undefined && (y === undefined ? /: (end|close\(\w+\))$/.test(a[0] ?? "") : y < x);
    },
  },
  {
    name: "final bytesWritten larger: counts data that never went out (written after end(), destroy() or an error)",
    test: (e, a) => {
      const x = final(e[0]);
      const y = final(a[0]);
      return !!x && !!y && x.read === y.read && y.written > x.written;
    },
  },
  {
    name: "final bytesRead larger: counts data node:net never read (peer's data after our destroy() / a full buffer)",
    test: (e, a) => {
      const x = final(e[0]);
      const y = final(a[0]);
      return !!x && !!y && y.read > x.read && y.written === x.written;
    },
  },
  {
    name: "'timeout' fires at another point (or not at all)",
    test: (e, a) => /: timeout$/.test(e[0] ?? "") || /: timeout$/.test(a[0] ?? ""),
  },
  {
    name: "write() after end(): no ERR_STREAM_WRITE_AFTER_END",
    test: (e, a) => has(e, /ERR_STREAM_WRITE_AFTER_END/) && !has(a, /ERR_STREAM_WRITE_AFTER_END/),
  },
  {
    name: "no 'finish' after end()",
    test: (e, a) => has(e, /writes: finish$/) && !has(a, /writes: finish$/),
  },
];

/** `t` without its 'drain' entries. */
function withoutDrain(t: Traces): Traces {
  const out: Traces = {};
  for (const [label, lines] of Object.entries(t)) {
    const kept = lines.filter((l) => !(label.endsWith(" writes") && l === "drain"));
    if (kept.length > 0) out[label] = kept;
  }
  return out;
}

/** The cause group of a difference (`other: <first differing lines>` when no rule matches). */
export function groupOf(spec: Spec, expected: Traces, actual: Traces): string {
  const e = withoutDrain(expected);
  const a = withoutDrain(actual);
  if (JSON.stringify(e) === JSON.stringify(a)) return BACKPRESSURE;
  const d = traceDiff(e, a);
  for (const rule of RULES) if (rule.test(d.expected, d.actual, spec)) return rule.name;
  // Hashes vary with the data, and with the bug: the group names what differs, not the bytes.
  return `other: ${d.expected[0]} / ${d.actual[0]}`.replace(/ #[0-9a-f]{8}/g, "");
}
