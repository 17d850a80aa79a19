// The `onread` option: bytes copied into a user buffer and handed to a callback instead
// of 'data' events; the callback returning false stops reading until resume() or read().
import type { Duplex } from "node:stream";

/** `onread` as Node accepts it. */
export interface OnReadOpts {
  /** A buffer reused for every read, or a function returning the buffer to fill next. */
  buffer: Uint8Array | (() => Uint8Array);
  /** Called with the byte count and the buffer; `this` is the socket. Return false to pause. */
  callback(this: Duplex, bytesWritten: number, buffer: Uint8Array): boolean | void;
}

/**
 * Delivery of incoming bytes through a user buffer. Node's libuv reads at most the buffer's
 * size at a time; here an adapter chunk larger than the buffer is handed over in
 * buffer-sized pieces, and pieces not yet delivered when the callback returned false are
 * held (with a FIN that followed them) until reading resumes.
 */
export class OnRead {
  #buffer: Uint8Array | null;
  #generate: (() => Uint8Array) | null;
  #callback: OnReadOpts["callback"];
  #held: Uint8Array[] = [];
  #heldBytes = 0;
  #endHeld = false;
  /** True while the callback asked to stop (or the user paused) and reading is off. */
  stopped = false;
  /** How many times the callback returned false (see `resumeUserBuffer`). */
  stops = 0;

  constructor(options: OnReadOpts) {
    this.#generate = typeof options.buffer === "function" ? options.buffer : null;
    this.#buffer = typeof options.buffer === "function" ? null : options.buffer;
    this.#callback = options.callback;
  }

  /** Parse the option as Node does: anything not of the right shape is ignored. */
  static from(value: unknown): OnRead | null {
    if (value === null || typeof value !== "object") return null;
    const { buffer, callback } = value as Partial<OnReadOpts>;
    if (!(buffer instanceof Uint8Array || typeof buffer === "function") || typeof callback !== "function") return null;
    return new OnRead(value as OnReadOpts);
  }

  /** Prepare for a connection, as Node does when it gives the handle the user buffer. */
  init(): boolean {
    this.#held = [];
    this.#heldBytes = 0;
    this.#endHeld = false;
    this.stopped = false;
    if (this.#generate === null) return true;
    const next = this.#generate();
    if (!(next instanceof Uint8Array)) return false;
    this.#buffer = next;
    return true;
  }

  /** Hand `chunk` to the callback in buffer-sized pieces. False means: stop reading. */
  deliver(socket: Duplex, chunk: Uint8Array): boolean {
    if (this.stopped) {
      this.#hold(chunk);
      return false;
    }
    let offset = 0;
    while (offset < chunk.byteLength) {
      const target = this.#buffer;
      if (target === null || target.byteLength === 0) return true;
      const n = Math.min(target.byteLength, chunk.byteLength - offset);
      target.set(chunk.subarray(offset, offset + n));
      offset += n;
      const result = this.#callback.call(socket, n, target);
      if (this.#generate) {
        const next = this.#generate();
        if (next instanceof Uint8Array) this.#buffer = next;
      }
      if (result === false) {
        this.stopped = true;
        this.stops++;
        if (offset < chunk.byteLength) this.#hold(chunk.subarray(offset));
        return false;
      }
    }
    return true;
  }

  #hold(piece: Uint8Array): void {
    this.#held.push(piece);
    this.#heldBytes += piece.byteLength;
  }

  /**
   * Bytes read from the adapter but not yet handed to the callback. Node's libuv reads at
   * most the buffer's size and no further once the callback returned false, so its
   * `bytesRead` never counts these: the socket's does not either.
   */
  get heldBytes(): number {
    return this.#heldBytes;
  }

  /** Bytes (or a FIN) are held for the callback. */
  get holding(): boolean {
    return this.#held.length > 0 || this.#endHeld;
  }

  /** The peer's FIN arrived: true when it may be handled now, false when it waits for held bytes. */
  end(): boolean {
    if (!this.stopped && this.#held.length === 0) return true;
    this.#endHeld = true;
    return false;
  }

  /**
   * Reading resumes: deliver held bytes. Returns `"stopped"` if the callback stopped again,
   * `"end"` if a held FIN is now due, `"read"` if the adapter should read again.
   */
  resume(socket: Duplex): "stopped" | "end" | "read" {
    this.stopped = false;
    while (this.#held.length > 0) {
      const chunk = this.#held.shift()!;
      this.#heldBytes -= chunk.byteLength;
      const before = this.#held.length;
      if (!this.deliver(socket, chunk)) {
        // deliver() appended (and counted) the undelivered rest of `chunk` last; it
        // belongs first.
        if (this.#held.length > before) this.#held.unshift(this.#held.pop()!);
        return "stopped";
      }
    }
    if (this.#endHeld) {
      this.#endHeld = false;
      return "end";
    }
    return "read";
  }
}
