// Keeps the contract's first rule for the Bun adapter: never call the sink synchronously
// inside a call the core made. Bun runs some handlers synchronously inside the calls the
// adapter makes for the core (`close` inside `end()` and `terminate()`), and a write can
// finish inside `write()`. Sink calls made while a core call is on the stack wait for a
// microtask; every later call queues behind them, so the order is kept. When no core call
// is on the stack and nothing waits, a sink call runs at once.
//
// The gate is a base class of the connection (no object of its own), and a waiting call
// is three slots of one array (its kind and two arguments), not a closure.
import { rethrow } from "./_util.ts";

/** The kind of a write's or shutdown's `done`: it runs even when close() drops the rest. */
export const DONE = 0;

/** Sink calls for one connection, made now or after the current core call returns. */
export abstract class SinkGate {
  /** Core calls on the stack. */
  #depth = 0;
  /** Waiting calls, three slots each (kind, a, b), from `#head` on; null when none wait. */
  #pending: unknown[] | null = null;
  #head = 0;
  /** In the list of gates to flush at the next microtask. */
  #flushQueued = false;

  static #toFlush: SinkGate[] = [];
  static #microtaskQueued = false;

  /** Make one sink call (`kind` as the subclass defines it, with its arguments). */
  protected abstract dispatch(kind: number, a: unknown, b: unknown): void;

  /** A core call begins: sink calls wait until it ends. Pair with `leave()` (try/finally). */
  protected enter(): void {
    this.#depth++;
  }

  /** A core call ends; what waits runs at the next microtask. */
  protected leave(): void {
    if (--this.#depth === 0 && this.#pending !== null) SinkGate.#schedule(this);
  }

  /** Make a sink call now, or after the current core call returns; order is kept either way. */
  protected emit(kind: number, a?: unknown, b?: unknown): void {
    if (this.#depth === 0 && this.#pending === null) this.#call(kind, a, b);
    else (this.#pending ??= []).push(kind, a, b);
  }

  /** Forget the waiting sink calls (close() was called), keeping writes' `done`s. */
  protected dropSinkCalls(): void {
    const pending = this.#pending;
    if (pending === null) return;
    const kept: unknown[] = [];
    for (let i = this.#head; i < pending.length; i += 3) {
      if (pending[i] === DONE) kept.push(DONE, pending[i + 1], pending[i + 2]);
    }
    this.#pending = kept.length > 0 ? kept : null;
    this.#head = 0;
  }

  #call(kind: number, a: unknown, b: unknown): void {
    try {
      this.dispatch(kind, a, b);
    } catch (err) {
      rethrow(err); // a user's listener threw: an uncaught error, as in Node, not the adapter's
    }
  }

  #flush(): void {
    for (;;) {
      const pending = this.#pending;
      if (pending === null || this.#depth !== 0) return;
      const i = this.#head;
      if (i >= pending.length) {
        this.#pending = null;
        this.#head = 0;
        return;
      }
      this.#head = i + 3;
      this.#call(pending[i] as number, pending[i + 1], pending[i + 2]);
    }
  }

  /** Flush `gate` at the next microtask; one microtask serves every gate waiting. */
  static #schedule(gate: SinkGate): void {
    if (gate.#flushQueued) return;
    gate.#flushQueued = true;
    SinkGate.#toFlush.push(gate);
    if (SinkGate.#microtaskQueued) return;
    SinkGate.#microtaskQueued = true;
    queueMicrotask(SinkGate.#flushAll);
  }

  static #flushAll(this: void): void {
    const gates = SinkGate.#toFlush;
    // Gates scheduled while flushing join the loop.
    for (let i = 0; i < gates.length; i++) {
      const gate = gates[i];
      gate.#flushQueued = false;
      gate.#flush();
    }
    gates.length = 0;
    SinkGate.#microtaskQueued = false;
  }
}
