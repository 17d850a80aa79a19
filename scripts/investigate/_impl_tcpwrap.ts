// The benchmark workloads (scripts/bench/_impl.ts's Impl) written straight on the runtime's
// tcp_wrap handles, the layer below node:net, with no stream on top: what omninet could
// reach at best on them. For deno_tcp_wrap_bench.ts; runs on Deno and on Node.
// deno-lint-ignore-file no-explicit-any
import {
  expectCount,
  HOST,
  type IdleSet,
  type Impl,
  type Measured,
  parseCount,
  type ServerHandle,
  type ServerKind,
  type ServerStats,
  type Sustained,
  workerPool,
} from "../bench/_impl.ts";
import {
  connectTcp,
  kLastWriteWasAsync,
  readChunk,
  ShutdownWrap,
  state,
  TCP,
  tcpWrap,
  UV_EOF,
  WriteWrap,
} from "./_uv.ts";

/** Write one buffer; resolves at once when try_write took it, else at oncomplete. */
function write(handle: any, data: Uint8Array): Promise<void> {
  const req = new WriteWrap();
  req.handle = handle;
  req.buffer = data;
  let settle!: (err?: Error) => void;
  const p = new Promise<void>((resolve, reject) => settle = (err) => err ? reject(err) : resolve());
  req.oncomplete = (status: number) => settle(status < 0 ? new Error(`write ${status}`) : undefined);
  const err = handle.writeBuffer(req, data);
  if (err < 0) settle(new Error(`write ${err}`));
  else if (state[kLastWriteWasAsync] === 0) settle();
  return p;
}

function shutdown(handle: any): Promise<void> {
  return new Promise((resolve) => {
    const req = new ShutdownWrap();
    req.handle = handle;
    req.oncomplete = () => resolve();
    if (handle.shutdown(req) !== 0) resolve();
  });
}

/** Reads into `onData` until EOF or an error (`onEnd`). */
function read(handle: any, onData: (chunk: Uint8Array) => void, onEnd: (nread: number) => void): void {
  handle.onread = (ab: ArrayBuffer) => {
    const { nread, chunk } = readChunk(ab);
    if (nread > 0) onData(chunk!);
    else if (nread < 0) onEnd(nread);
  };
  handle.readStart();
}

function listen(kind: ServerKind): Promise<ServerHandle> {
  const stats: ServerStats = { conns: 0, open: 0, bytes: 0 };
  const open = new Set<any>();
  const server = new TCP(tcpWrap.constants.SERVER);
  server.bind(HOST, 0);
  const serve = (conn: any) => {
    stats.conns++;
    open.add(conn);
    conn.setNoDelay(true);
    let n = 0;
    const done = () => {
      open.delete(conn);
      conn.close();
    };
    read(conn, (chunk) => {
      stats.bytes += chunk.length;
      n += chunk.length;
      if (kind === "echo") write(conn, chunk).catch(() => {});
    }, (nread) => {
      if (kind === "sink" && nread === UV_EOF) write(conn, new TextEncoder().encode(`${n}\n`)).then(done, done);
      else done();
    });
  };
  server.onconnection = (status: number, client?: any) => {
    if (status < 0) return;
    if (client) return serve(client);
    for (let i = 0; i < 128; i++) { // Deno: accept into our own handles until EAGAIN
      const c = new TCP(tcpWrap.constants.SOCKET);
      if (server.accept(c) !== 0) return c.close();
      serve(c);
    }
  };
  server.listen(511);
  const out: any = {};
  server.getsockname(out);
  return Promise.resolve({
    port: out.port,
    stats: () => ({ ...stats, open: open.size }),
    close: () => {
      server.close();
      for (const c of open) c.close();
      return Promise.resolve();
    },
  });
}

async function bulk(port: number, total: number, chunkSize: number): Promise<Measured> {
  const chunk = new Uint8Array(chunkSize).fill(0x61);
  const start = performance.now();
  const conn = await connectTcp(port, HOST);
  let reply = "";
  const ended = new Promise<void>((resolve) => read(conn, (c) => reply += String.fromCharCode(...c), () => resolve()));
  for (let sent = 0; sent < total; sent += chunkSize) {
    const n = Math.min(chunkSize, total - sent);
    await write(conn, n === chunkSize ? chunk : chunk.subarray(0, n));
  }
  await shutdown(conn);
  await ended;
  conn.close();
  return { count: parseCount(reply), ms: performance.now() - start };
}

/** One connection's round trips: resolves with how many were verified. */
function roundTrips(conn: any, msg: Uint8Array, more: (done: number) => boolean): Promise<number> {
  return new Promise((resolve, reject) => {
    let got = 0;
    let verified = 0;
    read(conn, (chunk) => {
      got += chunk.length;
      if (got < msg.length) return;
      if (got !== msg.length) return reject(new Error(`${got} bytes echoed for one ${msg.length}`));
      got = 0;
      verified++;
      if (more(verified)) write(conn, msg).catch(reject);
      else {
        conn.readStop();
        resolve(verified);
      }
    }, () => reject(new Error("server closed early")));
    write(conn, msg).catch(reject);
  });
}

async function pingPong(port: number, conns: number, rounds: number, size: number): Promise<Measured> {
  const msg = new Uint8Array(size).fill(0x62);
  const all: any[] = [];
  for (let i = 0; i < conns; i++) {
    const c = await connectTcp(port, HOST);
    c.setNoDelay(true);
    all.push(c);
  }
  const start = performance.now();
  const counts = await Promise.all(all.map((c) => roundTrips(c, msg, (n) => n < rounds)));
  const ms = performance.now() - start;
  for (const c of all) c.close();
  return { count: counts.reduce((a, b) => a + b, 0), ms };
}

async function churn(port: number, total: number, concurrency: number): Promise<Measured> {
  const one = new Uint8Array([0x63]);
  const start = performance.now();
  let completed = 0;
  await workerPool(total, concurrency, async () => {
    const conn = await connectTcp(port, HOST);
    let got = 0;
    let echoed!: () => void;
    const first = new Promise<void>((r) => echoed = r);
    const ended = new Promise<void>((resolve) =>
      read(conn, (c) => {
        got += c.length;
        echoed();
      }, () => resolve())
    );
    await write(conn, one);
    await first;
    await shutdown(conn);
    await ended;
    conn.close();
    expectCount("churn: bytes echoed on one connection", got, 1);
    completed++;
  });
  return { count: completed, ms: performance.now() - start };
}

async function openIdle(port: number, n: number, concurrency: number): Promise<IdleSet> {
  const all: any[] = [];
  await workerPool(n, concurrency, async () => {
    const c = await connectTcp(port, HOST);
    read(c, () => {}, () => {}); // reading, as a socket is while idle
    all.push(c);
  });
  return { count: all.length, close: () => all.forEach((c) => c.close()) };
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
  const all: any[] = [];
  const t0 = performance.now();
  await workerPool(conns, concurrency, async () => {
    const c = await connectTcp(port, HOST);
    c.setNoDelay(true);
    all.push(c);
  });
  const connectMs = performance.now() - t0;
  onBegin?.();
  const start = performance.now();
  const end = start + ms;
  const counts = await Promise.all(all.map((c) => roundTrips(c, msg, () => performance.now() < end)));
  return {
    count: counts.reduce((a, b) => a + b, 0),
    ms: performance.now() - start,
    connectMs,
    conns: all.length,
    close: () => all.forEach((c) => c.close()),
  };
}

/** The workloads on tcp_wrap handles. */
export function tcpWrapImpl(): Impl {
  return { listen, bulk, pingPong, churn, openIdle, sustain };
}
