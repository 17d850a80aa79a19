// The Bun connection's own re-entrancy gate, so that the core holds it without its guard
// (the `reentrySafe` capability: no guard object per connection, no closure per write).
// Bun runs some of its handlers inside the calls made for the core (`close` inside
// `end()`), and the connection answers some calls at once (a write on a closed socket):
// a sink call made while a core call is on the stack waits, and the waiting ones run from
// one microtask, in order, as the core's guard (src/_reentry.ts) would run them. A write's
// own `done` inside its `write` is libuv's try_write: it reaches the core once the write's
// body returned, still inside the core's call. The root of the connection's classes, so a
// connection stays one object: two fields.
import type { WriteDone } from "../../src/contract.ts";
import { rethrow } from "./_util.ts";

// Sink call kinds the gate must tell apart (the subclasses define the rest).
/** `a(b, 0)`: a write or shutdown is over, `b` its error if any. */
export const DONE = 0;
/** `a(undefined, b)`: a write's progress, `b` chunks. */
export const WRITTEN = 6;
/** The one onClose. */
export const CLOSE = 5;

/** `#bits`: core calls on the stack (from bit 2 on), and two flags. */
const FLUSH_QUEUED = 1;
const CORE_CLOSED = 2;
const DEPTH_UNIT = 4;

// The report of the write whose `write` call is on the stack. Writes do not nest (the core
// runs nothing inside an adapter's call), so one set serves every connection.
let syncDone: WriteDone | null = null;
let syncCalled = false;
let syncAccepted = 0;
let syncError: Error | undefined;

/** Defers sink calls made inside the core's calls; see the module comment. */
export abstract class Gate {
  #bits = 0;
  /** Sink calls waiting, three slots each; null when none wait. */
  #waiting: unknown[] | null = null;

  /** Make one sink call now (`kind` as the subclass defines it). */
  protected abstract dispatch(kind: number, a: unknown, b: unknown): void;

  /** A core call begins. */
  protected enter(): void {
    this.#bits += DEPTH_UNIT;
  }

  /** A core call ends: what waits runs from a microtask once none is on the stack. */
  protected leave(): void {
    this.#bits -= DEPTH_UNIT;
    if (this.#bits < DEPTH_UNIT && this.#waiting !== null) this.#queueFlush();
  }

  /**
   * The core's `write` with `done` begins: what the connection reports of `done` until
   * {@link endWrite} is held (libuv's try_write). Writes do not nest: nothing of the
   * core's runs inside the body (its calls wait), so one report at a time.
   */
  protected beginWrite(done: WriteDone): void {
    syncDone = done;
    syncCalled = false;
    syncAccepted = 0;
    syncError = undefined;
    this.#bits += DEPTH_UNIT;
  }

  /**
   * The write's body returned: the held report reaches `done` now, inside the core's call,
   * ahead of what the body made wait.
   */
  protected endWrite(done: WriteDone): void {
    const called = syncCalled;
    const accepted = syncAccepted;
    const error = syncError;
    syncDone = null;
    syncError = undefined;
    this.#bits -= DEPTH_UNIT;
    if (called) {
      // What waits now was made after this report (a report with something waiting before
      // it was not held, see emit): it goes first.
      if (this.#bits < DEPTH_UNIT) {
        try {
          done(error, accepted);
        } catch (err) {
          rethrow(err);
        }
      } else {
        if (accepted > 0 || error === undefined) this.#wait(WRITTEN, done, accepted);
        if (error !== undefined) this.#wait(DONE, done, error);
      }
    }
    if (this.#bits < DEPTH_UNIT && this.#waiting !== null) this.#queueFlush();
  }

  /** The core called close() or reset(): from now on only `done`s and onClose reach it. */
  protected coreClosed(): void {
    this.#bits |= CORE_CLOSED;
    const waiting = this.#waiting;
    if (waiting === null) return;
    const kept: unknown[] = [];
    for (let i = 0; i < waiting.length; i += 3) {
      if (keptAfterClose(waiting[i] as number)) kept.push(waiting[i], waiting[i + 1], waiting[i + 2]);
    }
    this.#waiting = kept.length > 0 ? kept : null;
  }

  /**
   * Whether a sink call made now would be made at once (no core call on the stack, nothing
   * waiting): the read path's fast case, which then skips emit's checks and dispatch's switch.
   */
  protected get callsNow(): boolean {
    return this.#bits < DEPTH_UNIT && this.#waiting === null;
  }

  /** One sink call: now, or after what waits and once no core call is on the stack. */
  protected emit(kind: number, a?: unknown, b?: unknown): void {
    if ((this.#bits & CORE_CLOSED) !== 0 && !keptAfterClose(kind)) return;
    if ((kind === DONE || kind === WRITTEN) && a === syncDone && this.#waiting === null) {
      syncCalled = true;
      if (kind === WRITTEN) syncAccepted += b as number;
      else if (b !== undefined) syncError = b as Error;
      return;
    }
    if (this.#bits < DEPTH_UNIT && this.#waiting === null) {
      try {
        this.dispatch(kind, a, b);
      } catch (err) {
        rethrow(err);
      }
      return;
    }
    this.#wait(kind, a, b);
    if (this.#bits < DEPTH_UNIT) this.#queueFlush();
  }

  #wait(kind: number, a: unknown, b: unknown): void {
    (this.#waiting ??= []).push(kind, a, b);
  }

  #queueFlush(): void {
    if ((this.#bits & FLUSH_QUEUED) !== 0) return;
    this.#bits |= FLUSH_QUEUED;
    queueMicrotask(() => this.#flush());
  }

  #flush(): void {
    this.#bits &= ~FLUSH_QUEUED;
    // Calls made meanwhile join the same list, behind the others.
    for (;;) {
      const waiting = this.#waiting;
      if (waiting === null || this.#bits >= DEPTH_UNIT) return;
      if (waiting.length === 0) {
        this.#waiting = null;
        return;
      }
      // Read the first three slots, then drop them (no array per call for the common
      // single call; splice only when more wait).
      const kind = waiting[0] as number, a = waiting[1], b = waiting[2];
      if (waiting.length === 3) waiting.length = 0;
      else waiting.splice(0, 3);
      if ((this.#bits & CORE_CLOSED) !== 0 && !keptAfterClose(kind)) continue;
      try {
        this.dispatch(kind, a, b);
      } catch (err) {
        rethrow(err);
      }
    }
  }
}

function keptAfterClose(kind: number): boolean {
  return kind === DONE || kind === WRITTEN || kind === CLOSE;
}
