// The write side of a workerd connection: chunks handed to the socket's WritableStream
// writer, each accepted (the contract's `WriteDone`) as soon as it is handed over while
// little is in flight, as a kernel's send buffer takes a write at once while it has room.
//
// Why a handed chunk counts as accepted: workerd sends what its writer took without the
// adapter's help, in order, and `socket.close()` sends it all before closing (checked: 4
// MiB written and closed at once arrive whole). The writer itself gives no backpressure
// (its `desiredSize` stays 1 however much is queued), so the queue bounds what is in
// flight (handed, its write() not yet resolved) by `SEND_BUFFER` bytes; past it, chunks
// wait here, unaccepted, and the core's Writable buffers and reports backpressure as Node's
// does over a full send buffer.
import type { WriteDone } from "../../src/contract.ts";
import { systemError } from "../../src/errors/system_errors.ts";
import { linuxPlatform as platform } from "../_shared/linux_platform.ts";
import { callDone } from "../_shared/deliver.ts";

/**
 * Bytes in flight past which chunks wait: a send buffer's order of size, so the writes of a
 * request/response exchange complete at once while a fast writer's memory stays bounded.
 */
export const SEND_BUFFER = 64 * 1024;

interface Pending {
  chunks: Uint8Array[];
  /** Index of the next chunk to hand over. */
  next: number;
  done: WriteDone;
}

/** Writes for one connection, in order; `shutdown` after the last. */
export class WriteQueue {
  #writer: WritableStreamDefaultWriter<Uint8Array>;
  /** A handed write failed: the connection is broken (the owner reports it). */
  #onFailure: (err: unknown) => void;
  #waiting: Pending[] = [];
  #inFlight = 0;
  #handing = false;
  /** Set once failed or cancelled: later writes fail with it at once. */
  #error: Error | null = null;
  #shutdown: ((err?: Error | null) => void) | null = null;

  constructor(writer: WritableStreamDefaultWriter<Uint8Array>, onFailure: (err: unknown) => void) {
    this.#writer = writer;
    this.#onFailure = onFailure;
  }

  /** Bytes handed to workerd and not yet written out. */
  get inFlight(): number {
    return this.#inFlight;
  }

  write(chunks: Uint8Array[], done: WriteDone): void {
    if (this.#error) {
      callDone(done, this.#error);
      return;
    }
    this.#waiting.push({ chunks, next: 0, done });
    this.#hand();
  }

  /** Close the writer (FIN) once every waiting chunk was handed over. */
  shutdown(done: (err?: Error | null) => void, failed: (err: unknown) => Error): void {
    this.#shutdown = (err) => {
      if (err) return done(err);
      this.#writer.close().then(() => done(), (e) => done(failed(e)));
    };
    this.#hand();
  }

  /**
   * The connection failed or is closing: chunks still waiting are never sent. They fail
   * with `err` (`ECANCELED` when the connection was closed), as a pending shutdown does.
   */
  cancel(err: Error = systemError(platform, "ECANCELED", "write")): void {
    this.#error ??= err;
    const waiting = this.#waiting;
    this.#waiting = [];
    for (const w of waiting) callDone(w.done, this.#error);
    const shutdown = this.#shutdown;
    this.#shutdown = null;
    shutdown?.(this.#error);
  }

  /** Hand chunks over while in-flight bytes stay under SEND_BUFFER, accepting each. */
  #hand(): void {
    if (this.#handing) return; // a done below led to a new write: this loop takes it
    this.#handing = true;
    try {
      while (this.#waiting.length > 0 && this.#inFlight < SEND_BUFFER && !this.#error) {
        const pending = this.#waiting[0];
        const chunk = pending.chunks[pending.next++];
        if (pending.next === pending.chunks.length) this.#waiting.shift();
        this.#inFlight += chunk.byteLength;
        this.#writer.write(chunk).then(() => {
          this.#inFlight -= chunk.byteLength;
          this.#hand();
        }, (err) => this.#failed(err));
        callDone(pending.done, undefined, 1);
      }
      if (this.#waiting.length === 0 && this.#shutdown && !this.#error) {
        const shutdown = this.#shutdown;
        this.#shutdown = null;
        shutdown();
      }
    } finally {
      this.#handing = false;
    }
  }

  #failed(err: unknown): void {
    if (this.#error) return;
    this.#onFailure(err);
  }
}
