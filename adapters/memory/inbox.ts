/**
 * What arrives at one end of a memory connection and is not read yet: the peer's bytes,
 * then its FIN or RST, in the order sent (later when a `latency` fault delays them). It
 * stands for both kernel buffers of its direction: bytes count against the bound from
 * the moment they are sent until they are read.
 *
 * What arrives while the network's ends take their turns (one round of `setImmediate`
 * callbacks, as one poll of the event loop's sockets) is read from the next round on: a
 * socket learns of new bytes at its next poll, not in the middle of the current one. Node
 * shows it: a write done at once in one socket's turn reaches its peer's reader only in a
 * later turn, after what the peer's own handle completes in this one.
 *
 * @module
 */
import { setImmediate } from "node:timers";
import { Arrivals } from "./pacing.ts";

/** The rounds of turns the process's memory connections have taken (all networks share it). */
let round = 0;
let marked = false;

/**
 * Mark the next round: call before scheduling a turn, so that the mark runs first in its
 * round and what arrives from then on waits for the round after it.
 */
export function markRound(): void {
  if (marked) return;
  marked = true;
  setImmediate(() => {
    round++;
    marked = false;
  });
}

/** One end's unread bytes and what follows them. */
export class Inbox {
  #chunks: Uint8Array[] = [];
  /** The round each chunk arrived in (read from the round after). */
  #rounds: number[] = [];
  #bytes = 0;
  #closed = false;
  #arrivals: Arrivals | null = null;
  readonly #wake: () => void;
  #end: "" | "fin" | "rst" = "";
  #endRound = 0;

  /** `wake` runs when something arrives late (the end's next turn). */
  constructor(wake: () => void) {
    this.#wake = wake;
  }

  /** What follows the bytes: the peer's FIN or RST, once it has arrived. */
  get end(): "" | "fin" | "rst" {
    return this.#end;
  }

  set end(end: "" | "fin" | "rst") {
    if (end !== this.#end) this.#endRound = round;
    this.#end = end;
  }

  /** Whether the FIN or RST has arrived and may be read (after every byte). */
  get endReadable(): boolean {
    return this.#end !== "" && this.#endRound < round && this.#chunks.length === 0;
  }

  /** Bytes sent to this end and not read: arrived or on the way. */
  get bytes(): number {
    return this.#bytes;
  }

  /** Whether bytes have arrived to be read now. */
  get ready(): boolean {
    return this.#chunks.length > 0 && this.#rounds[0] < round;
  }

  /** Whether what has arrived waits for the next round to be read. */
  get waiting(): boolean {
    return this.#chunks.length > 0 ? !this.ready : this.#end !== "" && this.#endRound >= round;
  }

  /** Run `fn` (an arrival from the peer) after `delay` ms, behind those already on the way. */
  later(delay: number, fn: () => void): void {
    if (this.#arrivals === null && delay <= 0) return fn();
    (this.#arrivals ??= new Arrivals(this.#wake)).add(delay, fn);
  }

  /** Bytes from the peer: `size` counted now, `pieces` readable once they arrive. */
  receive(size: number, pieces: Uint8Array[], delay: number): void {
    this.#bytes += size;
    this.later(delay, () => {
      if (this.#closed) return;
      this.#chunks.push(...pieces);
      for (let i = 0; i < pieces.length; i++) this.#rounds.push(round);
    });
  }

  /** The peer's FIN, after the bytes sent before it. */
  fin(delay: number): void {
    this.later(delay, () => this.end ||= "fin");
  }

  /** Read up to `max` bytes of the first chunk (a chunk is never joined with the next). */
  take(max: number): Uint8Array {
    let chunk = this.#chunks[0];
    if (chunk.byteLength > max) {
      this.#chunks[0] = chunk.subarray(max);
      chunk = chunk.subarray(0, max);
    } else {
      this.#chunks.shift();
      this.#rounds.shift();
    }
    this.#bytes -= chunk.byteLength;
    return chunk;
  }

  /** The end closed: drop what is here and whatever arrives later. */
  close(): void {
    this.#closed = true;
    this.#chunks = [];
    this.#rounds = [];
    this.#bytes = 0;
  }
}
