// Scale: many concurrent TCP connections held open at once, then each does an echo and
// an orderly close. Every socket must emit 'close' exactly once. The server and the
// clients can run in one process or in two (when one process cannot hold both ends).
import process from "node:process";
import type { NetLike, ServerLike, SocketLike } from "../../tests/diff/_harness.ts";

/** Resident set size now, in bytes. */
export function rss(): number {
  return process.memoryUsage().rss;
}

/** Counts 'close' per socket: missing (none yet) and doubled (more than one). */
export class CloseLedger {
  #counts: number[] = [];

  /** Track `socket`; returns its index. */
  add(socket: SocketLike): number {
    const i = this.#counts.length;
    this.#counts.push(0);
    socket.on("close", () => this.#counts[i]++);
    return i;
  }

  /** Sockets tracked. */
  get total(): number {
    return this.#counts.length;
  }

  /** Sockets with no 'close' yet. */
  get missing(): number {
    return this.#counts.filter((n) => n === 0).length;
  }

  /** Sockets with more than one 'close'. */
  get doubled(): number {
    return this.#counts.filter((n) => n > 1).length;
  }

  /** Resolve once every socket has closed, or after `ms`. */
  async settled(ms: number): Promise<void> {
    const end = Date.now() + ms;
    while (this.missing > 0 && Date.now() < end) await sleep(20);
  }
}

/** Wait `ms`. */
export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** The server side: echo, and end when the client ends (allowHalfOpen false). */
export interface ScaleServer {
  server: ServerLike;
  port: number;
  ledger: CloseLedger;
  /** Connections open now. */
  open: number;
  /** Most connections open at once. */
  peakOpen: number;
  /** RSS when the held connections were released (0 if never held). */
  rssHeld: number;
  errors: Record<string, number>;
}

/**
 * Start an echo server on 127.0.0.1 with `net`. It holds every echo until `holdFor`
 * connections are open at once (or `holdMs` after the first one), so all of them are
 * provably held together, whatever the accept order; `rssHeld` is read at that moment.
 */
export function startScaleServer(net: NetLike, holdFor = 0, holdMs = 30_000): Promise<ScaleServer> {
  const ledger = new CloseLedger();
  const state = { ledger, open: 0, peakOpen: 0, rssHeld: 0, errors: {} as Record<string, number> } as ScaleServer;
  let held: [SocketLike, Uint8Array][] | undefined = holdFor > 0 ? [] : undefined;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const release = () => {
    if (timer) clearTimeout(timer);
    state.rssHeld = rss();
    const queued = held ?? [];
    held = undefined;
    for (const [socket, d] of queued) if (!socket.destroyed) socket.write(d);
  };
  state.server = net.createServer((socket: SocketLike) => {
    ledger.add(socket);
    state.open++;
    if (state.open > state.peakOpen) state.peakOpen = state.open;
    socket.on("data", (d: Uint8Array) => (held ? held.push([socket, d]) : socket.write(d)));
    socket.on("error", (e: Error & { code?: string }) => tally(state.errors, e.code ?? e.message));
    socket.on("close", () => state.open--);
    if (held && !timer) timer = setTimeout(release, holdMs);
    if (held && state.open >= holdFor) release();
  });
  return new Promise((resolve, reject) => {
    state.server.once("error", reject);
    state.server.listen({ port: 0, host: "127.0.0.1", backlog: 1024 }, () => {
      state.port = state.server.address().port;
      resolve(state);
    });
  });
}

function tally(map: Record<string, number>, key: string): void {
  map[key] = (map[key] ?? 0) + 1;
}

/** What the clients saw. */
export interface ScaleClientResult {
  count: number;
  /** Connections open at once before any echo began. */
  held: number;
  echoed: number;
  missingClose: number;
  doubleClose: number;
  errors: Record<string, number>;
  rssBase: number;
  rssPeak: number;
  msConnect: number;
  msTotal: number;
}

/**
 * Open `count` connections to `port` (at most `inFlight` connecting at once), hold them all,
 * call `onHeld` (for a memory reading), then echo 8 bytes on each and end it; wait for every
 * 'close'. Bounded by `timeoutMs` overall.
 */
export async function runScaleClients(
  net: NetLike,
  port: number,
  count: number,
  timeoutMs: number,
  onHeld: () => Promise<void> | void = () => {},
): Promise<ScaleClientResult> {
  const started = Date.now();
  const deadline = started + timeoutMs;
  const rssBase = rss();
  let rssPeak = rssBase;
  const ledger = new CloseLedger();
  const errors: Record<string, number> = {};
  const sockets: SocketLike[] = [];
  let connected = 0;
  let echoed = 0;
  const inFlight = 256;
  let pending = 0;
  for (let i = 0; i < count && Date.now() < deadline; i++) {
    while (pending >= inFlight && Date.now() < deadline) await sleep(1);
    pending++;
    const socket = net.connect(port, "127.0.0.1");
    ledger.add(socket);
    sockets.push(socket);
    let settled = false;
    const done = () => {
      if (!settled) {
        settled = true;
        pending--;
      }
    };
    socket.once("connect", () => {
      connected++;
      done();
    });
    socket.on("error", (e: Error & { code?: string }) => {
      tally(errors, e.code ?? e.message);
      done();
    });
    socket.on("close", done);
  }
  while (pending > 0 && Date.now() < deadline) await sleep(5);
  const msConnect = Date.now() - started;
  const held = sockets.filter((s) => !s.destroyed && !s.connecting).length;
  rssPeak = Math.max(rssPeak, rss());
  await onHeld();
  // Echo, then orderly close: the server ends when our FIN arrives, then both close.
  await Promise.all(sockets.map((socket, i) =>
    new Promise<void>((resolve) => {
      if (socket.destroyed) return resolve();
      const msg = `p${String(i).padStart(7, "0")}`;
      let got = "";
      socket.setEncoding("latin1");
      socket.on("data", (d: string) => {
        got += d;
        if (got === msg) {
          echoed++;
          socket.end();
        }
      });
      socket.write(msg);
      const left = deadline - Date.now();
      const timer = setTimeout(() => {
        if (!socket.destroyed) {
          tally(errors, "echo timed out");
          socket.destroy();
        }
        resolve();
      }, Math.max(left, 0));
      socket.on("close", () => {
        clearTimeout(timer);
        resolve();
      });
    })
  ));
  rssPeak = Math.max(rssPeak, rss());
  await ledger.settled(Math.max(0, Math.min(5000, deadline - Date.now())));
  await sleep(100); // a second 'close' would show here
  return {
    count,
    held,
    echoed,
    missingClose: ledger.missing,
    doubleClose: ledger.doubled,
    errors,
    rssBase,
    rssPeak,
    msConnect,
    msTotal: Date.now() - started,
  };
}
