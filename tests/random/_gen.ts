// The randomized differential's generator: scenario = a client and a server connected over
// loopback TCP or a Unix socket, then a list of random steps on either side, each gated
// on an event (never on wall time). Its own PRNG (mulberry32); each scenario gets a PRNG
// seeded from (seed, index), so a scenario never depends on the ones generated before it.
// Scenarios are plain JSON (the shrinker edits them; the Node 24 oracle child reads them).

/** Which socket a step acts on or waits for: the client, or the server's accepted socket. */
export type Side = "client" | "server";

/** Chunk encodings written. */
export type WriteEncoding = "buffer" | "utf8" | "latin1" | "hex" | "base64";

/**
 * What a step waits for before acting. A gate is a fact about one socket that, once true,
 * stays true ("has had 'connect'", "has received ≥ n units"), so a gate already passed
 * lets the step run at once. `none`: right after the previous step.
 */
export type Gate =
  | { on: "none" }
  | { on: Side; event: "connect" | "end" | "finish" | "drain" | "close" }
  | { on: Side; event: "data"; n: number };

/** One action on a socket (or, `serverClose`, on the server). */
export type Action =
  | { op: "write" | "end"; size: number; enc: WriteEncoding }
  | { op: "endEmpty" }
  | { op: "destroy"; err: boolean }
  | { op: "destroySoon" | "pause" | "resume" | "cork" | "uncork" | "serverClose" }
  | { op: "setEncoding"; enc: "utf8" | "latin1" | "hex" | "base64" }
  | { op: "setTimeout"; ms: number };

/**
 * One step: on `side`, once `gate` holds and the connection is quiet (no event on either
 * socket for a few loop turns: data in flight has arrived), do `act`. `racy`: skip the
 * wait for quiet, so the action may race with data in flight (such scenarios are kept only
 * when node:net's trace does not change with timing).
 */
export interface Step {
  side: Side;
  gate: Gate;
  act: Action;
  racy?: true;
}

/** How a socket consumes: `'data'` events, or `read(n)` in a `'readable'` listener. */
export type ReadMode = { mode: "flowing" } | { mode: "readable"; n: number };

/** One generated scenario (JSON). */
export interface Spec {
  /** `<seed>-<index>`. */
  id: string;
  transport: "tcp" | "unix";
  server: { allowHalfOpen: boolean; pauseOnConnect: boolean; maxConnections?: number; read: ReadMode };
  client: { allowHalfOpen: boolean; read: ReadMode };
  steps: Step[];
}

/** mulberry32: a small, fast, well-distributed 32-bit PRNG. */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

class Rng {
  readonly next: () => number;
  constructor(next: () => number) {
    this.next = next;
  }
  int(n: number): number {
    return Math.floor(this.next() * n);
  }
  chance(p: number): boolean {
    return this.next() < p;
  }
  pick<T>(items: readonly T[]): T {
    return items[this.int(items.length)];
  }
  /** Pick by weight: `[[weight, value], …]`. */
  weighted<T>(items: readonly [number, T][]): T {
    const total = items.reduce((n, [w]) => n + w, 0);
    let r = this.next() * total;
    for (const [w, v] of items) {
      if ((r -= w) < 0) return v;
    }
    return items[items.length - 1][1];
  }
}

/** Write sizes (bytes before encoding), small ones most often. */
const SIZES: [number, number][] = [
  [6, 0],
  [10, 1],
  [10, 7],
  [14, 100],
  [12, 1000],
  [8, 16384],
  [6, 65537],
  [3, 300000],
  [2, 1048576],
];
const ENCODINGS: WriteEncoding[] = ["buffer", "buffer", "utf8", "utf8", "latin1", "hex", "base64"];

/** What the generator knows of one side so far, to pick gates that will hold. */
interface SideState {
  /** Bytes written and not held back by cork. */
  wrote: number;
  /** Bytes written while corked. */
  corked: number;
  /** cork() calls not yet undone by uncork(). */
  corkDepth: number;
  ended: boolean;
  destroyed: boolean;
  paused: boolean;
  /** Some single write of > 64 KiB (4 × the high-water mark): a 'drain' follows. */
  big: boolean;
}

const peerOf = (side: Side): Side => (side === "client" ? "server" : "client");

/** A gate that will hold (the event it waits for follows from the steps before it). */
function gate(rng: Rng, st: Record<Side, SideState>): Gate {
  const options: [number, Gate][] = [[30, { on: "none" }]];
  for (const side of ["client", "server"] as const) {
    const me = st[side];
    const peer = st[peerOf(side)];
    options.push([11, { on: side, event: "connect" }]);
    if (!me.paused && peer.wrote >= 3) {
      const n = rng.pick([1, 1, Math.max(1, Math.floor(peer.wrote / 3))]);
      options.push([14, { on: side, event: "data", n }]);
    }
    if (!me.paused && (peer.ended || peer.destroyed)) options.push([10, { on: side, event: "end" }]);
    if (me.big) options.push([8, { on: side, event: "drain" }]);
    if (me.ended) options.push([6, { on: side, event: "finish" }]);
    if (me.destroyed || peer.destroyed) options.push([5, { on: side, event: "close" }]);
  }
  return rng.weighted(options);
}

/** Update the generator's picture of the sides after `act` on `side`. */
function apply(st: Record<Side, SideState>, side: Side, act: Action): void {
  const me = st[side];
  switch (act.op) {
    case "write":
      if (me.corkDepth > 0) me.corked += act.size;
      else me.wrote += act.size;
      if (act.size > 65536) me.big = true;
      break;
    case "end":
      me.wrote += me.corked + act.size;
      me.corked = 0;
      me.corkDepth = 0;
      me.ended = true;
      break;
    case "endEmpty":
    case "destroySoon":
      me.wrote += me.corked;
      me.corked = 0;
      me.corkDepth = 0;
      me.ended = true;
      break;
    case "destroy":
      me.destroyed = true;
      break;
    case "pause":
      me.paused = true;
      break;
    case "resume":
      me.paused = false;
      break;
    case "cork":
      me.corkDepth++;
      break;
    case "uncork":
      if (me.corkDepth > 0 && --me.corkDepth === 0) {
        me.wrote += me.corked;
        me.corked = 0;
      }
      break;
  }
}

/** `readable`: the side reads with read(n), where setEncoding() on buffered data breaks Node's own read(n). */
function action(rng: Rng, side: Side, readable: boolean): Action {
  return rng.weighted<Action>([
    [30, { op: "write", size: rng.weighted(SIZES), enc: rng.pick(ENCODINGS) }],
    [7, { op: "end", size: rng.weighted(SIZES), enc: rng.pick(ENCODINGS) }],
    [7, { op: "endEmpty" }],
    [5, { op: "destroy", err: rng.chance(0.4) }],
    [3, { op: "destroySoon" }],
    [6, { op: "pause" }],
    [6, { op: "resume" }],
    [readable ? 0 : 5, { op: "setEncoding", enc: rng.pick(["utf8", "latin1", "hex", "base64"] as const) }],
    [3, { op: "setTimeout", ms: rng.pick([0, 30]) }],
    [5, { op: "cork" }],
    [5, { op: "uncork" }],
    [side === "server" ? 3 : 0, { op: "serverClose" }],
  ]);
}

function readMode(rng: Rng): ReadMode {
  return rng.chance(0.2) ? { mode: "readable", n: rng.pick([10, 1000, 70000]) } : { mode: "flowing" };
}

/** Scenario `index` of `seed`. */
export function generate(seed: number, index: number): Spec {
  const rng = new Rng(mulberry32(Math.imul(seed, 0x9e3779b1) ^ Math.imul(index + 1, 0x85ebca6b)));
  rng.next();
  const spec: Spec = {
    id: `${seed}-${index}`,
    transport: rng.chance(0.3) ? "unix" : "tcp",
    server: { allowHalfOpen: rng.chance(0.3), pauseOnConnect: rng.chance(0.12), read: readMode(rng) },
    client: { allowHalfOpen: rng.chance(0.3), read: readMode(rng) },
    steps: [],
  };
  if (rng.chance(0.04)) spec.server.maxConnections = 0;
  const fresh = (paused: boolean): SideState => ({
    wrote: 0,
    corked: 0,
    corkDepth: 0,
    ended: false,
    destroyed: false,
    paused,
    big: false,
  });
  const st: Record<Side, SideState> = { client: fresh(false), server: fresh(spec.server.pauseOnConnect) };
  const count = 1 + rng.int(8);
  for (let i = 0; i < count; i++) {
    const side: Side = rng.pick(["client", "server"] as const);
    const step: Step = { side, gate: gate(rng, st), act: action(rng, side, spec[side].read.mode === "readable") };
    if (rng.chance(0.1)) step.racy = true;
    apply(st, side, step.act);
    spec.steps.push(step);
  }
  return spec;
}

/** Scenarios `from` … `from + count - 1` of `seed`. */
export function generateRange(seed: number, from: number, count: number): Spec[] {
  return Array.from({ length: count }, (_, i) => generate(seed, from + i));
}

/** A gate as text: `after client 'connect'`, `after server received ≥ 1000`. */
export function showGate(g: Gate): string {
  if (g.on === "none") return "then";
  if (g.event === "data") return `after ${g.on} received >= ${g.n}`;
  return `after ${g.on} '${g.event}'`;
}

/** An action as text. */
export function showAction(a: Action): string {
  switch (a.op) {
    case "write":
    case "end":
      return `${a.op}(${a.size} B ${a.enc})`;
    case "endEmpty":
      return "end()";
    case "destroy":
      return a.err ? "destroy(err)" : "destroy()";
    case "setEncoding":
      return `setEncoding(${a.enc})`;
    case "setTimeout":
      return `setTimeout(${a.ms})`;
    case "serverClose":
      return "server.close()";
    default:
      return `${a.op}()`;
  }
}

/** The scenario as a short step list (one line each). */
export function describe(spec: Spec): string[] {
  const mode = (r: ReadMode) => (r.mode === "flowing" ? "" : `read(${r.n}) mode`);
  const s = spec.server;
  const flags = (...f: (string | false)[]) => f.filter(Boolean).join(" ");
  const opts = [
    spec.transport,
    `server{${
      flags(
        s.allowHalfOpen && "allowHalfOpen",
        s.pauseOnConnect && "pauseOnConnect",
        s.maxConnections !== undefined && `maxConnections=${s.maxConnections}`,
        mode(s.read),
      )
    }}`,
    `client{${flags(spec.client.allowHalfOpen && "allowHalfOpen", mode(spec.client.read))}}`,
  ];
  return [
    opts.join(" "),
    ...spec.steps.map((st, i) =>
      `${i + 1}. ${showGate(st.gate)}${st.racy ? " (no wait for quiet)" : ""}: ${st.side}.${showAction(st.act)}`
    ),
  ];
}
