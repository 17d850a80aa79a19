// The workloads written once against the `node:net` API, so omninet and each runtime's
// own node:net run the very same code.
import { Buffer } from "node:buffer";
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
} from "./_impl.ts";

// deno-lint-ignore no-explicit-any
type Listener = (...args: any[]) => void;

/** The part of a `net.Socket` the workloads use. */
export interface SocketLike {
  write(chunk: Uint8Array | string): boolean;
  end(chunk?: Uint8Array | string): unknown;
  destroy(err?: Error): unknown;
  setNoDelay(noDelay?: boolean): unknown;
  on(event: string, listener: Listener): unknown;
  once(event: string, listener: Listener): unknown;
}

/** The part of a `net.Server` the workloads use. */
export interface ServerLike {
  listen(port: number, host: string, cb: () => void): unknown;
  listen(options: { port: number; host: string; reusePort?: boolean }, cb: () => void): unknown;
  address(): unknown;
  close(cb?: (err?: Error) => void): unknown;
  on(event: string, listener: Listener): unknown;
}

/** The part of the `net` module the workloads use. */
export interface NetLike {
  createServer(options: { allowHalfOpen?: boolean }, listener: (socket: SocketLike) => void): ServerLike;
  connect(options: { port: number; host: string }): SocketLike;
}

/** The workloads over a `node:net`-shaped module. */
export function netImpl(net: NetLike): Impl {
  return {
    listen: (kind, options) => listen(net, kind, options),
    bulk: (port, total, chunk) => bulk(net, port, total, chunk),
    pingPong: (port, conns, rounds, size) => pingPong(net, port, conns, rounds, size),
    churn: (port, total, concurrency) => churn(net, port, total, concurrency),
    openIdle: (port, n, concurrency) => openIdle(net, port, n, concurrency),
    sustain: (port, conns, size, ms, concurrency, onBegin) => sustain(net, port, conns, size, ms, concurrency, onBegin),
  };
}

function listen(net: NetLike, kind: ServerKind, options?: ListenOptions): Promise<ServerHandle> {
  const stats: ServerStats = { conns: 0, open: 0, bytes: 0 };
  const open = new Set<SocketLike>();
  const server = net.createServer({ allowHalfOpen: kind === "sink" }, (socket) => {
    stats.conns++;
    open.add(socket);
    socket.on("close", () => open.delete(socket));
    socket.on("error", () => {});
    if (kind === "sink") {
      let n = 0;
      socket.on("data", (d: Uint8Array) => {
        n += d.byteLength;
      });
      socket.on("end", () => {
        stats.bytes += n;
        socket.end(`${n}\n`);
      });
    } else {
      socket.setNoDelay(true);
      socket.on("data", (d: Uint8Array) => {
        stats.bytes += d.byteLength;
        socket.write(d);
      });
    }
  });
  return new Promise((resolve, reject) => {
    server.on("error", reject);
    const listening = () => {
      const { port } = server.address() as { port: number };
      resolve({
        port,
        stats: () => ({ ...stats, open: open.size }),
        close: () =>
          new Promise<void>((done) => {
            for (const s of open) s.destroy();
            server.close(() => done());
          }),
      });
    };
    if (options) server.listen({ port: options.port ?? 0, host: HOST, reusePort: options.reusePort }, listening);
    else server.listen(0, HOST, listening);
  });
}

function bulk(net: NetLike, port: number, total: number, chunkSize: number): Promise<Measured> {
  const chunk = Buffer.alloc(chunkSize, 0x61);
  return new Promise((resolve, reject) => {
    const start = performance.now();
    const socket = net.connect({ port, host: HOST });
    let sent = 0;
    let reply = "";
    const pump = () => {
      while (sent < total) {
        const n = Math.min(chunkSize, total - sent);
        sent += n;
        if (!socket.write(n === chunkSize ? chunk : chunk.subarray(0, n))) {
          socket.once("drain", pump);
          return;
        }
      }
      socket.end();
    };
    socket.on("connect", pump);
    socket.on("data", (d: Uint8Array) => {
      reply += Buffer.from(d).toString("latin1");
    });
    socket.on("error", reject);
    socket.on("close", () => {
      try {
        resolve({ count: parseCount(reply), ms: performance.now() - start });
      } catch (err) {
        reject(err);
      }
    });
  });
}

function pingPong(net: NetLike, port: number, conns: number, rounds: number, size: number): Promise<Measured> {
  const msg = Buffer.alloc(size, 0x62);
  return new Promise((resolve, reject) => {
    const sockets: SocketLike[] = [];
    let connected = 0;
    let finished = 0;
    let verified = 0;
    let start = 0;
    const begin = () => {
      start = performance.now();
      for (const s of sockets) s.write(msg);
    };
    for (let i = 0; i < conns; i++) {
      const socket = net.connect({ port, host: HOST });
      sockets.push(socket);
      let got = 0;
      let done = 0;
      socket.setNoDelay(true);
      socket.on("error", reject);
      socket.on("connect", () => {
        if (++connected === conns) begin();
      });
      socket.on("data", (d: Uint8Array) => {
        got += d.byteLength;
        if (got < size) return;
        if (got > size) {
          reject(new Error(`ping-pong: ${got} bytes echoed for one ${size}-byte message`));
          return;
        }
        got = 0;
        verified++;
        if (++done < rounds) {
          socket.write(msg);
          return;
        }
        socket.end();
        if (++finished === conns) resolve({ count: verified, ms: performance.now() - start });
      });
    }
  });
}

function churn(net: NetLike, port: number, total: number, concurrency: number): Promise<Measured> {
  const one = Buffer.from("c");
  return new Promise((resolve, reject) => {
    const start = performance.now();
    let started = 0;
    let completed = 0;
    const next = () => {
      if (started >= total) return;
      started++;
      const socket = net.connect({ port, host: HOST });
      let got = 0;
      socket.on("connect", () => socket.write(one));
      socket.on("data", (d: Uint8Array) => {
        got += d.byteLength;
        socket.end();
      });
      socket.on("error", reject);
      socket.on("close", () => {
        if (got !== 1) {
          reject(new Error(`churn: connection got ${got} bytes back, expected 1`));
          return;
        }
        if (++completed === total) resolve({ count: completed, ms: performance.now() - start });
        else next();
      });
    };
    for (let i = 0; i < concurrency; i++) next();
  });
}

function openIdle(net: NetLike, port: number, n: number, concurrency: number): Promise<IdleSet> {
  const sockets: SocketLike[] = [];
  return new Promise((resolve, reject) => {
    let started = 0;
    let connected = 0;
    const next = () => {
      if (started >= n) return;
      started++;
      const socket = net.connect({ port, host: HOST });
      sockets.push(socket);
      socket.on("error", reject);
      socket.on("data", () => reject(new Error("idle connection received data")));
      socket.on("connect", () => {
        if (++connected === n) {
          resolve({
            count: connected,
            close: () => {
              for (const s of sockets) s.destroy();
            },
          });
        } else next();
      });
    };
    for (let i = 0; i < concurrency; i++) next();
  }).then((set) => {
    expectCount("idle connections", (set as IdleSet).count, n);
    return set as IdleSet;
  });
}

function sustain(
  net: NetLike,
  port: number,
  conns: number,
  size: number,
  ms: number,
  concurrency: number,
  onBegin?: () => void,
): Promise<Sustained> {
  const msg = Buffer.alloc(size, 0x62);
  const sockets: SocketLike[] = [];
  const close = () => {
    for (const s of sockets) s.destroy();
  };
  return new Promise<Sustained>((resolve, reject) => {
    const t0 = performance.now();
    let started = 0;
    let connected = 0;
    let stopped = 0;
    let count = 0;
    let start = 0;
    let end = Infinity;
    let connectMs = 0;
    const begin = () => {
      connectMs = performance.now() - t0;
      onBegin?.();
      start = performance.now();
      end = start + ms;
      for (const s of sockets) s.write(msg);
    };
    const open = () => {
      if (started >= conns) return;
      started++;
      const socket = net.connect({ port, host: HOST });
      sockets.push(socket);
      let got = 0;
      socket.setNoDelay(true);
      socket.on("error", reject);
      socket.on("connect", () => {
        if (++connected === conns) begin();
        else open();
      });
      socket.on("data", (d: Uint8Array) => {
        got += d.byteLength;
        if (got < size) return;
        if (got > size) {
          reject(new Error(`sustain: ${got} bytes echoed for one ${size}-byte message`));
          return;
        }
        got = 0;
        count++;
        if (performance.now() < end) {
          socket.write(msg);
          return;
        }
        if (++stopped === conns) resolve({ count, ms: performance.now() - start, connectMs, conns: connected, close });
      });
    };
    for (let i = 0; i < concurrency; i++) open();
  }).catch((err) => {
    close();
    throw err;
  });
}
