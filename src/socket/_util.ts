// Small pieces of Socket that need none of its private state.
import { Buffer } from "node:buffer";
import type { Duplex } from "node:stream";
import { abortError, epipeAfterEnd } from "../errors/errors.ts";
import { duplexWrite } from "./_stream_corrections.ts";

type Callback = (err?: Error | null) => void;

/** A chunk as bytes (strings encoded with their encoding). */
export function toBytes(chunk: unknown, encoding: BufferEncoding): Uint8Array {
  // Node's streams take "buffer" as an encoding; a string written with it is UTF-8.
  if (typeof chunk === "string") return Buffer.from(chunk, (encoding as string) === "buffer" ? "utf8" : encoding);
  return chunk as Uint8Array;
}

/** Byte length of a queued chunk. */
export function byteLengthOf(chunk: unknown, encoding: BufferEncoding): number {
  if (typeof chunk === "string") return Buffer.byteLength(chunk, (encoding as string) === "buffer" ? "utf8" : encoding);
  return (chunk as Uint8Array).byteLength;
}

/** Owned bytes as a Buffer without copying. */
export function asBuffer(chunk: Uint8Array): Buffer {
  return chunk instanceof Buffer ? chunk : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
}

/**
 * Installed as `socket.write` once the peer ended and the socket does not allow half-open:
 * a write then fails with EPIPE "This socket has been ended by the other party".
 */
export function writeAfterFIN(this: Duplex, chunk: unknown, encoding?: unknown, cb?: unknown): boolean {
  if (!this.writableEnded) {
    return duplexWrite.call(this, chunk, encoding as BufferEncoding, cb as Callback);
  }
  const callback = typeof encoding === "function" ? encoding : cb;
  const er = epipeAfterEnd();
  if (typeof callback === "function") queueMicrotask(() => (callback as Callback)(er));
  this.destroy(er);
  return false;
}

/** Destroy `stream` with an AbortError when `signal` aborts (now or later). */
export function destroyOnAbort(stream: Duplex, signal: AbortSignal, onAbort?: () => void): void {
  const abort = () => {
    onAbort?.();
    stream.destroy(abortError(signal.reason));
  };
  if (signal.aborted) {
    // node:stream destroys a stream built with an aborted signal at once.
    abort();
    return;
  }
  signal.addEventListener("abort", abort, { once: true });
  stream.once("close", () => signal.removeEventListener("abort", abort));
}
