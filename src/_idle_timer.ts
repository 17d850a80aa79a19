// The socket idle timer behind setTimeout(): unref'd (never keeps the process alive),
// refreshed by reads and writes, and cleared on destroy.
import { clearTimeout, setTimeout } from "node:timers";
import { validateFunction, validateNumber } from "./validators.ts";

const TIMEOUT_MAX = 2 ** 31 - 1;

/** One idle timer calling `onTimeout` after `ms` without activity. */
export class IdleTimer {
  #onTimeout: () => void;
  #timer: ReturnType<typeof setTimeout> | null = null;
  #ms: number | undefined = undefined;

  constructor(onTimeout: () => void) {
    this.#onTimeout = onTimeout;
  }

  /** The current timeout in ms, or undefined when none is set. */
  get ms(): number | undefined {
    return this.#ms;
  }

  /** Validate and apply `socket.setTimeout(ms)`; 0 clears. */
  set(ms: unknown): void {
    validateNumber(ms, "msecs", 0);
    this.clear();
    if (ms === 0) {
      this.#ms = undefined;
      return;
    }
    this.#ms = ms > TIMEOUT_MAX ? TIMEOUT_MAX : ms;
    this.#timer = setTimeout(this.#onTimeout, this.#ms);
    this.#timer.unref?.();
  }

  /** Activity: start the countdown again. */
  refresh(): void {
    this.#timer?.refresh();
  }

  /** Stop the timer (keeps `ms` for the `timeout` property). */
  clear(): void {
    if (this.#timer) {
      clearTimeout(this.#timer);
      this.#timer = null;
    }
  }
}

/** Validate a setTimeout callback argument (Node validates it even when clearing). */
export function validateTimeoutCallback(callback: unknown): void {
  if (callback !== undefined) validateFunction(callback, "callback");
}
