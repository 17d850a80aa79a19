// The Bun adapter's write queue. Bun's `socket.write` does not buffer: it takes what the
// kernel takes (maybe a part, maybe nothing) and reports the count; the rest is ours to
// keep, in order, until Bun's `drain` handler says the socket is writable again. A chunk
// written while nothing waits goes to Bun directly, unqueued. The queue is the base class
// of the connection, so it costs a connection no objects until something has to wait.
import type { WriteDone } from "../../src/contract.ts";
import type { BunSocket } from "./_bun_types.ts";
import { brokenPipeError, canceledError } from "./errors.ts";

/** Chunks below this size are copied into one buffer (one syscall) with their neighbours. */
const BATCH_BYTES = 64 * 1024;

type Done = WriteDone;

// WriteQueue's flags, one number (a connection is one object: every field costs each one).
const FLUSHING = 1;
const BLOCKED = 2;
/** The operation in flight is a shutdown (else a write). */
const INFLIGHT_SHUTDOWN = 4;

export { DONE, WRITTEN } from "./_gate.ts";
import { DONE, Gate, WRITTEN } from "./_gate.ts";

/** A queued write (`bufs`) or shutdown (`bufs === null`). */
interface WriteOp {
  bufs: Uint8Array[] | null;
  /** How many of the core's chunks each of `bufs` completes (see `pack`). */
  counts: number[] | null;
  done: Done;
  /** The buffer being written and the offset in it. */
  index: number;
  offset: number;
}

/**
 * Chunks as Bun should get them: a chunk of `BATCH_BYTES` or more as it is (never copied),
 * runs of smaller ones concatenated into one buffer of at most about `BATCH_BYTES`; with
 * how many of the chunks each buffer completes (empty chunks count with the buffer before
 * them, or the first one).
 */
function pack(chunks: Uint8Array[]): [Uint8Array[], number[]] {
  if (chunks.length === 1) return [chunks, [1]];
  const out: Uint8Array[] = [];
  const counts: number[] = [];
  let run: Uint8Array[] = [];
  let runBytes = 0;
  let empty = 0;
  const endRun = () => {
    if (run.length > 0) counts.push(run.length);
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
    if (n === 0) {
      if (counts.length > 0 && run.length === 0) counts[counts.length - 1]++;
      else if (run.length > 0) run.push(chunk);
      else empty++;
      continue;
    }
    if (n >= BATCH_BYTES) {
      endRun();
      out.push(chunk);
      counts.push(1);
      continue;
    }
    if (runBytes + n > BATCH_BYTES) endRun();
    run.push(chunk);
    runBytes += n;
  }
  endRun();
  if (counts.length > 0) counts[0] += empty;
  else if (empty > 0) {
    out.push(new Uint8Array(0));
    counts.push(empty);
  }
  return [out, counts];
}

/**
 * Writes and shutdowns in the order the core asked for them. Each finished operation's
 * `done` goes through `emit` (maybe inside the core's write(): the core's guard defers it).
 */
export abstract class WriteQueue extends Gate {
  /** What waits; null until something has to. */
  #ops: WriteOp[] | null = null;
  /** The `done` of a write or shutdown handed to Bun directly, while inside that call. */
  #inflight: Done | null = null;
  #bits = 0;

  get #flushing(): boolean {
    return (this.#bits & FLUSHING) !== 0;
  }
  set #flushing(on: boolean) {
    this.#bits = on ? this.#bits | FLUSHING : this.#bits & ~FLUSHING;
  }

  /** Bun took part of a buffer: nothing more goes until its `drain` (no futile syscalls). */
  get #blocked(): boolean {
    return (this.#bits & BLOCKED) !== 0;
  }
  set #blocked(on: boolean) {
    this.#bits = on ? this.#bits | BLOCKED : this.#bits & ~BLOCKED;
  }

  /** The syscall the operation in flight makes: what its failure names. */
  get #inflightSyscall(): string {
    return (this.#bits & INFLIGHT_SHUTDOWN) !== 0 ? "shutdown" : "write";
  }
  set #inflightSyscall(syscall: string) {
    this.#bits = syscall === "shutdown" ? this.#bits | INFLIGHT_SHUTDOWN : this.#bits & ~INFLIGHT_SHUTDOWN;
  }

  /** Whether writes wait (made while connecting). */
  protected get writesWaiting(): boolean {
    return this.#ops !== null && this.#ops.length > 0;
  }

  /**
   * Write one chunk, or (`null`) shut down: straight to Bun when nothing waits, what Bun
   * does not take kept until `drain`; else behind what waits.
   */
  protected writeOne(socket: BunSocket, chunk: Uint8Array | null, done: Done): void {
    const ops = this.#ops;
    if ((ops !== null && ops.length > 0) || this.#flushing || this.#blocked) {
      this.queueWrite(socket, chunk === null ? null : [chunk], done);
      return;
    }
    // A `close` handler Bun runs inside its call finishes `#inflight` (see failWrites).
    this.#inflight = done;
    this.#inflightSyscall = chunk === null ? "shutdown" : "write";
    let n = 0;
    if (chunk === null) socket.shutdown();
    else if (chunk.byteLength > 0) n = socket.write(chunk, 0, chunk.byteLength);
    if (this.#inflight === null) return;
    this.#inflight = null;
    if (chunk === null) this.emit(DONE, done);
    else if (n === chunk.byteLength) this.emit(WRITTEN, done, 1);
    else if (n < 0) this.emit(DONE, done, brokenPipeError("write")); // closed under us, or shut down
    else {
      (this.#ops ??= []).push({ bufs: [chunk], counts: [1], done, index: 0, offset: n });
      this.#blocked = true;
    }
  }

  /** Queue a write (`chunks`) or (`null`) a shutdown; write what Bun takes if `socket`. */
  protected queueWrite(socket: BunSocket | null, chunks: Uint8Array[] | null, done: Done): void {
    const [bufs, counts] = chunks === null ? [null, null] : pack(chunks);
    (this.#ops ??= []).push({ bufs, counts, done, index: 0, offset: 0 });
    if (socket !== null) this.flushWrites(socket);
  }

  /** Write as much as Bun takes now; the rest waits for the next `drain`. */
  protected flushWrites(socket: BunSocket): void {
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
  protected drainWrites(socket: BunSocket): void {
    this.#blocked = false;
    this.flushWrites(socket);
  }

  #flushOps(socket: BunSocket): void {
    for (;;) {
      const ops = this.#ops;
      if (ops === null || ops.length === 0) return;
      const op = ops[0];
      const bufs = op.bufs;
      if (bufs === null) {
        ops.shift();
        socket.shutdown();
        this.emit(DONE, op.done);
        continue;
      }
      let accepted = 0;
      while (op.index < bufs.length) {
        const buf = bufs[op.index];
        const left = buf.byteLength - op.offset;
        const n = left === 0 ? 0 : socket.write(buf, op.offset, left);
        if (this.#ops !== ops) return; // the socket closed inside write(): all finished
        if (n < 0) {
          // Closed under us (its `close` handler reports why) or shut down.
          if (accepted > 0) this.emit(WRITTEN, op.done, accepted);
          this.failWrites(brokenPipeError);
          return;
        }
        if (n < left) {
          op.offset += n;
          this.#blocked = true;
          if (accepted > 0) this.emit(WRITTEN, op.done, accepted);
          return;
        }
        accepted += op.counts![op.index];
        op.index++;
        op.offset = 0;
      }
      ops.shift();
      this.emit(WRITTEN, op.done, accepted);
    }
  }

  /** Whether a write or shutdown has not finished (waiting, or inside Bun's call). */
  protected get writesPending(): boolean {
    return this.#inflight !== null || this.writesWaiting;
  }

  /**
   * The oldest unfinished write or shutdown fails with `error(syscall)`: it is the one that
   * finds a failure (libuv's write request that gets the socket's error).
   */
  protected failFirstWrite(error: (syscall: string) => Error): void {
    const inflight = this.#inflight;
    if (inflight !== null) {
      this.#inflight = null;
      this.emit(DONE, inflight, error(this.#inflightSyscall));
      return;
    }
    const op = this.#ops?.shift();
    if (op !== undefined) this.emit(DONE, op.done, error(op.bufs === null ? "shutdown" : "write"));
  }

  /** Finish every write and shutdown with an error (`ECANCELED` when the handle closed). */
  protected failWrites(error: (syscall: string) => Error = canceledError): void {
    const inflight = this.#inflight;
    if (inflight !== null) {
      this.#inflight = null;
      this.emit(DONE, inflight, error(this.#inflightSyscall));
    }
    const ops = this.#ops;
    if (ops === null) return;
    this.#ops = null;
    for (const op of ops) this.emit(DONE, op.done, error(op.bufs === null ? "shutdown" : "write"));
  }
}
