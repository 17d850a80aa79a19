// The floor's raw layer on Deno.connect / Deno.listen (conn.read, conn.write,
// conn.closeWrite): one read in flight while reading, one reused 64 KiB buffer (a read of
// at least half of it is handed over and replaced, a smaller one copied out, as omninet's
// Deno adapter does). Loaded on Deno only.
import type { Backend, RawConn, Sink } from "./_impl_floor.ts";

const SIZE = 64 * 1024;

class DenoRaw implements RawConn {
  readonly c: Deno.TcpConn;
  readonly sink: Sink;
  #buf: Uint8Array | null = null;
  #reading = false;
  #inFlight = false;
  #ended = false;

  constructor(c: Deno.TcpConn, sink: Sink) {
    this.c = c;
    this.sink = sink;
  }

  readStart(): void {
    this.#reading = true;
    if (!this.#inFlight && !this.#ended) this.#next();
  }

  readStop(): void {
    this.#reading = false;
  }

  #next(): void {
    this.#inFlight = true;
    const buf = this.#buf ??= new Uint8Array(SIZE);
    this.c.read(buf).then((n) => this.#onRead(buf, n), (err) => {
      this.#inFlight = false;
      this.#ended = true;
      this.sink.onError(err);
    });
  }

  #onRead(buf: Uint8Array, n: number | null): void {
    this.#inFlight = false;
    if (n === null) {
      this.#ended = true;
      return this.sink.onEnd();
    }
    let chunk: Uint8Array;
    if (n >= SIZE >>> 1) {
      chunk = buf.subarray(0, n);
      this.#buf = null;
    } else chunk = buf.slice(0, n);
    this.sink.onData(chunk);
    if (this.#reading && !this.#inFlight) this.#next();
  }

  write(chunk: Uint8Array, cb: (err?: Error | null) => void): void {
    const c = this.c;
    let off = 0;
    const step = (n: number) => {
      off += n;
      if (off < chunk.byteLength) c.write(chunk.subarray(off)).then(step, cb);
      else cb();
    };
    c.write(chunk).then(step, cb);
  }

  shutdown(cb: (err?: Error | null) => void): void {
    this.c.closeWrite().then(() => cb(), cb);
  }

  close(cb: () => void): void {
    try {
      this.c.close();
    } catch { /* already closed */ }
    cb();
  }

  setNoDelay(on: boolean): void {
    this.c.setNoDelay(on);
  }
}

/** Deno.connect / Deno.listen as the floor's raw layer. */
export const denoBackend: Backend = {
  connect(host, port, sink, done) {
    Deno.connect({ hostname: host, port }).then((c) => done(new DenoRaw(c, sink)), (err) => done(null, err));
  },
  listen(host, port, onAccept) {
    const listener = Deno.listen({ hostname: host, port });
    (async () => {
      for (;;) {
        const c = await listener.accept();
        onAccept((sink) => new DenoRaw(c, sink));
      }
    })().catch(() => {});
    return Promise.resolve({
      port: (listener.addr as Deno.NetAddr).port,
      close: () => {
        try {
          listener.close();
        } catch { /* closed */ }
      },
    });
  },
};
