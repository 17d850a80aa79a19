/**
 * What arrives at one end of a memory connection and is not read yet: the peer's bytes,
 * then its FIN or RST, in the order sent (later when a `latency` fault delays them). It
 * stands for both kernel buffers of its direction: bytes count against the bound from
 * the moment they are sent until they are read.
 *
 * @module
 */
import { Arrivals } from "./pacing.ts";

/** One end's unread bytes and what follows them. */
export class Inbox {
  #chunks: Uint8Array[] = [];
  #bytes = 0;
  #closed = false;
  #arrivals: Arrivals | null = null;
  readonly #wake: () => void;
  /** What follows the bytes: the peer's FIN or RST, once it has arrived. */
  end: "" | "fin" | "rst" = "";

  /** `wake` runs when something arrives late (the end's next turn). */
  constructor(wake: () => void) {
    this.#wake = wake;
  }

  /** Bytes sent to this end and not read: arrived or on the way. */
  get bytes(): number {
    return this.#bytes;
  }

  /** Whether bytes have arrived to be read. */
  get ready(): boolean {
    return this.#chunks.length > 0;
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
      if (!this.#closed) this.#chunks.push(...pieces);
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
    }
    this.#bytes -= chunk.byteLength;
    return chunk;
  }

  /** The end closed: drop what is here and whatever arrives later. */
  close(): void {
    this.#closed = true;
    this.#chunks = [];
    this.#bytes = 0;
  }
}
