/**
 * What one end of a memory connection knows of its peer's close, and Linux's answers that
 * follow from it (measured on loopback with Node 24):
 *
 * - TCP, after a FIN from a closed peer: the first write that carries bytes is taken (the
 *   peer answers RST) when it is at most {@link FIRST_WRITE} bytes; a longer one fails with
 *   `write EPIPE` once the RST comes back mid-write. Every later write fails with EPIPE, an
 *   empty one too; an empty write before that is taken and changes nothing.
 * - TCP, a RST: the next read (after the data before it) or the next write fails with
 *   `ECONNRESET`, once, then writes fail with EPIPE; a RST after a FIN (CLOSE_WAIT) only
 *   makes writes fail with EPIPE.
 * - Unix: a closed peer shuts our socket both ways, so every write fails with EPIPE at
 *   once, an empty one too. A peer that closed with bytes unread sets ECONNRESET for the
 *   next read, which comes before the EOF (also after the peer's own shutdown).
 *
 * @module
 */
import { brokenPipe, connectionReset } from "./errors.ts";
import type { Inbox } from "./inbox.ts";

/**
 * The longest first write a TCP connection takes after its closed peer's FIN: Linux sends
 * it in segments, and the peer's RST to the first one is seen after 512 KiB (Node 24).
 */
export const FIRST_WRITE = 512 * 1024;

/** How the kernel answers a write after the peer closed. */
export interface WriteAnswer {
  /** The write's error; none: the bytes are taken (and dropped). */
  err?: Error;
  /** The error comes when the rest of the write is tried (a later turn), not at once. */
  later?: boolean;
}

/** One end's knowledge of its peer's FIN or RST. */
export class PeerClose {
  /** Closed (FIN), reset (RST), or we learned it all (`epipe`: writes fail with EPIPE). */
  #state: "" | "fin" | "rst" | "epipe" = "";
  /** A Unix socket connection (its own rules), not TCP. */
  unix = false;

  /** Whether the peer's RST arrived and nothing has reported it yet. */
  get reset(): boolean {
    return this.#state === "rst";
  }

  /** Whether the peer's FIN or RST has arrived. */
  get gone(): boolean {
    return this.#state !== "";
  }

  /** The peer's FIN or RST arrived; `inbox.end` records what follows its data. */
  arrived(rst: boolean, inbox: Inbox): void {
    if (!rst) {
      inbox.end ||= "fin";
      this.#state = "fin";
    } else if (inbox.end === "fin" && !this.unix) {
      this.#state = "epipe"; // RST after FIN: writes fail with EPIPE (CLOSE_WAIT)
    } else {
      // A Unix socket's reset error comes before the EOF, read or not.
      inbox.end = "rst";
      this.#state = "rst";
    }
  }

  /**
   * A write of `size` bytes after the peer closed (`finSent`: after our own shutdown):
   * what the kernel answers.
   */
  write(size: number, finSent: boolean): WriteAnswer {
    if (finSent || this.unix) return { err: brokenPipe() };
    const state = this.#state;
    if (state === "fin" && size === 0) return {}; // nothing sent: no RST yet
    this.#state = "epipe";
    if (state === "fin") return size <= FIRST_WRITE ? {} : { err: brokenPipe(), later: true };
    return { err: state === "rst" ? connectionReset("write") : brokenPipe() };
  }

  /** A reader at the inbox's RST: `read ECONNRESET`, unless a write learned of it first. */
  readReset(): Error | undefined {
    if (this.#state !== "rst") return undefined;
    this.#state = "epipe";
    return connectionReset("read");
  }
}
