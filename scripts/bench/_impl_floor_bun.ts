// The floor's raw layer on Bun.connect / Bun.listen: `data` pushes each chunk Bun hands
// over, pause()/resume() for backpressure, a partial write keeps its rest (only one _write
// is ever pending in a Duplex) until `drain`, shutdown() for the FIN, end() to close.
// Loaded on Bun only.
import { bunApi, type BunSocket, type BunSocketHandlers } from "../../adapters/bun/_bun_types.ts";
import type { Backend, RawConn, Sink } from "./_impl_floor.ts";

type WriteCb = (err?: Error | null) => void;

class BunRaw implements RawConn {
  s: BunSocket<BunRaw> | null = null;
  readonly sink: Sink;
  /** The connect callback, until `open`. */
  opened: ((conn: RawConn | null, err?: Error) => void) | null = null;
  #paused = false;
  #rest: Uint8Array | null = null;
  #cb: WriteCb | null = null;
  #closed = false;

  constructor(sink: Sink) {
    this.sink = sink;
  }

  readStart(): void {
    if (this.#paused) {
      this.#paused = false;
      this.s!.resume();
    }
  }

  readStop(): void {
    if (!this.#paused && !this.#closed) {
      this.#paused = true;
      this.s!.pause();
    }
  }

  write(chunk: Uint8Array, cb: WriteCb): void {
    const n = this.s!.write(chunk);
    if (n === chunk.byteLength) return cb();
    if (n < 0) return cb(new Error("write EPIPE"));
    this.#rest = chunk.subarray(n);
    this.#cb = cb;
  }

  /** Bun's `drain`: write the rest of the pending chunk. */
  drain(): void {
    const rest = this.#rest;
    if (!rest) return;
    const n = this.s!.write(rest);
    if (n < 0) this.#rest = null;
    else if (n < rest.byteLength) return void (this.#rest = rest.subarray(n));
    this.#rest = null;
    const cb = this.#cb!;
    this.#cb = null;
    cb(n < 0 ? new Error("write EPIPE") : null);
  }

  shutdown(cb: WriteCb): void {
    this.s!.shutdown();
    cb();
  }

  close(cb: () => void): void {
    this.#closed = true;
    this.s?.end();
    cb();
  }

  setNoDelay(on: boolean): void {
    this.s!.setNoDelay(on);
  }

  /** Bun's `close`. */
  gone(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.sink.onClose();
  }
}

const handlers: BunSocketHandlers<BunRaw> = {
  open(s) {
    const raw = s.data;
    raw.s = s;
    const opened = raw.opened;
    raw.opened = null;
    opened?.(raw);
  },
  data: (s, d) => s.data.sink.onData(d),
  drain: (s) => s.data.drain(),
  end: (s) => s.data.sink.onEnd(),
  close: (s) => s.data.gone(),
  connectError(s, err) {
    const opened = s.data.opened;
    s.data.opened = null;
    opened?.(null, err);
  },
};

/** Bun.connect / Bun.listen as the floor's raw layer. */
export const bunBackend: Backend = {
  connect(host, port, sink, done) {
    const raw = new BunRaw(sink);
    raw.opened = done;
    bunApi().connect<BunRaw>({ hostname: host, port, allowHalfOpen: true, data: raw, socket: handlers }).catch(
      (err) => {
        if (raw.opened) raw.opened(null, err);
        raw.opened = null;
      },
    );
  },
  listen(host, port, onAccept) {
    const server = bunApi().listen<BunRaw>({
      hostname: host,
      port,
      allowHalfOpen: true,
      socket: {
        ...handlers,
        open(s) {
          onAccept((sink) => {
            const raw = new BunRaw(sink);
            raw.s = s;
            s.data = raw;
            return raw;
          });
        },
      },
    });
    return Promise.resolve({ port: server.port!, close: () => server.stop(true) });
  },
};
