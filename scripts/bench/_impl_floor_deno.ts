// The floor's raw layer on Deno.connect / Deno.listen (conn.read, conn.write,
// conn.closeWrite): one read in flight while reading, into one reused buffer that starts at
// 1 KiB and grows (x4, up to 64 KiB) while reads fill it, shrinking back after a small read:
// a read of at least half of it is handed over and replaced, a smaller one copied out (as
// omninet's Deno adapter does; a fresh 64 KiB buffer per connection costs ~30 µs of
// allocation and GC per connection in churn). Loaded on Deno only.
import type { Backend, RawConn, Sink } from "./_impl_floor.ts";

const MAX = 64 * 1024;
const MIN = 1024;

class DenoRaw implements RawConn {
  readonly c: Deno.TcpConn;
  readonly sink: Sink;
  #buf: Uint8Array | null = null;
  #size = MIN;
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
    const buf = this.#buf ??= new Uint8Array(this.#size);
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
    const size = buf.byteLength;
    let chunk: Uint8Array;
    if (n >= size >>> 1) {
      chunk = n === size ? buf : buf.subarray(0, n);
      this.#buf = null;
      if (n === size) this.#size = Math.min(MAX, size * 4);
    } else {
      chunk = buf.slice(0, n);
      if (n < size >>> 2 && size > MIN) {
        this.#size = Math.max(MIN, 1 << (32 - Math.clz32(n - 1)));
        this.#buf = null;
      }
    }
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
