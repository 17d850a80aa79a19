// The `onread` option: bytes copied into a user buffer and handed to a callback instead
// of 'data' events; the callback returning false stops reading until resume().
import { Buffer } from "node:buffer";
import type { Duplex } from "node:stream";
import { ERR_INVALID_ARG_TYPE } from "./errors.ts";

/** `onread` as Node accepts it. */
export interface OnReadOpts {
  /** A buffer reused for every read, or a function returning the buffer to fill next. */
  buffer: Uint8Array | (() => Uint8Array);
  /** Called with the byte count and the buffer; `this` is the socket. Return false to pause. */
  callback(this: Duplex, bytesWritten: number, buffer: Uint8Array): boolean | void;
}

/** Delivery of incoming bytes through a user buffer. */
export class OnRead {
  #buffer: Uint8Array | null;
  #generate: (() => Uint8Array) | null;
  #callback: OnReadOpts["callback"];
  #rest: Uint8Array | null = null;

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

  #target(): Uint8Array {
    if (this.#buffer === null) {
      const next = this.#generate!();
      if (!(next instanceof Uint8Array)) throw ERR_INVALID_ARG_TYPE("onread.buffer()", "Uint8Array", next);
      this.#buffer = next;
    }
    return this.#buffer;
  }

  /** Hand `chunk` to the callback in buffer-sized pieces. False means: stop reading. */
  deliver(socket: Duplex, chunk: Uint8Array): boolean {
    let offset = 0;
    while (offset < chunk.byteLength) {
      const target = this.#target();
      const n = Math.min(target.byteLength, chunk.byteLength - offset);
      target.set(chunk.subarray(offset, offset + n));
      offset += n;
      const result = this.#callback.call(socket, n, target instanceof Buffer ? target : target);
      if (this.#generate) this.#buffer = null;
      if (result === false) {
        if (offset < chunk.byteLength) this.#rest = chunk.subarray(offset);
        return false;
      }
    }
    return true;
  }

  /** Deliver bytes held back by an earlier `false`; true when reading may resume. */
  flush(socket: Duplex): boolean {
    const rest = this.#rest;
    if (rest === null) return true;
    this.#rest = null;
    return this.deliver(socket, rest);
  }
}
