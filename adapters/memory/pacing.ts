/**
 * The timing faults give one end of a memory connection: what arrives late (`latency`),
 * in the order it was sent, and the ticks of a slow reader on a timer. Both run on
 * `node:timers`, never on a busy wait.
 *
 * @module
 */
import { setTimeout } from "node:timers";

/** What arrives late at one end of a connection (bytes, FIN, RST), in the order sent. */
export class Arrivals {
  #queue: { at: number; fn: () => void }[] = [];
  readonly #arrived: () => void;

  /** `arrived` runs after each batch of arrivals (the end's next turn). */
  constructor(arrived: () => void) {
    this.#arrived = arrived;
  }

  /** Run `fn` after `delay` ms, behind what is on the way; now when nothing is and `delay` is 0. */
  add(delay: number, fn: () => void): void {
    const queue = this.#queue;
    if (queue.length === 0 && delay <= 0) return fn();
    const at = Math.max(Date.now() + delay, queue.length > 0 ? queue[queue.length - 1].at : 0);
    queue.push({ at, fn });
    if (queue.length === 1) this.#arm();
  }

  #arm(): void {
    setTimeout(() => {
      const queue = this.#queue;
      const now = Date.now();
      // The head is due (its timer fired); the rest as the clock says.
      do queue.shift()!.fn(); while (queue.length > 0 && queue[0].at <= now);
      if (queue.length > 0) this.#arm();
      this.#arrived();
    }, Math.max(0, this.#queue[0].at - Date.now()));
  }
}

/** A slow reader's clock on a timer: one read every `intervalMs`, woken when the next is due. */
export class ReadPacer {
  #next = 0;
  #armed = false;
  readonly #wake: () => void;

  /** `wake` runs when the next read is due. */
  constructor(wake: () => void) {
    this.#wake = wake;
  }

  /** The bytes the reader may take now: `bytes` once an interval, 0 in between. */
  take(bytes: number, intervalMs: number): number {
    const now = Date.now();
    const due = now >= this.#next;
    if (due) this.#next = now + intervalMs;
    if (!this.#armed) {
      this.#armed = true;
      setTimeout(() => {
        this.#armed = false;
        this.#wake();
      }, this.#next - now);
    }
    return due ? bytes : 0;
  }
}
