// The Deno adapter's write queue: writes and shutdowns in the order the core asked for
// them, one Deno op in flight. A write made while nothing waits goes to Deno at once,
// unqueued; the rest waits, and starts once the connection is open (`startWrites`). The
// queue is the base class of the connection, so it costs a connection no object.
import type { WriteDone } from "../../src/contract.ts";
import type { DenoConn } from "./_deno_api.ts";
import { callDone } from "./_util.ts";
import { writeChunks, writeRest } from "./_write.ts";
import { canceledError, fromDenoError } from "./errors.ts";

/** A queued write (`chunks`) or shutdown (`chunks === null`). */
interface WriteOp {
  chunks: Uint8Array[] | null;
  done: WriteDone;
}

/** Writes and shutdowns for one connection, in order. */
export abstract class WriteQueue {
  #queue: WriteOp[] = [];
  #pump: Promise<void> | null = null;
  #pumping = false;

  /** The connection to write to; null while connecting. */
  protected abstract get writeTarget(): DenoConn | null;
  /** close() was called or the connection failed: what waits is cancelled. */
  protected abstract get closing(): boolean;

  /** Settles once the writes in flight have. */
  protected get writesSettled(): Promise<void> | null {
    return this.#pump;
  }

  /** The connection opened: what the core wrote while connecting goes now. */
  protected startWrites(conn: DenoConn): void {
    if (this.#queue.length > 0) this.#startPump(conn);
  }

  write(chunks: Uint8Array[], done: WriteDone): void {
    const conn = this.writeTarget;
    if (chunks.length === 1 && chunks[0].byteLength > 0 && conn !== null && !this.#pumping && !this.closing) {
      this.#pumping = true;
      this.#pump = this.#writeNow(conn, chunks[0], done);
    } else {
      this.#enqueue({ chunks, done }, "write");
    }
  }

  shutdown(done: (err?: Error | null) => void): void {
    const conn = this.writeTarget;
    if (conn !== null && !this.#pumping && !this.closing) {
      this.#pumping = true;
      this.#pump = this.#writeNow(conn, null, done);
    } else {
      this.#enqueue({ chunks: null, done }, "shutdown");
    }
  }

  /**
   * The queue is idle: write one non-empty chunk (or shut down, `null`) at once, without
   * queueing it; what is queued meanwhile runs after it.
   */
  async #writeNow(conn: DenoConn, chunk: Uint8Array | null, done: WriteDone): Promise<void> {
    let error: Error | undefined;
    try {
      if (chunk === null) await conn.closeWrite();
      else {
        const n = await conn.write(chunk);
        if (n !== chunk.byteLength) await writeRest(conn, chunk, n);
      }
    } catch (err) {
      const syscall = chunk === null ? "shutdown" : "write";
      error = this.closing ? canceledError(syscall) : fromDenoError(err, syscall);
    }
    if (this.#queue.length === 0) {
      // Nothing waits: give the queue up before `done`, so a write made inside it goes
      // straight to Deno too. This call touches nothing after `done`.
      this.#pumping = false;
      callDone(done, error, error || chunk === null ? 0 : 1);
      return;
    }
    callDone(done, error, error || chunk === null ? 0 : 1);
    await this.#runPump(conn);
  }

  #enqueue(op: WriteOp, syscall: string): void {
    if (this.closing) {
      callDone(op.done, canceledError(syscall));
      return;
    }
    this.#queue.push(op);
    const conn = this.writeTarget;
    if (!this.#pumping && conn !== null) this.#startPump(conn);
  }

  #startPump(conn: DenoConn): void {
    this.#pumping = true;
    this.#pump = this.#runPump(conn);
  }

  async #runPump(conn: DenoConn): Promise<void> {
    const queue = this.#queue;
    try {
      while (queue.length > 0) {
        const op = queue.shift()!;
        const syscall = op.chunks === null ? "shutdown" : "write";
        if (this.closing) {
          callDone(op.done, canceledError(syscall));
          continue;
        }
        let error: Error | undefined;
        try {
          if (op.chunks === null) await conn.closeWrite();
          else await writeChunks(conn, op.chunks, (n) => callDone(op.done, undefined, n));
        } catch (err) {
          error = this.closing ? canceledError(syscall) : fromDenoError(err, syscall);
        }
        // A write's last accepted(n) ended it; a shutdown ends here, a failure too.
        if (error || op.chunks === null) callDone(op.done, error);
      }
    } finally {
      // Cleared in the same turn the queue was found empty, so a write() right after
      // the last done() starts a new pump.
      this.#pumping = false;
    }
  }
}
