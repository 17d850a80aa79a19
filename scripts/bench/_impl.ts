// The shape every benchmarked variant implements (omninet, node:net, Deno raw, Bun raw),
// and the small helpers they share. Runs unchanged on Node, Deno and Bun.

/** Every benchmark socket binds and connects here: loopback only. */
export const HOST = "127.0.0.1";

/** What a server does with each connection. */
export type ServerKind =
  /** Count the bytes; on the peer's FIN reply with the count as `"<n>\n"` and close. */
  | "sink"
  /** Echo every byte back (TCP_NODELAY); close after the peer's FIN. */
  | "echo";

/** What a server saw, for checking byte counts against the client's. */
export interface ServerStats {
  /** Connections accepted so far. */
  conns: number;
  /** Connections open now. */
  open: number;
  /** Bytes received (sink: counted at the peer's FIN). */
  bytes: number;
}

/** A listening benchmark server. */
export interface ServerHandle {
  port: number;
  stats(): ServerStats;
  /** Stop listening and drop every connection still open. */
  close(): Promise<void>;
}

/** One measured client workload: how much it did, in how long. */
export interface Measured {
  /** Bytes (bulk), round trips (ping-pong) or connections (churn) completed and verified. */
  count: number;
  /** Milliseconds. */
  ms: number;
  /** CPU time of the measuring process over the workload (user + system, µs), if taken. */
  cpuUs?: number;
}

/** Connections held open for the memory test. */
export interface IdleSet {
  count: number;
  close(): void;
}

/** Where a server listens: port 0 (any) unless given; `reusePort` for one listener per process. */
export interface ListenOptions {
  port?: number;
  reusePort?: boolean;
}

/** Connections held open after a sustained ping-pong (the scale and multi-core workloads). */
export interface Sustained {
  /** Round trips verified. */
  count: number;
  /** Milliseconds from all connected to the last connection stopped. */
  ms: number;
  /** Milliseconds it took to open every connection. */
  connectMs: number;
  conns: number;
  /** Drop every connection. */
  close(): void;
}

/** One variant on one runtime. */
export interface Impl {
  listen(kind: ServerKind, options?: ListenOptions): Promise<ServerHandle>;
  /**
   * Send `total` bytes in `chunk`-byte writes honouring backpressure to a sink server,
   * half-close, and wait for its count. `count` is the byte count the server confirmed.
   */
  bulk(port: number, total: number, chunk: number): Promise<Measured>;
  /**
   * `conns` connections to an echo server, each doing `rounds` round trips of `size`
   * bytes (send, wait for all of it back). Timed from all connected to all done;
   * `count` is the number of round trips verified.
   */
  pingPong(port: number, conns: number, rounds: number, size: number): Promise<Measured>;
  /**
   * `total` connections, `concurrency` at a time: connect, send 1 byte, read the 1-byte
   * echo, half-close, wait for the server's FIN, close. `count` is the connections done.
   */
  churn(port: number, total: number, concurrency: number): Promise<Measured>;
  /** Open `n` connections (`concurrency` connecting at once) and keep them idle. */
  openIdle(port: number, n: number, concurrency: number): Promise<IdleSet>;
  /**
   * Open `conns` connections (`concurrency` connecting at once), then on each, ping-pong
   * `size`-byte messages until `ms` have passed (a connection stops after its first
   * round trip past the deadline); `onBegin` runs when every connection is open, just
   * before the first write. The connections stay open until `close()`.
   */
  sustain(
    port: number,
    conns: number,
    size: number,
    ms: number,
    concurrency: number,
    onBegin?: () => void,
  ): Promise<Sustained>;
}

/** Fail with a clear error when a count does not match. */
export function expectCount(what: string, got: number, want: number): void {
  if (got !== want) throw new Error(`${what}: expected ${want}, got ${got}`);
}

/** Resolve or reject with `p`, or reject after `ms` with a named timeout. */
export function withTimeout<T>(p: Promise<T>, ms: number, label: string): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${label}: timed out after ${ms} ms`)), ms);
  });
  return Promise.race([p, timeout]).finally(() => clearTimeout(timer));
}

/** Parse the sink server's `"<n>\n"` reply. */
export function parseCount(reply: string): number {
  const text = reply.trim();
  if (!/^\d+$/.test(text)) throw new Error(`sink reply is not a count: ${JSON.stringify(reply.slice(0, 40))}`);
  return Number(text);
}

/** The workload names, in the order a client runs them. */
export const WORKLOADS = ["bulk", "pp1", "pp16", "churn"] as const;
/** One workload name. */
export type Workload = typeof WORKLOADS[number];

/** Sizes of one client run; every workload runs once unmeasured (`warm`) first. */
export interface Plan {
  bulk: { total: number; chunk: number; warm: number };
  pp1: { rounds: number; size: number; warm: number };
  pp16: { conns: number; rounds: number; size: number; warm: number };
  churn: { total: number; concurrency: number; warm: number };
  /** Time limit of each workload. */
  timeoutMs: number;
}

/** What the servers must have seen after a client ran a plan. */
export function expectedServerStats(plan: Plan): { sink: ServerStats; echo: ServerStats } {
  const pp1 = plan.pp1.rounds + plan.pp1.warm;
  const pp16 = plan.pp16.rounds + plan.pp16.warm;
  const churn = plan.churn.total + plan.churn.warm;
  return {
    sink: { conns: 2, open: 0, bytes: plan.bulk.total + plan.bulk.warm },
    echo: {
      conns: 2 + 2 * plan.pp16.conns + churn,
      open: 0,
      bytes: pp1 * plan.pp1.size + pp16 * plan.pp16.conns * plan.pp16.size + churn,
    },
  };
}

/** Compare what a server saw with what it should have; the mismatches, or none. */
export function checkServerStats(got: ServerStats, want: ServerStats, label: string): string[] {
  const out: string[] = [];
  if (got.conns !== want.conns) out.push(`${label}: ${got.conns} connections accepted, expected ${want.conns}`);
  if (got.bytes !== want.bytes) out.push(`${label}: ${got.bytes} bytes received, expected ${want.bytes}`);
  return out;
}

/** Run `step` `total` times, `concurrency` at once (each of that many workers loops until all started). */
export async function workerPool(total: number, concurrency: number, step: () => Promise<void>): Promise<void> {
  let started = 0;
  const worker = async () => {
    while (started < total) {
      started++;
      await step();
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
}
