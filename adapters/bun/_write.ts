// The Bun adapter's write queue. Bun's `socket.write` does not buffer: it takes what the
// kernel takes (maybe a part, maybe nothing) and reports the count; the rest is ours to
// keep, in order, until Bun's `drain` handler says the socket is writable again.
import type { BunSocket } from "./_bun_types.ts";
import { brokenPipeError, canceledError } from "./errors.ts";

/** Chunks below this size are copied into one buffer (one syscall) with their neighbours. */
const BATCH_BYTES = 64 * 1024;

type Done = (err?: Error | null) => void;

/** A queued write (`bufs`) or shutdown (`bufs === null`). */
interface WriteOp {
  bufs: Uint8Array[] | null;
  done: Done;
  /** The buffer being written and the offset in it. */
  index: number;
  offset: number;
}

/**
 * Chunks as Bun should get them: a chunk of `BATCH_BYTES` or more as it is (never copied),
 * runs of smaller ones concatenated into one buffer of at most about `BATCH_BYTES`.
 */
function pack(chunks: Uint8Array[]): Uint8Array[] {
  if (chunks.length === 1) return chunks;
  const out: Uint8Array[] = [];
  let run: Uint8Array[] = [];
  let runBytes = 0;
  const endRun = () => {
    if (run.length === 1) out.push(run[0]);
    else if (run.length > 1) {
      const joined = new Uint8Array(runBytes);
      let at = 0;
      for (const c of run) {
        joined.set(c, at);
        at += c.byteLength;
      }
      out.push(joined);
    }
    run = [];
    runBytes = 0;
  };
  for (const chunk of chunks) {
    const n = chunk.byteLength;
    if (n === 0) continue;
    if (n >= BATCH_BYTES) {
      endRun();
      out.push(chunk);
      continue;
    }
    if (runBytes + n > BATCH_BYTES) endRun();
    run.push(chunk);
    runBytes += n;
  }
  endRun();
  return out;
}

/**
 * Writes and shutdowns in the order the core asked for them. `flush` hands Bun what it
 * takes and reports each finished operation through `finish`, which the connection
 * delivers (deferred when the flush runs inside a core call).
 */
export class WriteQueue {
  #ops: WriteOp[] = [];
  #flushing = false;
  /** Bun took part of a buffer: nothing more goes until its `drain` (no futile syscalls). */
  #blocked = false;
  #finish: (done: Done, err?: Error) => void;

  constructor(finish: (done: Done, err?: Error) => void) {
    this.#finish = finish;
  }

  /** Whether nothing waits to be written. */
  get idle(): boolean {
    return this.#ops.length === 0;
  }

  /** Queue a write (`chunks`) or, with `null`, a shutdown after everything before it. */
  push(chunks: Uint8Array[] | null, done: Done): void {
    this.#ops.push({ bufs: chunks === null ? null : pack(chunks), done, index: 0, offset: 0 });
  }

  /** Write as much as Bun takes now; the rest waits for the next `drain`. */
  flush(socket: BunSocket): void {
    // A `done` may write again: the loop already running picks that up, in order.
    if (this.#flushing || this.#blocked) return;
    this.#flushing = true;
    try {
      this.#flushOps(socket);
    } finally {
      this.#flushing = false;
    }
  }

  /** Bun's `drain`: the socket takes bytes again. */
  drain(socket: BunSocket): void {
    this.#blocked = false;
    this.flush(socket);
  }

  #flushOps(socket: BunSocket): void {
    while (this.#ops.length > 0) {
      const ops = this.#ops;
      const op = ops[0];
      const bufs = op.bufs;
      if (bufs === null) {
        ops.shift();
        socket.shutdown();
        this.#finish(op.done);
        continue;
      }
      while (op.index < bufs.length) {
        const buf = bufs[op.index];
        const left = buf.byteLength - op.offset;
        const n = socket.write(buf, op.offset, left);
        if (this.#ops !== ops) return; // the socket closed inside write(): all finished
        if (n < 0) {
          // Closed under us (its `close` handler reports why) or shut down.
          this.fail(brokenPipeError);
          return;
        }
        if (n < left) {
          op.offset += n;
          this.#blocked = true;
          return;
        }
        op.index++;
        op.offset = 0;
      }
      ops.shift();
      this.#finish(op.done);
    }
  }

  /** Finish every queued operation with an error (`ECANCELED` when the handle closed). */
  fail(error: (syscall: string) => Error = canceledError): void {
    const ops = this.#ops;
    this.#ops = [];
    for (const op of ops) this.#finish(op.done, error(op.bufs === null ? "shutdown" : "write"));
  }
}
