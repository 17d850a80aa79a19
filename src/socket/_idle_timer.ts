// The socket idle timer behind setTimeout(): unref'd (never keeps the process alive),
// refreshed by reads and writes, and cleared on destroy.
import { clearTimeout, setTimeout } from "node:timers";
import { ERR_OUT_OF_RANGE } from "../errors/errors.ts";
import { validateNumber } from "../errors/validators.ts";

const TIMEOUT_MAX = 2 ** 31 - 1;

/**
 * Node's `getTimerDuration`: a non-negative finite number; values past 2^31-1 are
 * truncated with a `TimeoutOverflowWarning`.
 */
export function getTimerDuration(msecs: unknown, name: string): number {
  validateNumber(msecs, name);
  if (msecs < 0 || !Number.isFinite(msecs)) {
    throw ERR_OUT_OF_RANGE(name, "a non-negative finite number", msecs);
  }
  if (msecs > TIMEOUT_MAX) {
    const warn = (globalThis as { process?: { emitWarning?: (msg: string, type: string) => void } }).process
      ?.emitWarning;
    warn?.(
      `${msecs} does not fit into a 32-bit signed integer.\nTimer duration was truncated to ${TIMEOUT_MAX}.`,
      "TimeoutOverflowWarning",
    );
    return TIMEOUT_MAX;
  }
  return msecs;
}

/** One idle timer emitting `'timeout'` on its target after `ms` without activity. */
export class IdleTimer {
  #target: { emit(event: "timeout"): unknown };
  #timer: ReturnType<typeof setTimeout> | null = null;

  // Most sockets never set a timeout: the callback is made only by set().
  constructor(target: { emit(event: "timeout"): unknown }) {
    this.#target = target;
  }

  /** Validate and apply `socket.setTimeout(ms)`; 0 stops the timer. */
  set(msecs: unknown): void {
    const ms = getTimerDuration(msecs, "msecs");
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
