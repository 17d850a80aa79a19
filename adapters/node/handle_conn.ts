// One libuv TCP or Pipe handle seen through the RawConn contract: the handle node:net's
// Socket owns, without the second stream a node:net socket under the core would add. The
// calls are the ones node:net makes (readStart/readStop, writeBuffer/writev with a
// WriteWrap, shutdown with a ShutdownWrap, close, reset), so what libuv does, Node's
// Socket sees the same: a write libuv's try_write took at once is reported inside
// `write`, reading stops at once on readStop, what is left unread makes close an RST.
// The callbacks are shared functions that find the connection on the handle or request:
// a connection costs no closures.
import { Buffer } from "node:buffer";
import type { ConnectOptions, ConnSink, RawAddress, RawConn, WriteDone } from "../../src/contract.ts";
import type { ConnectReq, Libuv, ShutdownReq, StreamHandle, WriteReq } from "./_libuv.ts";
import { libuv, UV_EOF, uvError } from "./_libuv.ts";
import { runtimePlatform } from "../_shared/runtime_platform.ts";

/** The connection a handle or request belongs to. */
const kConn = Symbol("omninet.conn");
/** A write request's `done` and the number of chunks it carries. */
const kDone = Symbol("omninet.done");
const kCount = Symbol("omninet.count");

// Only used where the bindings exist (mod.ts picks this adapter then).
const uv = libuv as Libuv;

// HandleConn's flags.
/** An outgoing connection's connect request is in flight. */
const CONNECTING = 1;
/** The core wants reading on (readStart without readStop since). */
const READING = 2;
/** libuv reported the end of the stream: a later readStart would read it again. */
const ENDED = 4;
/** close() or reset() was called: nothing but `done`s and onClose from now on. */
const CLOSED = 8;

function connOf(target: { [key: symbol]: unknown }): HandleConn {
  return target[kConn] as HandleConn;
}

function onRead(this: StreamHandle, buffer?: ArrayBuffer): void {
  const conn = connOf(this);
  const state = uv.state;
  const nread = state[uv.kReadBytesOrError];
  if (nread > 0) {
    conn.sink!.onData(Buffer.from(buffer!, state[uv.kArrayBufferOffset], nread));
  } else if (nread === UV_EOF) {
    conn.flags |= ENDED;
    conn.sink!.onEnd();
  } else if (nread < 0) {
    conn.sink!.onError(uvError(nread, "read"));
  }
}

/**
 * A write request no write holds: Node's StreamBase (`StreamBase::Write`) binds the
 * request object only to a write libuv queues, so one that try_write finished at once
 * leaves it untouched, free for the next write of any connection (a failed one may have
 * been bound and disposed: not reused). Saves a WriteWrap per write, the
 * bulk of what a ping-pong round trip allocates here beyond node:net. Not on Deno's
 * handles, whose request handling is their own.
 */
let spareReq: WriteReq | null = null;
const reuseReqs = !("Deno" in globalThis);

function newWriteReq(): WriteReq {
  const req = new uv.WriteWrap();
  req.oncomplete = onWriteComplete;
  req.buffer = null;
  req[kDone] = null;
  req[kCount] = 0;
  return req;
}

function onWriteComplete(this: WriteReq, status: number): void {
  const done = this[kDone] as WriteDone;
  this.buffer = null;
  this[kDone] = null;
  if (status < 0) done(uvError(status, "write"), 0);
  else done(null, this[kCount] as number);
}

function onShutdownComplete(this: ShutdownReq): void {
  // As node:net's afterShutdown: a shutdown that started is over, whatever its status.
  (this[kDone] as (err?: Error | null) => void)();
}

function onConnectComplete(this: ConnectReq, status: number): void {
  const conn = connOf(this);
  if (conn.flags & CLOSED) return;
  conn.flags &= ~CONNECTING;
  if (status < 0) {
    conn.sink!.onError(uvError(status, "connect", { address: this.address, port: this.port }));
    return;
  }
  if (conn.flags & READING) conn.startReading();
  conn.sink!.onConnect();
}

function onHandleClose(this: StreamHandle): void {
  connOf(this).sink?.onClose();
}

/**
 * Wraps one libuv stream handle. It keeps the contract's re-entrancy rule itself (the
 * `reentrySafe` capability): what libuv reports inside a call of the core's (a connect or
 * readStart that failed at once, a shutdown over at once) reaches the sink from a
 * microtask, as the core's guard would pass it on; a write's own `done` comes inside
 * `write` (libuv's try_write). An accepted one gets its sink through `onConnection`.
 */
export class HandleConn implements RawConn {
  sink: ConnSink | null = null;
  flags = 0;
  #handle: StreamHandle;
  /** A Unix socket's ends, `{ path }` (libuv names none for them). */
  #pipe: { local: RawAddress; remote: RawAddress } | null;

  constructor(handle: StreamHandle, pipe: { local: string; remote: string } | null) {
    this.#handle = handle;
    this.#pipe = pipe && { local: { path: pipe.local }, remote: { path: pipe.remote } };
    handle[kConn] = this;
    handle.onread = onRead;
  }

  /** The core's callbacks: before connecting (outgoing) or from `onConnection`'s `attach` (accepted). */
  setSink(sink: ConnSink): void {
    this.sink = sink;
  }

  /** An error found inside a call of the core's: reported from a microtask, unless closed by then. */
  #failLater(err: Error): void {
    queueMicrotask(() => {
      if (!(this.flags & CLOSED)) this.sink!.onError(err);
    });
  }

  /** libuv's readStart; a failure is the read's error, as node:net's tryReadStart reports it. */
  startReading(): void {
    const err = this.#handle.readStart();
    if (err !== 0) this.#failLater(uvError(err, "read"));
  }

  readStart(): void {
    if (this.flags & READING) return;
    this.flags |= READING;
    if (!(this.flags & (CONNECTING | ENDED | CLOSED))) this.startReading();
  }

  readStop(): void {
    if (!(this.flags & READING)) return;
    this.flags &= ~READING;
    if (!(this.flags & (CONNECTING | ENDED | CLOSED))) this.#handle.readStop();
  }

  write(chunks: Uint8Array[], done: WriteDone): void {
    // The spare request, or a new one when the last write kept it (libuv queued it).
    const req = spareReq ?? newWriteReq();
    spareReq = null;
    req[kDone] = done;
    req[kCount] = chunks.length;
    let err: number;
    if (chunks.length === 1) {
      req.buffer = chunks[0];
      err = this.#handle.writeBuffer(req, chunks[0]);
    } else {
      req.buffer = chunks;
      err = this.#handle.writev(req, chunks, true);
    }
    // Last, so that the core may call in again from `done` (libuv's state is read by then).
    if (err !== 0) {
      req.buffer = null;
      done(uvError(err, "write"), 0);
    } else if (uv.state[uv.kLastWriteWasAsync] === 0) {
      // libuv's try_write took it all: no completion follows, and Node's StreamBase left
      // the request object untouched (it binds one only to a write it queues).
      req.buffer = null;
      req[kDone] = null;
      if (reuseReqs) spareReq = req;
      done(null, chunks.length);
    }
  }

  shutdown(done: (err?: Error | null) => void): void {
    const req = new uv.ShutdownWrap();
    req.oncomplete = onShutdownComplete;
    req[kDone] = done;
    const err = this.#handle.shutdown(req);
    // 1: finished at once; ENOTCONN (the peer is gone): node:net's _final calls it done too.
    if (err === 1 || err === UV_ENOTCONN) queueMicrotask(done);
    else if (err !== 0) {
      const ex = uvError(err, "shutdown");
      queueMicrotask(() => done(ex));
    }
  }

  close(): void {
    if (this.flags & CLOSED) return;
    this.flags |= CLOSED;
    this.#handle.close(onHandleClose);
  }

  reset(): void {
    if (this.flags & CLOSED) return;
    const handle = this.#handle;
    if (this.flags & CONNECTING || typeof handle.reset !== "function") {
      this.close();
      return;
    }
    this.flags |= CLOSED;
    // libuv refuses an RST after a shutdown was requested (EINVAL): a plain close then.
    if (handle.reset(onHandleClose) !== 0) handle.close(onHandleClose);
  }

  setNoDelay(enable: boolean): void {
    if (!(this.flags & CLOSED)) this.#handle.setNoDelay?.(enable);
  }

  setKeepAlive(enable: boolean, initialDelayMs: number): void {
    if (!(this.flags & CLOSED)) this.#handle.setKeepAlive?.(enable, Math.trunc(initialDelayMs / 1000));
  }

  ref(): void {
    if (!(this.flags & CLOSED)) this.#handle.ref();
  }

  unref(): void {
    if (!(this.flags & CLOSED)) this.#handle.unref();
  }

  localAddress(): RawAddress | undefined {
    if (this.#pipe !== null) return this.#pipe.local;
    return this.#name("getsockname");
  }

  remoteAddress(): RawAddress | undefined {
    if (this.#pipe !== null) return this.#pipe.remote;
    return this.#name("getpeername");
  }

  #name(which: "getsockname" | "getpeername"): RawAddress | undefined {
    if (this.flags & CLOSED) return undefined;
    const out: { address?: string; family?: string; port?: number } = {};
    if (this.#handle[which]!(out) !== 0 || out.address === undefined) return undefined;
    return { address: out.address, family: out.family as "IPv4" | "IPv6", port: out.port! };
  }

  /** Start connecting: the connect request's status reaches the sink. */
  connect(options: ConnectOptions): void {
    const handle = this.#handle;
    let err: number;
    let req: ConnectReq;
    if ("path" in options) {
      req = new uv.PipeConnectWrap();
      req.address = options.path;
      req.oncomplete = onConnectComplete;
      req[kConn] = this;
      err = handle.connect(req, options.path);
    } else {
      const { host, port, family, localAddress, localPort } = options;
      if (localAddress || localPort) {
        const local = localAddress ?? (family === 6 ? "::" : "0.0.0.0");
        err = family === 6 ? handle.bind6(local, localPort ?? 0, 0) : handle.bind(local, localPort ?? 0);
        // libuv reports a port in use only at connect (and then binds a random port), so
        // check the port now, as node:net's checkBindError does: a bind error, not connect's.
        if (err === 0 && localPort) {
          const out: { port?: number } = {};
          err = handle.getsockname!(out);
          if (err === 0 && out.port !== localPort) err = UV_EADDRINUSE;
        }
        if (err !== 0) {
          this.#failLater(uvError(err, "bind", { address: local, port: localPort }));
          return;
        }
      }
      req = new uv.TCPConnectWrap();
      req.address = host;
      req.port = port;
      req.oncomplete = onConnectComplete;
      req[kConn] = this;
      err = family === 6 ? handle.connect6(req, host, port) : handle.connect(req, host, port);
    }
    if (err !== 0) {
      this.#failLater(uvError(err, "connect", { address: req.address, port: req.port }));
      return;
    }
    this.flags |= CONNECTING;
  }
}

/** `UV_ENOTCONN`, `UV_EADDRINUSE` (their numbers differ between Linux and macOS). */
const UV_ENOTCONN = runtimePlatform.errno("ENOTCONN");
const UV_EADDRINUSE = runtimePlatform.errno("EADDRINUSE")!;

/** Open an outgoing connection on a new libuv handle. `options.host` is an IP address. */
export function connectHandle(options: ConnectOptions, sink: ConnSink): RawConn {
  const pipe = "path" in options;
  const handle = pipe ? new uv.Pipe(uv.SOCKET) : new uv.TCP(uv.SOCKET);
  const conn = new HandleConn(handle, pipe ? { local: "", remote: options.path } : null);
  conn.setSink(sink);
  conn.connect(options);
  return conn;
}
