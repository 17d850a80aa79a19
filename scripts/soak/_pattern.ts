// A seeded byte stream that a receiver can check without a copy of what was sent: byte i
// of stream `seed` is pattern(seed)[i mod PERIOD]. PERIOD is prime, so no write or read
// size lines up with it and a lost, doubled or reordered chunk shows at once.
import { Buffer } from "node:buffer";

/** Length of one period of the pattern (a prime just above 1 MiB). */
export const PERIOD = 1_048_583;

/** A small seeded PRNG (mulberry32): the same sequence on every runtime. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A random integer in [lo, hi]. */
export function between(rand: () => number, lo: number, hi: number): number {
  return lo + Math.floor(rand() * (hi - lo + 1));
}

const cache = new Map<number, Buffer>();

/** Two periods of stream `seed` back to back, so any slice of up to PERIOD bytes is contiguous. */
export function pattern(seed: number): Buffer {
  let buf = cache.get(seed);
  if (!buf) {
    buf = Buffer.allocUnsafe(2 * PERIOD);
    const rand = prng(seed ^ 0x9e3779b9);
    for (let i = 0; i < PERIOD; i += 4) {
      const v = (rand() * 4294967296) >>> 0;
      for (let k = 0; k < 4 && i + k < PERIOD; k++) buf[i + k] = (v >>> (8 * k)) & 0xff;
    }
    buf.copy(buf, PERIOD, 0, PERIOD);
    cache.set(seed, buf);
  }
  return buf;
}

/** The `length` bytes of stream `seed` from `offset` (length ≤ PERIOD; a view, never modified). */
export function slice(seed: number, offset: number, length: number): Buffer {
  const start = offset % PERIOD;
  return pattern(seed).subarray(start, start + length);
}

/** Checks a received stream against stream `seed`, chunk by chunk. */
export class Verifier {
  /** Bytes received. */
  received = 0;
  /** Bytes received that matched, up to the first mismatch. */
  good = 0;
  /** Offset of the first byte that did not match, or -1. */
  firstBad = -1;
  readonly #seed: number;

  constructor(seed: number) {
    this.#seed = seed;
  }

  /** Check the next chunk of the stream. */
  push(chunk: Uint8Array): void {
    const data = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    if (this.firstBad < 0) {
      for (let at = 0; at < data.length;) {
        const n = Math.min(data.length - at, PERIOD);
        const want = slice(this.#seed, this.received + at, n);
        if (Buffer.compare(data.subarray(at, at + n), want) !== 0) {
          let k = 0;
          while (data[at + k] === want[k]) k++;
          this.firstBad = this.received + at + k;
          this.good = this.firstBad;
          break;
        }
        at += n;
        this.good += n;
      }
    }
    this.received += data.length;
  }
}
