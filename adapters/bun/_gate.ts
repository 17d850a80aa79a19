// Keeps the contract's first rule for the Bun adapter: never call the sink synchronously
// inside a call the core made. Bun runs some handlers synchronously inside the calls the
// adapter makes for the core (`close` inside `end()` and `terminate()`), and a write can
// finish inside `write()`. Sink calls made while a core call is on the stack wait for a
// microtask; every later call queues behind them, so the order is kept.
import { deliver } from "./_util.ts";

/** A sink call that waits for the current core call to return. */
interface Pending {
  call: () => void;
  /** A write's `done`: it runs even when close() drops the other waiting calls. */
  done: boolean;
}

/** The per-connection gate between Bun's handlers and the core's sink. */
export class SinkGate {
  #depth = 0;
  #pending: Pending[] = [];

  /** Run `fn`, a core call into the adapter (and maybe Bun): sink calls inside it wait. */
  run<T>(fn: () => T): T {
    this.#depth++;
    try {
      return fn();
    } finally {
      if (--this.#depth === 0 && this.#pending.length > 0) queueMicrotask(() => this.#flush());
    }
  }

  /** Call the sink now, or after the current core call returns; order is kept either way. */
  emit(call: () => void, done = false): void {
    if (this.#depth > 0 || this.#pending.length > 0) this.#pending.push({ call, done });
    else deliver(call);
  }

  /** Forget the waiting sink calls (close() was called), keeping writes' `done`s. */
  dropSinkCalls(): void {
    this.#pending = this.#pending.filter((p) => p.done);
  }

  #flush(): void {
    const pending = this.#pending;
    while (pending === this.#pending && pending.length > 0 && this.#depth === 0) deliver(pending.shift()!.call);
  }
}
