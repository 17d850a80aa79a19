// The workloads over Bun's own API: Bun.listen / Bun.connect (what omninet's Bun adapter
// sits on). `socket.write` may write part of a chunk; the rest waits for `drain`.
// Loaded on Bun only.
import {
  expectCount,
  HOST,
  type IdleSet,
  type Impl,
  type ListenOptions,
  type Measured,
  parseCount,
  type ServerHandle,
  type ServerKind,
  type ServerStats,
  type Sustained,
  workerPool,
} from "./_impl.ts";

/** The part of a Bun socket used here (bun-types is not visible to deno check). */
interface BunSocket<D> {
  data: D;
  write(data: Uint8Array | string, byteOffset?: number, byteLength?: number): number;
  /** Closes the socket outright on a client (Bun 1.4), whatever `allowHalfOpen` says. */
  end(): void;
  /** Half-close: send FIN, keep reading. */
  shutdown(): void;
  setNoDelay(noDelay?: boolean): boolean;
  pause(): void;
  resume(): void;
}

interface BunHandlers<D> {
  open?(s: BunSocket<D>): void;
  data?(s: BunSocket<D>, data: Uint8Array): void;
  drain?(s: BunSocket<D>): void;
  end?(s: BunSocket<D>): void;
  close?(s: BunSocket<D>, err?: Error): void;
  error?(s: BunSocket<D>, err: Error): void;
  connectError?(s: BunSocket<D>, err: Error): void;
}

interface BunApi {
  listen<D>(options: {
    hostname: string;
    port: number;
    allowHalfOpen?: boolean;
    reusePort?: boolean;
    socket: BunHandlers<D>;
  }): { port: number; stop(closeActiveConnections?: boolean): void };
  connect<D>(options: {
    hostname: string;
    port: number;
    allowHalfOpen?: boolean;
    data?: D;
    socket: BunHandlers<D>;
  }): Promise<BunSocket<D>>;
}

const Bun = (globalThis as unknown as { Bun: BunApi }).Bun;

/** Bytes Bun did not take yet, in order. */
interface Out {
  queue: Uint8Array[];
  endWhenFlushed: boolean;
}

/** Write now what the kernel takes; queue a copy of the rest. False if something is queued. */
function send(s: BunSocket<unknown>, out: Out, bytes: Uint8Array): boolean {
  if (out.queue.length === 0) {
    const n = s.write(bytes);
    if (n === bytes.byteLength || n < 0) return true;
    out.queue.push(bytes.slice(n));
    return false;
  }
  out.queue.push(bytes.slice());
  return false;
}

/** Write queued bytes; true once the queue is empty. */
function flush(s: BunSocket<unknown>, out: Out): boolean {
  while (out.queue.length > 0) {
    const b = out.queue[0];
    const n = s.write(b);
    if (n < 0) {
      out.queue.length = 0;
      return true;
    }
    if (n < b.byteLength) {
      out.queue[0] = b.subarray(n);
      return false;
    }
    out.queue.shift();
  }
  return true;
}

/** The workloads over `Bun.listen` / `Bun.connect`. */
export function bunImpl(): Impl {
  return { listen, bulk, pingPong, churn, openIdle, sustain };
}

interface ServerConn extends Out {
  n: number;
}

function listen(kind: ServerKind, options?: ListenOptions): Promise<ServerHandle> {
  const stats: ServerStats = { conns: 0, open: 0, bytes: 0 };
  const sink = kind === "sink";
  const finish = (s: BunSocket<ServerConn>) => {
    if (flush(s, s.data)) s.end();
    else s.data.endWhenFlushed = true;
  };
  const server = Bun.listen<ServerConn>({
    hostname: HOST,
    port: options?.port ?? 0,
    ...(options?.reusePort ? { reusePort: true } : {}),
    allowHalfOpen: true,
    socket: {
      open(s) {
        stats.conns++;
        stats.open++;
        s.data = { n: 0, queue: [], endWhenFlushed: false };
        if (!sink) s.setNoDelay(true);
      },
      data(s, d) {
        if (sink) {
          s.data.n += d.byteLength;
          return;
        }
        stats.bytes += d.byteLength;
        if (!send(s, s.data, d)) s.pause();
      },
      drain(s) {
        if (!flush(s, s.data)) return;
        if (s.data.endWhenFlushed) s.end();
        else s.resume();
      },
      end(s) {
        if (sink) {
          stats.bytes += s.data.n;
          send(s, s.data, new TextEncoder().encode(`${s.data.n}\n`));
        }
        finish(s);
      },
      close() {
        stats.open--;
      },
      error() {},
    },
  });
  return Promise.resolve({
    port: server.port,
    stats: () => ({ ...stats }),
    close: () => {
      server.stop(true);
      return Promise.resolve();
    },
  });
}

function bulk(port: number, total: number, chunkSize: number): Promise<Measured> {
  const chunk = new Uint8Array(chunkSize).fill(0x61);
  return new Promise((resolve, reject) => {
    const start = performance.now();
    let sent = 0;
    let reply = "";
    const pump = (s: BunSocket<undefined>) => {
      while (sent < total) {
        const off = sent % chunkSize;
        const len = Math.min(chunkSize - off, total - sent);
        const n = s.write(chunk, off, len);
        if (n < 0) {
          reject(new Error("bulk: socket closed while writing"));
          return;
        }
        sent += n;
        if (n < len) return; // wait for drain
      }
      s.shutdown();
    };
    Bun.connect<undefined>({
      hostname: HOST,
      port,
      allowHalfOpen: true,
      socket: {
        open: pump,
        drain: pump,
        data(_s, d) {
          reply += String.fromCharCode(...d);
        },
        close() {
          try {
            resolve({ count: parseCount(reply), ms: performance.now() - start });
          } catch (err) {
            reject(err);
          }
        },
        error: (_s, err) => reject(err),
        connectError: (_s, err) => reject(err),
      },
    }).catch(reject);
  });
}

interface PingConn {
  got: number;
  done: number;
}

async function pingPong(port: number, conns: number, rounds: number, size: number): Promise<Measured> {
  const msg = new Uint8Array(size).fill(0x62);
  let verified = 0;
  let finished = 0;
  let start = 0;
  let settle: (m: Measured) => void = () => {};
  let fail: (err: Error) => void = () => {};
  const result = new Promise<Measured>((resolve, reject) => {
    settle = resolve;
    fail = reject;
  });
  const handlers: BunHandlers<PingConn> = {
    data(s, d) {
      const st = s.data;
      st.got += d.byteLength;
      if (st.got < size) return;
      if (st.got > size) {
        fail(new Error(`ping-pong: ${st.got} bytes echoed for one ${size}-byte message`));
        return;
      }
      st.got = 0;
      verified++;
      if (++st.done < rounds) {
        if (s.write(msg) !== size) fail(new Error("ping-pong: partial 64-byte write"));
        return;
      }
      s.end();
      if (++finished === conns) settle({ count: verified, ms: performance.now() - start });
    },
    error: (_s, err) => fail(err),
    connectError: (_s, err) => fail(err),
  };
  const sockets: BunSocket<PingConn>[] = [];
  for (let i = 0; i < conns; i++) {
    const s = await Bun.connect<PingConn>({ hostname: HOST, port, data: { got: 0, done: 0 }, socket: handlers });
    s.setNoDelay(true);
    sockets.push(s);
  }
  start = performance.now();
  for (const s of sockets) s.write(msg);
  return await result;
}

interface ChurnConn {
  got: number;
}

function churn(port: number, total: number, concurrency: number): Promise<Measured> {
  const one = new Uint8Array([0x63]);
  return new Promise((resolve, reject) => {
    const start = performance.now();
    let started = 0;
    let completed = 0;
    const handlers: BunHandlers<ChurnConn> = {
      open(s) {
        s.write(one);
      },
      data(s, d) {
        s.data.got += d.byteLength;
        s.shutdown();
      },
      close(s) {
        if (s.data.got !== 1) {
          reject(new Error(`churn: connection got ${s.data.got} bytes back, expected 1`));
          return;
        }
        if (++completed === total) resolve({ count: completed, ms: performance.now() - start });
        else next();
      },
      error: (_s, err) => reject(err),
      connectError: (_s, err) => reject(err),
    };
    const next = () => {
      if (started >= total) return;
      started++;
      Bun.connect<ChurnConn>({ hostname: HOST, port, data: { got: 0 }, socket: handlers }).catch(reject);
    };
    for (let i = 0; i < concurrency; i++) next();
  });
}

async function openIdle(port: number, n: number, concurrency: number): Promise<IdleSet> {
  const all: BunSocket<undefined>[] = [];
  const handlers: BunHandlers<undefined> = {};
  await workerPool(n, concurrency, async () => {
    all.push(await Bun.connect<undefined>({ hostname: HOST, port, socket: handlers }));
  });
  expectCount("idle connections", all.length, n);
  return { count: all.length, close: () => all.forEach((s) => s.end()) };
}

async function sustain(
  port: number,
  conns: number,
  size: number,
  ms: number,
  concurrency: number,
  onBegin?: () => void,
): Promise<Sustained> {
  const msg = new Uint8Array(size).fill(0x62);
  const sockets: BunSocket<PingConn>[] = [];
  const close = () => sockets.forEach((s) => s.end());
  let count = 0;
  let stopped = 0;
  let start = 0;
  let end = Infinity;
  let settle: (ms: number) => void = () => {};
  let fail: (err: Error) => void = () => {};
  const done = new Promise<number>((resolve, reject) => {
    settle = resolve;
    fail = reject;
  });
  const handlers: BunHandlers<PingConn> = {
    data(s, d) {
      const st = s.data;
      st.got += d.byteLength;
      if (st.got < size) return;
      if (st.got > size) {
        fail(new Error(`sustain: ${st.got} bytes echoed for one ${size}-byte message`));
        return;
      }
      st.got = 0;
      count++;
      if (performance.now() < end) {
        if (s.write(msg) !== size) fail(new Error("sustain: partial write"));
        return;
      }
      if (++stopped === conns) settle(performance.now() - start);
    },
    error: (_s, err) => fail(err),
    connectError: (_s, err) => fail(err),
  };
  try {
    const t0 = performance.now();
    await workerPool(conns, concurrency, async () => {
      const s = await Bun.connect<PingConn>({ hostname: HOST, port, data: { got: 0, done: 0 }, socket: handlers });
      s.setNoDelay(true);
      sockets.push(s);
    });
    const connectMs = performance.now() - t0;
    onBegin?.();
    start = performance.now();
    end = start + ms;
    for (const s of sockets) s.write(msg);
    const elapsed = await done;
    return { count, ms: elapsed, connectMs, conns: sockets.length, close };
  } catch (err) {
    close();
    throw err;
  }
}
