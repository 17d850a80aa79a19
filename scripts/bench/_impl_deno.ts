// The workloads over Deno's own API: Deno.listen / Deno.connect with conn.read and
// conn.write (what omninet's Deno adapter sits on). Loaded on Deno only.
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

const READ_SIZE = 64 * 1024;

async function writeAll(conn: Deno.TcpConn, bytes: Uint8Array): Promise<void> {
  let off = 0;
  while (off < bytes.byteLength) off += await conn.write(off === 0 ? bytes : bytes.subarray(off));
}

function closeQuietly(conn: Deno.TcpConn): void {
  try {
    conn.close();
  } catch { /* already closed */ }
}

/** The workloads over `Deno.listen` / `Deno.connect`. */
export function denoImpl(): Impl {
  return { listen, bulk, pingPong, churn, openIdle, sustain };
}

function listen(kind: ServerKind, options?: ListenOptions): Promise<ServerHandle> {
  const stats: ServerStats = { conns: 0, open: 0, bytes: 0 };
  const open = new Set<Deno.TcpConn>();
  // reusePort needs --unstable-net (without it Deno.listen rejects the option or aborts).
  const listenOptions = {
    hostname: HOST,
    port: options?.port ?? 0,
    ...(options?.reusePort ? { reusePort: true } : {}),
  };
  const listener = Deno.listen(listenOptions as Deno.TcpListenOptions);
  const serve = async (conn: Deno.TcpConn) => {
    stats.conns++;
    open.add(conn);
    const buf = new Uint8Array(READ_SIZE);
    try {
      if (kind === "sink") {
        let n = 0;
        for (;;) {
          const r = await conn.read(buf);
          if (r === null) break;
          n += r;
        }
        stats.bytes += n;
        await writeAll(conn, new TextEncoder().encode(`${n}\n`));
      } else {
        conn.setNoDelay(true);
        for (;;) {
          const r = await conn.read(buf);
          if (r === null) break;
          stats.bytes += r;
          await writeAll(conn, buf.subarray(0, r));
        }
      }
    } catch { /* reset by the peer or closed by close() */ }
    open.delete(conn);
    closeQuietly(conn);
  };
  (async () => {
    for await (const conn of listener) serve(conn);
  })().catch(() => {});
  const { port } = listener.addr as Deno.NetAddr;
  return Promise.resolve({
    port,
    stats: () => ({ ...stats, open: open.size }),
    close: () => {
      try {
        listener.close();
      } catch { /* already closed */ }
      for (const c of open) closeQuietly(c);
      return Promise.resolve();
    },
  });
}

async function bulk(port: number, total: number, chunkSize: number): Promise<Measured> {
  const chunk = new Uint8Array(chunkSize).fill(0x61);
  const start = performance.now();
  const conn = await Deno.connect({ hostname: HOST, port });
  let sent = 0;
  while (sent < total) {
    const n = Math.min(chunkSize, total - sent);
    await writeAll(conn, n === chunkSize ? chunk : chunk.subarray(0, n));
    sent += n;
  }
  await conn.closeWrite();
  let reply = "";
  const buf = new Uint8Array(64);
  for (;;) {
    const r = await conn.read(buf);
    if (r === null) break;
    reply += String.fromCharCode(...buf.subarray(0, r));
  }
  closeQuietly(conn);
  return { count: parseCount(reply), ms: performance.now() - start };
}

async function pingPong(port: number, conns: number, rounds: number, size: number): Promise<Measured> {
  const msg = new Uint8Array(size).fill(0x62);
  const all: Deno.TcpConn[] = [];
  for (let i = 0; i < conns; i++) {
    const c = await Deno.connect({ hostname: HOST, port });
    c.setNoDelay(true);
    all.push(c);
  }
  const start = performance.now();
  const counts = await Promise.all(all.map(async (conn) => {
    const buf = new Uint8Array(READ_SIZE);
    let verified = 0;
    for (let i = 0; i < rounds; i++) {
      await writeAll(conn, msg);
      let got = 0;
      while (got < size) {
        const r = await conn.read(buf);
        if (r === null) throw new Error("ping-pong: server closed early");
        got += r;
      }
      if (got !== size) throw new Error(`ping-pong: ${got} bytes echoed for one ${size}-byte message`);
      verified++;
    }
    return verified;
  }));
  const ms = performance.now() - start;
  for (const c of all) closeQuietly(c);
  return { count: counts.reduce((a, b) => a + b, 0), ms };
}

async function churn(port: number, total: number, concurrency: number): Promise<Measured> {
  const one = new Uint8Array([0x63]);
  const start = performance.now();
  let completed = 0;
  await workerPool(total, concurrency, async () => {
    const buf = new Uint8Array(16);
    const conn = await Deno.connect({ hostname: HOST, port });
    await writeAll(conn, one);
    let got = 0;
    for (;;) {
      const r = await conn.read(buf);
      if (r === null) break;
      got += r;
      if (got >= 1) break;
    }
    await conn.closeWrite();
    for (;;) {
      const r = await conn.read(buf);
      if (r === null) break;
      got += r;
    }
    closeQuietly(conn);
    expectCount("churn: bytes echoed on one connection", got, 1);
    completed++;
  });
  return { count: completed, ms: performance.now() - start };
}

async function openIdle(port: number, n: number, concurrency: number): Promise<IdleSet> {
  const all: Deno.TcpConn[] = [];
  await workerPool(n, concurrency, async () => {
    all.push(await Deno.connect({ hostname: HOST, port }));
  });
  return { count: all.length, close: () => all.forEach(closeQuietly) };
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
  const all: Deno.TcpConn[] = [];
  const close = () => all.forEach(closeQuietly);
  try {
    const t0 = performance.now();
    await workerPool(conns, concurrency, async () => {
      const c = await Deno.connect({ hostname: HOST, port });
      c.setNoDelay(true);
      all.push(c);
    });
    const connectMs = performance.now() - t0;
    onBegin?.();
    const start = performance.now();
    const end = start + ms;
    const counts = await Promise.all(all.map(async (conn) => {
      const buf = new Uint8Array(1024);
      let verified = 0;
      do {
        await writeAll(conn, msg);
        let got = 0;
        while (got < size) {
          const r = await conn.read(buf);
          if (r === null) throw new Error("sustain: server closed early");
          got += r;
        }
        if (got !== size) throw new Error(`sustain: ${got} bytes echoed for one ${size}-byte message`);
        verified++;
      } while (performance.now() < end);
      return verified;
    }));
    return {
      count: counts.reduce((a, b) => a + b, 0),
      ms: performance.now() - start,
      connectMs,
      conns: all.length,
      close,
    };
  } catch (err) {
    close();
    throw err;
  }
}
