// The socket idle timer behind setTimeout(): unref'd (never keeps the process alive),
// refreshed by reads and writes, and cleared on destroy.
import { clearTimeout, setTimeout } from "node:timers";
import type { RuntimeAdapter } from "../contract.ts";
import { kAdapter } from "../_symbols.ts";
import { ERR_OUT_OF_RANGE } from "../errors/errors.ts";
import { validateNumber } from "../errors/validators.ts";

const TIMEOUT_MAX = 2 ** 31 - 1;

/**
 * Node's `getTimerDuration`: a non-negative finite number; values past 2^31-1 are
 * truncated with a `TimeoutOverflowWarning` (through the adapter, when there is one).
 */
export function getTimerDuration(msecs: unknown, name: string, adapter?: RuntimeAdapter): number {
  validateNumber(msecs, name);
  if (msecs < 0 || !Number.isFinite(msecs)) {
    throw ERR_OUT_OF_RANGE(name, "a non-negative finite number", msecs);
  }
  if (msecs > TIMEOUT_MAX) {
    adapter?.emitWarning(
      `${msecs} does not fit into a 32-bit signed integer.\nTimer duration was truncated to ${TIMEOUT_MAX}.`,
      { type: "TimeoutOverflowWarning" },
    );
    return TIMEOUT_MAX;
  }
  return msecs;
}

/** What an idle timer times: a socket, which warns through its adapter. */
export interface IdleTarget {
  emit(event: "timeout"): unknown;
  readonly [kAdapter]?: RuntimeAdapter;
}

/**
 * One idle timer emitting `'timeout'` on its target after `ms` without activity. A socket
 * starts with `IdleTimer.none` (shared, never set: refresh and clear do nothing) and gets
 * its own at its first setTimeout(), so the many sockets that never call it cost nothing.
 */
export class IdleTimer {
  /** The timer of every socket that has not called setTimeout(): set() must not be called on it. */
  static readonly none: IdleTimer = new IdleTimer(null!);

  #target: IdleTarget;
  #timer: ReturnType<typeof setTimeout> | null = null;

  // Most sockets never set a timeout: the callback is made only by set().
  constructor(target: IdleTarget) {
    this.#target = target;
  }

  /** Validate and apply `socket.setTimeout(ms)`; 0 stops the timer. */
  set(msecs: unknown): void {
    const ms = getTimerDuration(msecs, "msecs", this.#target[kAdapter]);
    this.clear();
    if (ms === 0) return;
    const target = this.#target;
    this.#timer = setTimeout(() => target.emit("timeout"), ms);
    this.#timer.unref?.();
  }

  /** Activity: start the countdown again. */
  refresh(): void {
    this.#timer?.refresh();
  }

  /** Stop the timer. */
  clear(): void {
    if (this.#timer) {
      clearTimeout(this.#timer);
      this.#timer = null;
    }
  }
}
