// The seeded bad-input generator: a small PRNG (mulberry32) picks an API entry point, an
// overload form and bad or edge values for each argument. A case is only a description
// (`desc`, printed like the call it makes) and a `run` closure that rebuilds fresh values
// (objects, callbacks, AbortSignals) every time, so the same seed gives the same cases on
// every runtime. Nothing reaches a real network: TCP targets are loopback only (the
// context's `port` is a closed port of a server the runner controlled), non-IP host
// strings in options objects get a fake `lookup` that fails, and paths live in a temp dir.

/** What a case needs from the runner. */
export interface CaseContext {
  /** A loopback port nothing listens on (a server of ours listened there and closed). */
  port: number;
  /** A temporary directory for Unix socket paths (the runner's cwd too). */
  dir: string;
  /** Index of the running case (unique socket paths). */
  index: number;
  /** Record something the call caused later (a callback, a lookup call). */
  note(entry: string): void;
}

/** One generated call. */
export interface BadCase {
  /** `<seed>-<index>`. */
  id: string;
  /** The call, as source-like text. */
  desc: string;
  /** Which API family (for grouping). */
  api: string;
  /** Whether the call may start network activity (the runner then waits a bounded window). */
  network: boolean;
}

/** A value the generator can pass: how it prints and how to make a fresh copy. */
export interface Val {
  show: string;
  make(ctx: CaseContext): unknown;
}

/** mulberry32: a tiny deterministic PRNG, the same on every runtime. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const lit = (show: string, value: unknown): Val => ({ show, make: () => value });
const fresh = (show: string, make: (ctx: CaseContext) => unknown): Val => ({ show, make });

/** A callback that records its calls (`<name>(<args>)`). */
const cb = (name = "cb"): Val =>
  fresh(name, (ctx) => (...args: unknown[]) => ctx.note(`${name}(${args.map(brief).join(", ")})`));

/** A short, runtime-neutral rendering of a callback argument. */
export function brief(v: unknown): string {
  if (v instanceof Error) {
    const e = v as Error & { code?: unknown };
    return `<${e.name}${e.code !== undefined ? ` ${String(e.code)}` : ""}: ${e.message}>`;
  }
  if (v === undefined || v === null || typeof v === "number" || typeof v === "boolean") return String(v);
  if (typeof v === "string") return JSON.stringify(v);
  if (typeof v === "function") return "[function]";
  if (Array.isArray(v)) return `[array ${v.length}]`;
  return "[object]";
}

const longHost = "a".repeat(300) + ".test";
const ABSENT: Val = lit("<absent>", undefined);

const common: Val[] = [
  lit("undefined", undefined),
  lit("null", null),
  lit("true", true),
  lit("false", false),
  fresh("{}", () => ({})),
  fresh("[]", () => []),
  lit("NaN", NaN),
  lit("-1", -1),
  lit('""', ""),
  fresh("() => {}", () => () => {}),
  lit("Symbol()", Symbol("x")),
  lit("1n", 1n),
];

const ports: Val[] = [
  fresh("PORT", (ctx) => ctx.port),
  fresh("String(PORT)", (ctx) => String(ctx.port)),
  lit("-1", -1),
  lit("65536", 65536),
  lit("1.5", 1.5),
  lit("NaN", NaN),
  lit('"abc"', "abc"),
  fresh('" PORT"', (ctx) => ` ${ctx.port}`),
  lit('""', ""),
  lit("null", null),
  lit("undefined", undefined),
  lit("true", true),
  fresh("{}", () => ({})),
  fresh("[]", () => []),
  lit("2**53", 2 ** 53),
  fresh('"0x" + PORT.toString(16)', (ctx) => `0x${ctx.port.toString(16)}`),
  lit("Infinity", Infinity),
  lit("-0", -0),
  lit('"-1"', "-1"),
  fresh('PORT + "e0"', (ctx) => `${ctx.port}e0`),
  fresh('PORT + ".0"', (ctx) => `${ctx.port}.0`),
  lit("Symbol()", Symbol("p")),
  lit("1n", 1n),
];

const hosts: Val[] = [
  lit('"127.0.0.1"', "127.0.0.1"),
  lit("1", 1),
  lit("null", null),
  lit("undefined", undefined),
  lit("true", true),
  fresh("{}", () => ({})),
  fresh("[]", () => []),
  lit('""', ""),
  lit('"a".repeat(300)+".test"', longHost),
  lit('"bad\\0host"', "bad\0host"),
  lit('"[::1]"', "[::1]"),
  lit('"::1"', "::1"),
  lit('"localhost"', "localhost"),
  lit('"host name"', "host name"),
  lit('"127.0.0.1:80"', "127.0.0.1:80"),
  lit('"999.1.1.1"', "999.1.1.1"),
];

/** Positional hosts skip the fake lookup: only strings that resolve without DNS. */
const dnsFree = new Set(['"127.0.0.1"', '"::1"', '"localhost"', '""']);
const safeHosts: Val[] = hosts.filter((h) => dnsFree.has(h.show) || !h.show.startsWith('"'));

const paths: Val[] = [
  fresh("PATH", (ctx) => `${ctx.dir}/c${ctx.index}.sock`),
  fresh("PORT", (ctx) => ctx.port),
  fresh("{}", () => ({})),
  fresh("[]", () => []),
  lit("null", null),
  lit("true", true),
  lit('""', ""),
  lit('"bad\\0path"', "bad\0path"),
  fresh('"x".repeat(200)', () => "x".repeat(200)),
];

const bools: Val[] = [
  lit("true", true),
  lit("false", false),
  lit('"yes"', "yes"),
  lit("1", 1),
  lit("0", 0),
  lit("null", null),
  fresh("{}", () => ({})),
];

const timeouts: Val[] = [
  lit("-1", -1),
  lit('"1"', "1"),
  lit("NaN", NaN),
  lit("0", 0),
  lit("100000", 100000),
  lit("Infinity", Infinity),
  lit("2**31", 2 ** 31),
  lit("1.5e10", 1.5e10),
  lit("null", null),
  fresh("{}", () => ({})),
  lit("true", true),
  lit("-0", -0),
];

const funcs: Val[] = [cb(), lit("1", 1), lit('"cb"', "cb"), fresh("{}", () => ({})), lit("null", null)];
/**
 * Trailing callbacks of the positional connect/listen forms: never a string, which would
 * land in the host position (`connect(1, "cb")`) and reach DNS.
 */
const tails: Val[] = funcs.filter((f) => !f.show.startsWith('"'));

const families: Val[] = [
  lit("4", 4),
  lit("6", 6),
  lit("0", 0),
  lit("7", 7),
  lit('"IPv4"', "IPv4"),
  lit('"IPv6"', "IPv6"),
  lit('"IPv5"', "IPv5"),
  lit('"4"', "4"),
  lit("-1", -1),
  lit("null", null),
  fresh("{}", () => ({})),
];

const hints: Val[] = [lit("-1", -1), lit("999", 999), lit("0", 0), lit('"1"', "1"), lit("null", null), lit("1.5", 1.5)];

const lookups: Val[] = [
  lit('"dns"', "dns"),
  lit("1", 1),
  fresh("{}", () => ({})),
  fresh("failingLookup", (ctx) => failingLookup(ctx)),
];

const localAddresses: Val[] = [
  lit('"x"', "x"),
  lit("1", 1),
  lit('"127.0.0.1"', "127.0.0.1"),
  lit('""', ""),
  fresh("{}", () => ({})),
  lit('"::1"', "::1"),
  lit('"256.0.0.1"', "256.0.0.1"),
];

const localPorts: Val[] = [lit('"1"', "1"), lit("-1", -1), lit("65536", 65536), lit("1.5", 1.5), lit("null", null)];

const signals: Val[] = [
  fresh("{}", () => ({})),
  lit('"signal"', "signal"),
  lit("1", 1),
  fresh("AbortSignal.abort()", () => AbortSignal.abort()),
  fresh("new AbortController().signal", () => new AbortController().signal),
  fresh("{aborted: true}", () => ({ aborted: true })),
];

const fds: Val[] = [lit("-1", -1), lit("1.5", 1.5), lit('"x"', "x"), lit("2**32", 2 ** 32), lit("null", null)];

const backlogs: Val[] = [
  lit("-1", -1),
  lit('"x"', "x"),
  lit("1.5", 1.5),
  lit("NaN", NaN),
  lit("0", 0),
  lit("511", 511),
  lit('"10"', "10"),
  lit("2**53", 2 ** 53),
  fresh("{}", () => ({})),
];

const chunks: Val[] = [
  lit("1", 1),
  lit("0", 0),
  fresh("{}", () => ({})),
  lit("null", null),
  lit("undefined", undefined),
  lit("true", true),
  fresh("[1]", () => [1]),
  lit('"hi"', "hi"),
  lit('""', ""),
  fresh("new Uint8Array(2)", () => new Uint8Array(2)),
  fresh("new ArrayBuffer(2)", () => new ArrayBuffer(2)),
  fresh("new DataView(new ArrayBuffer(2))", () => new DataView(new ArrayBuffer(2))),
  lit("Symbol()", Symbol("c")),
];

const encodings: Val[] = [
  lit('"utf8"', "utf8"),
  lit('"nope"', "nope"),
  lit('"UTF-8"', "UTF-8"),
  lit('"hex"', "hex"),
  lit('"base64"', "base64"),
  lit("1", 1),
  lit("null", null),
  fresh("{}", () => ({})),
  lit('""', ""),
  lit('"buffer"', "buffer"),
];

const ipFamilies: Val[] = [
  lit('"ipv4"', "ipv4"),
  lit('"ipv6"', "ipv6"),
  lit('"IPv4"', "IPv4"),
  lit('"IPV6"', "IPV6"),
  lit('"ipv5"', "ipv5"),
  lit("4", 4),
  lit("null", null),
  fresh("{}", () => ({})),
];

const ipStrings: Val[] = [
  lit('"1.2.3.4"', "1.2.3.4"),
  lit('"::1"', "::1"),
  lit('"::ffff:1.2.3.4"', "::ffff:1.2.3.4"),
  lit('"1.2.3"', "1.2.3"),
  lit('"256.1.1.1"', "256.1.1.1"),
  lit('"01.2.3.4"', "01.2.3.4"),
  lit('"fe80::1%eth0"', "fe80::1%eth0"),
  lit('"[::1]"', "[::1]"),
  lit('"1.2.3.4 "', "1.2.3.4 "),
  lit('""', ""),
  lit('"x"', "x"),
  lit("1", 1),
  lit("null", null),
  fresh("{}", () => ({})),
];

const prefixes: Val[] = [
  lit("0", 0),
  lit("24", 24),
  lit("32", 32),
  lit("33", 33),
  lit("128", 128),
  lit("129", 129),
  lit("-1", -1),
  lit("1.5", 1.5),
  lit('"24"', "24"),
  lit("NaN", NaN),
  lit("null", null),
];

const flowlabels: Val[] = [lit("0", 0), lit("-1", -1), lit("2**20", 2 ** 20), lit("1.5", 1.5), lit('"1"', "1")];

/** A lookup that records its call and fails like getaddrinfo, without any network. */
function failingLookup(ctx: CaseContext): unknown {
  return (hostname: unknown, options: unknown, callback: unknown) => {
    const o = options as Record<string, unknown>;
    const shown = typeof o === "object" && o !== null ? `{family: ${brief(o.family)}, all: ${brief(o.all)}}` : brief(o);
    ctx.note(`lookup(${brief(hostname)}, ${shown})`);
    const err = Object.assign(new Error(`fake lookup failed for ${String(hostname)}`), { code: "EFAKE" });
    (callback as (e: Error) => void)(err);
  };
}

/** Options objects: a few keys of `spec`, each with one value drawn from its pool. */
type OptSpec = Record<string, Val[]>;

const connectSpec: OptSpec = {
  port: ports,
  host: hosts,
  path: paths,
  family: families,
  hints,
  lookup: lookups,
  localAddress: localAddresses,
  localPort: localPorts,
  timeout: timeouts,
  signal: signals,
  allowHalfOpen: bools,
  noDelay: bools,
  keepAlive: bools,
  keepAliveInitialDelay: timeouts,
  autoSelectFamily: bools,
  autoSelectFamilyAttemptTimeout: timeouts,
  blockList: [fresh("{}", () => ({})), lit("1", 1), lit("null", null)],
  onread: [fresh("{}", () => ({})), lit("1", 1), fresh("{buffer: 1}", () => ({ buffer: 1 }))],
};

const socketSpec: OptSpec = {
  fd: fds,
  allowHalfOpen: bools,
  readable: bools,
  writable: bools,
  signal: signals,
  onread: connectSpec.onread,
  noDelay: bools,
  keepAlive: bools,
  keepAliveInitialDelay: timeouts,
  blockList: connectSpec.blockList,
  highWaterMark: [lit("-1", -1), lit('"x"', "x"), lit("NaN", NaN), lit("1.5", 1.5)],
};

const serverSpec: OptSpec = {
  allowHalfOpen: bools,
  pauseOnConnect: bools,
  noDelay: bools,
  keepAlive: bools,
  keepAliveInitialDelay: timeouts,
  highWaterMark: socketSpec.highWaterMark,
  blockList: connectSpec.blockList,
};

const listenSpec: OptSpec = {
  port: ports,
  host: safeHosts,
  path: paths,
  backlog: backlogs,
  exclusive: bools,
  readableAll: bools,
  writableAll: bools,
  ipv6Only: bools,
  reusePort: bools,
  signal: signals,
  fd: fds,
};

/** The generator state for one seed. */
class Gen {
  #rand: () => number;
  constructor(seed: number) {
    this.#rand = prng(seed);
  }
  int(n: number): number {
    return Math.floor(this.#rand() * n);
  }
  chance(p: number): boolean {
    return this.#rand() < p;
  }
  pick<T>(items: readonly T[]): T {
    return items[this.int(items.length)];
  }
  /** A value from `pool`, sometimes from the common junk pool instead. */
  val(pool: Val[]): Val {
    return this.chance(0.15) ? this.pick(common) : this.pick(pool);
  }
  /** An options object: `required` keys (each present with probability 0.85) plus 0–3 others. */
  opts(spec: OptSpec, required: string[] = []): Val {
    const keys = Object.keys(spec);
    const chosen: string[] = required.filter(() => this.chance(0.85));
    const extra = this.int(4);
    for (let i = 0; i < extra; i++) {
      const k = this.pick(keys);
      if (!chosen.includes(k)) chosen.push(k);
    }
    // `lookup` never draws undefined/null: the default lookup could reach DNS.
    const entries = chosen.map((k) => [k, k === "lookup" ? this.pick(spec[k]) : this.val(spec[k])] as const);
    return {
      show: `{${entries.map(([k, v]) => `${k}: ${v.show}`).join(", ")}}`,
      make: (ctx) => Object.fromEntries(entries.map(([k, v]) => [k, v.make(ctx)])),
    };
  }
}

/** A drawn argument list: trailing absent arguments are dropped. */
function args(vals: Val[]): { show: string; make(ctx: CaseContext): unknown[] } {
  while (vals.length > 0 && vals[vals.length - 1] === ABSENT) vals.pop();
  return {
    show: vals.map((v) => v.show).join(", "),
    make: (ctx) => vals.map((v) => v.make(ctx)),
  };
}

/** What a case does with a `net` module; the runner observes what it returns. */
export type Call = (net: NetAny, ctx: CaseContext) => unknown;

// deno-lint-ignore no-explicit-any
export type NetAny = any;

/** A generated case with its call. */
export interface Generated extends BadCase {
  call: Call;
  /** Set up what the call runs on (a Socket or Server), so its errors are observed from the start. */
  target?: "socket" | "server" | "blocklist";
}

/** Arguments of a connect call: one of the overload forms. */
function connectArgs(g: Gen): { show: string; make(ctx: CaseContext): unknown[] } {
  const form = g.int(5);
  const tail = g.chance(0.5) ? g.pick(form < 3 ? tails : funcs) : ABSENT;
  if (form === 0) return args([g.val(ports), g.chance(0.6) ? g.val(safeHosts) : ABSENT, tail]);
  if (form === 1) return args([g.val(paths), tail]);
  if (form === 2) return args([g.val(common), tail]);
  const o = g.opts(connectSpec, ["port", "host"]);
  // Host strings that would reach DNS get the failing lookup unless the case sets its own.
  return {
    show: `${o.show}${tail === ABSENT ? "" : `, ${tail.show}`}`,
    make: (ctx) => {
      const opts = o.make(ctx) as Record<string, unknown>;
      if (typeof opts === "object" && !("lookup" in opts)) opts.lookup = failingLookup(ctx);
      return tail === ABSENT ? [opts] : [opts, tail.make(ctx)];
    },
  };
}

function listenArgs(g: Gen): { show: string; make(ctx: CaseContext): unknown[] } {
  const form = g.int(5);
  const tail = g.chance(0.5) ? g.pick(form < 3 ? tails : funcs) : ABSENT;
  switch (form) {
    case 0:
      return args([
        g.val(ports),
        g.chance(0.6) ? g.val(safeHosts) : ABSENT,
        g.chance(0.3) ? g.val(backlogs) : ABSENT,
        tail,
      ]);
    case 1:
      // A non-string path is a port: then a string backlog would be the host (DNS).
      return args([
        g.val(paths),
        g.chance(0.4) ? g.val(backlogs.filter((b) => !b.show.startsWith('"'))) : ABSENT,
        tail,
      ]);
    case 2:
      return args([g.val(common), tail]);
    default:
      return args([g.opts(listenSpec, ["port", "host"]), tail]);
  }
}

/** The case at `index` of `seed`. */
export function generate(seed: number, index: number): Generated {
  // One PRNG per case: a case never depends on how many draws the ones before it made.
  const g = new Gen((seed * 1_000_003 + index * 7919) >>> 0);
  const id = `${seed}-${index}`;
  const kind = g.int(100);
  if (kind < 22) {
    const fn = g.pick(["connect", "createConnection"]);
    const a = connectArgs(g);
    return {
      id,
      api: `net.${fn}`,
      network: true,
      desc: `net.${fn}(${a.show})`,
      call: (net, ctx) => net[fn](...a.make(ctx)),
    };
  }
  if (kind < 34) {
    const a = connectArgs(g);
    return {
      id,
      api: "socket.connect",
      network: true,
      target: "socket",
      desc: `new Socket().connect(${a.show})`,
      call: (s, ctx) => s.connect(...a.make(ctx)),
    };
  }
  if (kind < 40) {
    const o = g.chance(0.85) ? g.opts(socketSpec) : g.val(common);
    return {
      id,
      api: "new Socket",
      network: false,
      desc: `new Socket(${o.show})`,
      call: (net, ctx) => new net.Socket(o.make(ctx)),
    };
  }
  if (kind < 46) {
    const o = g.chance(0.8) ? g.opts(serverSpec) : g.val(common);
    const l = g.chance(0.5) ? g.pick(funcs) : ABSENT;
    const a = args([o, l]);
    return {
      id,
      api: "createServer",
      network: false,
      desc: `net.createServer(${a.show})`,
      call: (net, ctx) => net.createServer(...a.make(ctx)),
    };
  }
  if (kind < 62) {
    const a = listenArgs(g);
    return {
      id,
      api: "server.listen",
      network: true,
      target: "server",
      desc: `server.listen(${a.show})`,
      call: (s, ctx) => s.listen(...a.make(ctx)),
    };
  }
  if (kind < 72) {
    const m = g.pick(["setTimeout", "setKeepAlive", "setNoDelay", "write", "end", "write", "end"]);
    let a;
    if (m === "setTimeout") a = args([g.val(timeouts), g.chance(0.5) ? g.pick(funcs) : ABSENT]);
    else if (m === "setKeepAlive") {
      a = args([g.chance(0.5) ? g.val(bools) : ABSENT, g.chance(0.6) ? g.val(timeouts) : ABSENT]);
    } else if (m === "setNoDelay") a = args([g.chance(0.7) ? g.val(bools) : ABSENT]);
    else {
      const parts: Val[] = [g.chance(0.9) ? g.val(chunks) : ABSENT];
      if (g.chance(0.6)) parts.push(g.chance(0.7) ? g.val(encodings) : g.pick(funcs));
      if (g.chance(0.4)) parts.push(g.pick(funcs));
      a = args(parts);
    }
    const aa = a;
    return {
      id,
      api: `socket.${m}`,
      network: false,
      target: "socket",
      desc: `new Socket().${m}(${aa.show})`,
      call: (s, ctx) => s[m](...aa.make(ctx)),
    };
  }
  if (kind < 76) {
    const m = g.pick(["close", "getConnections"]);
    const a = args([g.chance(0.85) ? g.pick(funcs) : ABSENT]);
    return {
      id,
      api: `server.${m}`,
      network: false,
      target: "server",
      desc: `server.${m}(${a.show})`,
      call: (s, ctx) => s[m](...a.make(ctx)),
    };
  }
  if (kind < 88) {
    const m = g.pick(["addAddress", "addRange", "addSubnet", "check"]);
    let a;
    if (m === "addRange") a = args([g.val(ipStrings), g.val(ipStrings), g.chance(0.6) ? g.val(ipFamilies) : ABSENT]);
    else if (m === "addSubnet") {
      a = args([g.val(ipStrings), g.val(prefixes), g.chance(0.6) ? g.val(ipFamilies) : ABSENT]);
    } else a = args([g.val(ipStrings), g.chance(0.6) ? g.val(ipFamilies) : ABSENT]);
    const aa = a;
    return {
      id,
      api: `blockList.${m}`,
      network: false,
      target: "blocklist",
      desc: `new BlockList().${m}(${aa.show})`,
      call: (b, ctx) => b[m](...aa.make(ctx)),
    };
  }
  if (kind < 95) {
    const spec: OptSpec = {
      address: ipStrings,
      port: ports.filter((p) => !p.show.includes("PORT")),
      family: ipFamilies,
      flowlabel: flowlabels,
    };
    const o = g.chance(0.9) ? g.opts(spec, ["address"]) : g.val(common);
    return {
      id,
      api: "new SocketAddress",
      network: false,
      desc: `new SocketAddress(${o.show})`,
      call: (net, ctx) => new net.SocketAddress(o.make(ctx)),
    };
  }
  const fn = g.pick(["isIP", "isIPv4", "isIPv6"]);
  const v = g.val(ipStrings);
  return {
    id,
    api: `net.${fn}`,
    network: false,
    desc: `net.${fn}(${v.show})`,
    call: (net, ctx) => net[fn](v.make(ctx)),
  };
}

/** The cases `[from, to)` of `seed`. */
export function generateRange(seed: number, from: number, to: number): Generated[] {
  const out: Generated[] = [];
  for (let i = from; i < to; i++) out.push(generate(seed, i));
  return out;
}
