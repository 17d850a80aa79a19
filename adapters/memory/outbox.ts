/**
 * One end's writes on their way into its peer's inbox (libuv's write queue) and the
 * `done`s they owe the core: which chunks of a write the kernel took, or how it failed.
 * A `done` is owed at once (a write's first try, libuv's `uv_try_write`) or on a later
 * turn (what the pump moves as the peer reads, and errors libuv learns on a later try).
 *
 * @module
 */
import type { WriteDone } from "../../src/contract.ts";
import { canceledError } from "./errors.ts";

/** A `done` to call: its error, or the chunks newly accepted; `later`: not at once. */
export type Completion = [done: WriteDone, err: Error | undefined, accepted: number, later?: boolean];

/** A queued write (`data`) or shutdown (`data === null`). */
export interface Op {
  data: Uint8Array | null;
  offset: number;
  done: WriteDone;
  /** Where each of the core's chunks ends in `data` (a write's). */
  ends: number[] | null;
  /** How many chunks were reported accepted. */
  reported: number;
}

/** A write of the core's chunks, copied: the peer owns what it reads, and the core may reuse its views. */
export function writeOp(chunks: Uint8Array[], done: WriteDone): Op {
  let size = 0;
  for (const c of chunks) size += c.byteLength;
  const data = new Uint8Array(size);
  let at = 0;
  const ends: number[] = [];
  for (const c of chunks) {
    data.set(c, at);
    at += c.byteLength;
    ends.push(at);
  }
  return { data, offset: 0, done, ends, reported: 0 };
}

/** A shutdown, queued behind the writes. */
export function shutdownOp(done: WriteDone): Op {
  return { data: null, offset: 0, done, ends: null, reported: 0 };
}

/** One end's queued writes and owed `done`s. */
export class Outbox {
  /** Writes and shutdowns not over yet, in order. */
  ops: Op[] = [];
  /** `done`s owed, in order. */
  completions: Completion[] = [];

  /** Nothing queued and nothing owed: a write may be tried at once. */
  get idle(): boolean {
    return this.ops.length === 0 && this.completions.length === 0;
  }

  /** `op` ends with `ECANCELED`: the handle closed under it. */
  cancel(op: Op): void {
    this.completions.push([op.done, canceledError(op.data ? "write" : "shutdown"), 0]);
  }

  /** Every queued op ends with `ECANCELED`. */
  cancelAll(): void {
    for (const op of this.ops) this.cancel(op);
    this.ops = [];
  }

  /** Report the chunks of `op` now wholly in the peer's inbox. */
  progress(op: Op): void {
    const ends = op.ends!;
    let i = op.reported;
    while (i < ends.length && ends[i] <= op.offset) i++;
    if (i === op.reported) return;
    this.completions.push([op.done, undefined, i - op.reported]);
    op.reported = i;
  }

  /** `op` is over: failed with `err` (`later`: on a later turn), or every chunk left is accepted. */
  finish(op: Op, err: Error | undefined, later = false): void {
    const left = op.ends === null || err ? 0 : op.ends.length - op.reported;
    op.reported += left;
    this.completions.push([op.done, err, left, later]);
  }

  /** The `done`s owed now: all of them (a turn), or those before the first that waits (`now`). */
  take(now = false): Completion[] {
    const all = this.completions;
    let n = all.length;
    if (now) {
      n = 0;
      while (n < all.length && !all[n][3]) n++;
    }
    this.completions = all.slice(n);
    return n === all.length ? all : all.slice(0, n);
  }
}
