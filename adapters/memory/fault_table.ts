/**
 * The faults of one memory network: the rules `memory.faults` adds ({@link MemoryFaults})
 * and the questions the network asks them while it routes a connect (`onConnect`) and
 * moves bytes (`cut`, `split`, `delay`, `reader`). With no stream rule a connection asks
 * nothing (`streaming` is false): the default behaviour is the plain loopback one.
 *
 * @module
 */
import { setImmediate } from "node:timers";
import { formatIPv6, isIP, parseInetAddress } from "../../src/address/ip.ts";
import type {
  DirectionFaultOptions,
  Fault,
  FaultScope,
  FragmentOptions,
  MemoryFaults,
  Side,
  SlowReaderOptions,
  StreamFaultOptions,
} from "./faults.ts";

/** What a connection is for scope matching: its target and the client's local port. */
export interface Wire {
  host?: string;
  port?: number;
  path?: string;
  localPort?: number;
}

type ConnectKind = "refuse" | "hang" | "fullBacklog";
type StreamKind = "resetAfter" | "endAfter" | "slowReader" | "fragment" | "latency";

/** One rule: its kind, scope and settings, and which connections it holds. */
class Rule implements Fault {
  hits = 0;
  active = true;
  readonly claimed = new WeakSet<Wire>();
  /** Per connection: the sender's byte count when the rule claimed it. */
  readonly start = new WeakMap<Wire, number>();
  /** Connects held (hang, fullBacklog), to retry on removal. */
  held: (() => void)[] = [];
  readonly table: FaultTable;
  readonly kind: ConnectKind | StreamKind;
  readonly scope: FaultScope;
  readonly value: number;
  readonly side: Side | undefined;
  readonly extra: { seed?: number; maxPiece?: number; intervalMs?: number; buffer?: number };
  #left: number;

  // Plain fields, not parameter properties: Node runs this file with type stripping only.
  constructor(
    table: FaultTable,
    kind: ConnectKind | StreamKind,
    scope: FaultScope,
    value = 0,
    side: Side | undefined = undefined,
    extra: { seed?: number; maxPiece?: number; intervalMs?: number; buffer?: number } = {},
  ) {
    this.table = table;
    this.kind = kind;
    this.scope = scope;
    this.value = value;
    this.side = side;
    this.extra = extra;
    this.#left = nonNegative("count", scope.count ?? Infinity);
    this.#state = (extra.seed ?? 1) >>> 0;
  }

  /** Whether the rule applies to `wire` (claiming it when it may). */
  takes(wire: Wire): boolean {
    if (!this.active) return false;
    if (this.claimed.has(wire)) return true;
    if (this.#left <= 0 || !matches(this.scope, wire)) return false;
    this.#left--;
    this.hits++;
    this.claimed.add(wire);
    return true;
  }

  remove(): void {
    if (!this.active) return;
    this.active = false;
    this.table.drop(this);
    const held = this.held;
    this.held = [];
    for (const retry of held) setImmediate(retry);
  }

  #state: number;
  /** mulberry32: a small seeded generator, [0, 1). */
  random(): number {
    let t = (this.#state = (this.#state + 0x6d2b79f5) >>> 0);
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
}

function sameHost(a: string, b: string): boolean {
  if (a === b) return true;
  if (isIP(a) !== 6 || isIP(b) !== 6) return false;
  const [x, y] = [parseInetAddress(a, 6), parseInetAddress(b, 6)];
  return x !== null && y !== null && formatIPv6(x) === formatIPv6(y);
}

function matches(scope: FaultScope, wire: Wire): boolean {
  if (scope.path !== undefined && scope.path !== wire.path) return false;
  if (scope.port !== undefined && scope.port !== wire.port) return false;
  if (scope.host !== undefined && (wire.host === undefined || !sameHost(scope.host, wire.host))) return false;
  if (scope.localPort !== undefined && scope.localPort !== wire.localPort) return false;
  return true;
}

function nonNegative(name: string, value: number, min = 0): number {
  if (typeof value !== "number" || !(value >= min)) {
    throw new RangeError(`The fault's ${name} must be a number >= ${min}. Received ${String(value)}`);
  }
  return value;
}

/** The fate of a connect: refused, held (retry with the callback later), or routed. */
export type ConnectFate = "refuse" | "hold" | "";

/** The faults of one network: the public {@link MemoryFaults} and the network's questions. */
export class FaultTable implements MemoryFaults {
  #connect: Rule[] = [];
  #stream: Rule[] = [];

  /** Whether any stream fault exists: connections ask nothing while there is none. */
  get streaming(): boolean {
    return this.#stream.length > 0;
  }

  refuse(scope: FaultScope = {}): Fault {
    return this.#add(new Rule(this, "refuse", scope));
  }

  hang(scope: FaultScope = {}): Fault {
    return this.#add(new Rule(this, "hang", scope));
  }

  fullBacklog(scope: FaultScope = {}): Fault {
    return this.#add(new Rule(this, "fullBacklog", scope));
  }

  resetAfter(bytes: number, options: StreamFaultOptions = {}): Fault {
    return this.#add(new Rule(this, "resetAfter", options, nonNegative("bytes", bytes), options.from ?? "server"));
  }

  endAfter(bytes: number, options: StreamFaultOptions = {}): Fault {
    return this.#add(new Rule(this, "endAfter", options, nonNegative("bytes", bytes), options.from ?? "server"));
  }

  slowReader(bytesPerTick: number, options: SlowReaderOptions = {}): Fault {
    const extra = {
      intervalMs: nonNegative("intervalMs", options.intervalMs ?? 0),
      buffer: nonNegative("buffer", options.buffer ?? 256 * 1024, 1),
    };
    return this.#add(
      new Rule(
        this,
        "slowReader",
        options,
        nonNegative("bytesPerTick", bytesPerTick, 1),
        options.reader ?? "server",
        extra,
      ),
    );
  }

  fragment(options: FragmentOptions = {}): Fault {
    const extra = { seed: options.seed ?? 1, maxPiece: nonNegative("maxPiece", options.maxPiece ?? Infinity, 1) };
    return this.#add(new Rule(this, "fragment", options, 0, options.from, extra));
  }

  latency(ms: number, options: DirectionFaultOptions = {}): Fault {
    return this.#add(new Rule(this, "latency", options, nonNegative("ms", ms), options.from));
  }

  clear(): void {
    for (const rule of [...this.#connect, ...this.#stream]) rule.remove();
  }

  #add(rule: Rule): Fault {
    const kind = rule.kind;
    (kind === "refuse" || kind === "hang" || kind === "fullBacklog" ? this.#connect : this.#stream).push(rule);
    return rule;
  }

  /** Forget a removed rule. */
  drop(rule: Rule): void {
    this.#connect = this.#connect.filter((r) => r !== rule);
    this.#stream = this.#stream.filter((r) => r !== rule);
  }

  /**
   * The fate of a connect to `target`: the first rule that takes it decides. `listening`
   * says whether a listener would accept it (a full backlog needs one); `retry` is what a
   * held connect does once its rule is removed.
   */
  onConnect(target: Wire, listening: boolean, retry: () => void): ConnectFate {
    for (const rule of this.#connect) {
      if (rule.kind === "fullBacklog" && !listening) continue;
      if (!rule.takes(target)) continue;
      if (rule.kind === "refuse") return "refuse";
      rule.held.push(retry);
      return "hold";
    }
    return "";
  }

  /** The first stream rule of `kind` for `from`'s bytes on `wire` (either side's if `side` is unset). */
  #find(kind: StreamKind, wire: Wire, from: Side): Rule | undefined {
    for (const rule of this.#stream) {
      if (rule.kind === kind && (rule.side === undefined || rule.side === from) && rule.takes(wire)) return rule;
    }
    return undefined;
  }

  /**
   * The nearest cut (reset or FIN) of `from`'s bytes on `wire`, given `sent` bytes sent
   * so far: how many more bytes pass before it.
   */
  cut(wire: Wire, from: Side, sent: number): { bytes: number; rst: boolean } | undefined {
    let best: { bytes: number; rst: boolean } | undefined;
    for (const rule of this.#stream) {
      if (rule.kind !== "resetAfter" && rule.kind !== "endAfter") continue;
      if (rule.side !== from || !rule.takes(wire)) continue;
      let start = rule.start.get(wire);
      if (start === undefined) rule.start.set(wire, start = sent);
      const bytes = Math.max(0, start + rule.value - sent);
      if (best === undefined || bytes < best.bytes) best = { bytes, rst: rule.kind === "resetAfter" };
    }
    return best;
  }

  /** `chunk` cut into pieces as a fragment rule wants (itself alone otherwise). */
  split(wire: Wire, from: Side, chunk: Uint8Array): Uint8Array[] {
    const rule = this.#find("fragment", wire, from);
    if (rule === undefined) return [chunk];
    const pieces: Uint8Array[] = [];
    const max = rule.extra.maxPiece ?? Infinity;
    for (let at = 0; at < chunk.byteLength;) {
      const rest = Math.min(chunk.byteLength - at, max);
      const n = 1 + Math.floor(rule.random() * rest);
      pieces.push(chunk.subarray(at, at + n));
      at += n;
    }
    return pieces;
  }

  /** The milliseconds `from`'s bytes take to arrive on `wire`. */
  delay(wire: Wire, from: Side): number {
    return this.#find("latency", wire, from)?.value ?? 0;
  }

  /** The slow reading of `reader` on `wire`, if a rule slows it. */
  reader(wire: Wire, reader: Side): { bytes: number; intervalMs: number; buffer: number } | undefined {
    const rule = this.#find("slowReader", wire, reader);
    if (rule === undefined) return undefined;
    return { bytes: rule.value, intervalMs: rule.extra.intervalMs ?? 0, buffer: rule.extra.buffer ?? 256 * 1024 };
  }
}
