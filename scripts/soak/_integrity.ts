// Integrity: both ends of one connection send `bytes` of a seeded pattern at once, in
// random write sizes that respect write()'s return value and 'drain', while their reader
// pauses and resumes at random; each end checks every byte it receives. Works on any
// `node:net`-shaped API (omninet or node:net), so one side can be each.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { NetLike, ServerLike, SocketLike } from "../../tests/diff/_harness.ts";
import { between, prng, slice, Verifier } from "./_pattern.ts";

/** What one end of a connection saw. */
export interface SideResult {
  sent: number;
  received: number;
  /** Received bytes that matched the pattern, up to the first mismatch. */
  good: number;
  firstBad: number;
  closes: number;
  /** Whether 'end' came before 'close' (a 'close' without 'end' drops what was unread). */
  ended: boolean;
  error?: string;
}

/** Parameters of one end. */
export interface PumpOptions {
  /** Bytes to send (and to expect). */
  bytes: number;
  /** Seed of the stream this end sends. */
  sendSeed: number;
  /** Seed of the stream this end expects. */
  recvSeed: number;
  /** Seed of this end's random sizes and pauses. */
  rngSeed: number;
  /** Reject after this long. */
  timeoutMs: number;
  /** Random pause()/resume() on the reader. @default true */
  pauses?: boolean;
}

const KiB = 1024;

/** Drive one connected (or connecting) socket to completion: send, receive, verify, close. */
export function pump(socket: SocketLike, o: PumpOptions): Promise<SideResult> {
  const rand = prng(o.rngSeed);
  const verifier = new Verifier(o.recvSeed);
  const result: SideResult = { sent: 0, received: 0, good: 0, firstBad: -1, closes: 0, ended: false };
  socket.on("end", () => (result.ended = result.closes === 0));
  let resumeTimer: ReturnType<typeof setTimeout> | undefined;
  let pauses = 0;
  const maxPauses = 64 + Math.floor(o.bytes / (256 * KiB));
  socket.on("data", (chunk: Uint8Array) => {
    verifier.push(chunk);
    // Random pauses on the reader: about one chunk in 48, for 0–3 ms, bounded in count.
    if (o.pauses !== false && pauses < maxPauses && rand() < 1 / 48 && !resumeTimer) {
      pauses++;
      socket.pause();
      resumeTimer = setTimeout(() => {
        resumeTimer = undefined;
        socket.resume();
      }, between(rand, 0, 3));
    }
  });
  socket.on("error", (err: Error & { code?: string }) => (result.error ??= err.code ?? err.message));

  const write = async () => {
    const wrand = prng(o.rngSeed ^ 0x5bd1e995);
    let writes = 0;
    while (result.sent < o.bytes) {
      if (socket.destroyed) return;
      // Mostly large writes, sometimes tiny ones; sizes never line up with the pattern.
      const r = wrand();
      const max = r < 0.05 ? 64 : r < 0.3 ? 8 * KiB : 256 * KiB;
      const size = Math.min(o.bytes - result.sent, between(wrand, 1, max));
      const ok = socket.write(slice(o.sendSeed, result.sent, size));
      result.sent += size;
      writes++;
      if (!ok) {
        await new Promise<void>((resolve) => {
          const done = () => {
            socket.off("drain", done);
            socket.off("close", done);
            resolve();
          };
          socket.on("drain", done);
          socket.on("close", done);
        });
      } else if (writes % 32 === 0) {
        // A write() that keeps returning true must not starve the reader.
        await new Promise<void>((resolve) => setTimeout(resolve, wrand() < 0.1 ? 1 : 0));
      }
    }
    socket.end();
  };

  return new Promise<SideResult>((resolve) => {
    const timer = setTimeout(() => {
      result.error ??= `timed out after ${o.timeoutMs} ms`;
      socket.destroy();
    }, o.timeoutMs);
    socket.on("close", () => {
      result.closes++;
      if (result.closes > 1) return;
      clearTimeout(timer);
      if (resumeTimer) clearTimeout(resumeTimer);
      result.received = verifier.received;
      result.good = verifier.good;
      result.firstBad = verifier.firstBad;
      // Wait a moment so a second 'close' would be counted.
      setTimeout(() => resolve(result), 20);
    });
    const start = () => void write().catch((err) => socket.destroy(err));
    if (socket.connecting) socket.once("connect", start);
    else start();
  });
}

/** Where a server listens: TCP on 127.0.0.1 or a Unix socket in a fresh temporary dir. */
export type Transport = "tcp" | "unix";

/** A loopback listen target and its cleanup. */
export function target(transport: Transport): { listenArgs: unknown[]; cleanup(): void; dir?: string } {
  if (transport === "tcp") return { listenArgs: [0, "127.0.0.1"], cleanup: () => {} };
  const dir = mkdtempSync(join(tmpdir(), "omninet-soak-"));
  return { listenArgs: [join(dir, "s.sock")], cleanup: () => rmSync(dir, { recursive: true, force: true }), dir };
}

/**
 * Connect options for a listening server's address. Both ends are half-open: each sends
 * everything, then FIN, whatever the other is still doing (with allowHalfOpen false an
 * end that finished first would end the other's writing early).
 */
export function connectOptions(server: ServerLike): Record<string, unknown> {
  const addr = server.address();
  return typeof addr === "string"
    ? { path: addr, allowHalfOpen: true }
    : { port: addr.port, host: "127.0.0.1", allowHalfOpen: true };
}

/** Seeds of the two directions and the two ends' randomness for case `seed`. */
export function seeds(
  seed: number,
): { client: Omit<PumpOptions, "bytes" | "timeoutMs">; server: Omit<PumpOptions, "bytes" | "timeoutMs"> } {
  return {
    client: { sendSeed: seed * 4 + 1, recvSeed: seed * 4 + 2, rngSeed: seed * 4 + 3 },
    server: { sendSeed: seed * 4 + 2, recvSeed: seed * 4 + 1, rngSeed: seed * 4 + 4 },
  };
}

/** Serve exactly one connection on `server` with pump(); resolves with the server end's result. */
export function serveOne(
  server: ServerLike,
  seed: number,
  bytes: number,
  timeoutMs: number,
  pauses = true,
): Promise<SideResult> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      server.close();
      resolve({ sent: 0, received: 0, good: 0, firstBad: -1, closes: 0, ended: false, error: "no connection" });
    }, timeoutMs);
    server.once("connection", (socket: SocketLike) => {
      clearTimeout(timer);
      server.close();
      resolve(pump(socket, { ...seeds(seed).server, bytes, timeoutMs, pauses }));
    });
  });
}

/** Listen with `net` (half-open) at `args`; resolves once listening. */
export function listenOn(net: NetLike, args: unknown[]): Promise<ServerLike> {
  const server = net.createServer({ allowHalfOpen: true });
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(...args, () => {
      server.off("error", reject);
      resolve(server);
    });
  });
}

/** Result of one in-process case. */
export interface CaseResult {
  client: SideResult;
  server: SideResult;
  bytes: number;
  ms: number;
  /** Bytes that did not arrive intact, both directions. */
  lost: number;
}

/** Lost bytes of a case: expected minus verified, per direction. */
export function lostBytes(bytes: number, client: SideResult, server: SideResult): number {
  return (bytes - Math.min(bytes, client.good)) + (bytes - Math.min(bytes, server.good));
}

/** One in-process case: a `serverNet` server, a `clientNet` client, `bytes` each way. */
export async function runCase(
  clientNet: NetLike,
  serverNet: NetLike,
  transport: Transport,
  bytes: number,
  seed: number,
  timeoutMs: number,
  pauses = true,
): Promise<CaseResult> {
  const t = target(transport);
  const started = performance.now();
  try {
    const server = await listenOn(serverNet, t.listenArgs);
    const served = serveOne(server, seed, bytes, timeoutMs, pauses);
    const client = clientNet.connect(connectOptions(server));
    const [c, s] = await Promise.all([pump(client, { ...seeds(seed).client, bytes, timeoutMs, pauses }), served]);
    return { client: c, server: s, bytes, ms: performance.now() - started, lost: lostBytes(bytes, c, s) };
  } finally {
    t.cleanup();
  }
}
