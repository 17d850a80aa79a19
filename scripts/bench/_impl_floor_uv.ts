// The floor's raw layer on the runtime's tcp_wrap handles (process.binding('tcp_wrap'), the
// layer node:net itself sits on: libuv on Node, Deno's Rust emulation on Deno). Writes go
// through writeBuffer with one WriteWrap per write, completing inline when the handle took
// all of it (kLastWriteWasAsync 0) or at oncomplete; shared callbacks, no closure per write.
// Runs on Node and Deno.
// deno-lint-ignore-file no-explicit-any
import {
  kArrayBufferOffset,
  kLastWriteWasAsync,
  kReadBytesOrError,
  ShutdownWrap,
  state,
  TCP,
  TCPConnectWrap,
  tcpWrap,
  UV_EOF,
  WriteWrap,
} from "../investigate/_uv.ts";
import type { Backend, RawConn, Sink } from "./_impl_floor.ts";

type WriteCb = (err?: Error | null) => void;

function onWriteComplete(this: { callback: WriteCb }, status: number): void {
  this.callback(status < 0 ? new Error(`write ${status}`) : null);
}

function onShutdownComplete(this: { callback: WriteCb }, status: number): void {
  this.callback(status < 0 ? new Error(`shutdown ${status}`) : null);
}

function onRead(this: any, ab: ArrayBuffer | undefined): void {
  const raw: UvRaw = this.raw;
  const nread = state[kReadBytesOrError];
  if (nread > 0 && ab) raw.sink.onData(new Uint8Array(ab, state[kArrayBufferOffset], nread));
  else if (nread === UV_EOF) {
    raw.h.readStop();
    raw.sink.onEnd();
  } else if (nread < 0) raw.sink.onError(new Error(`read ${nread}`));
}

class UvRaw implements RawConn {
  readonly h: any;
  readonly sink: Sink;
  #reading = false;

  constructor(h: any, sink: Sink) {
    this.h = h;
    this.sink = sink;
    h.raw = this;
    h.onread = onRead;
  }

  readStart(): void {
    if (this.#reading) return;
    this.#reading = true;
    this.h.readStart();
  }

  readStop(): void {
    if (!this.#reading) return;
    this.#reading = false;
    this.h.readStop();
  }

  write(chunk: Uint8Array, cb: WriteCb): void {
    const req = new WriteWrap();
    req.handle = this.h;
    req.buffer = chunk;
    req.callback = cb;
    req.oncomplete = onWriteComplete;
    const err = this.h.writeBuffer(req, chunk);
    if (err < 0) cb(new Error(`write ${err}`));
    else if (state[kLastWriteWasAsync] === 0) cb();
  }

  shutdown(cb: WriteCb): void {
    const req = new ShutdownWrap();
    req.handle = this.h;
    req.callback = cb;
    req.oncomplete = onShutdownComplete;
    if (this.h.shutdown(req) !== 0) cb();
  }

  close(cb: () => void): void {
    this.h.close(cb);
  }

  setNoDelay(on: boolean): void {
    this.h.setNoDelay(on);
  }
}

/** tcp_wrap handles as the floor's raw layer. */
export const uvBackend: Backend = {
  connect(host, port, sink, done) {
    const h = new TCP(tcpWrap.constants.SOCKET);
    const req = new TCPConnectWrap();
    req.oncomplete = (status: number) => status === 0 ? done(new UvRaw(h, sink)) : done(null, new Error(`${status}`));
    const err = h.connect(req, host, port);
    if (err) done(null, new Error(`connect ${err}`));
  },
  listen(host, port, onAccept) {
    const server = new TCP(tcpWrap.constants.SERVER);
    const bindErr = server.bind(host, port);
    if (bindErr) return Promise.reject(new Error(`bind ${bindErr}`));
    const take = (c: any) => onAccept((sink) => new UvRaw(c, sink));
    server.onconnection = (status: number, client?: any) => {
      if (status < 0) return;
      if (client) return take(client); // Node: libuv accepted it already
      for (let i = 0; i < 128; i++) { // Deno: accept into handles of our own until EAGAIN
        const c = new TCP(tcpWrap.constants.SOCKET);
        if (server.accept(c) !== 0) return c.close();
        take(c);
      }
    };
    const listenErr = server.listen(511);
    if (listenErr) return Promise.reject(new Error(`listen ${listenErr}`));
    const out: Record<string, unknown> = {};
    server.getsockname(out);
    return Promise.resolve({ port: out.port as number, close: () => server.close() });
  },
};
