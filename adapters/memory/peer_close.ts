/**
 * What one end of a memory connection knows of its peer's close, and Linux's answers that
 * follow from it: after a FIN the first write is accepted (and dropped; the peer answers
 * RST) and later ones fail with `write EPIPE`; a RST fails the next read (after the data
 * before it) or the next write with `ECONNRESET`, once, then writes fail with EPIPE; a RST
 * after a FIN (CLOSE_WAIT) only makes writes fail with EPIPE. A Unix socket's peer that
 * closed (not just shut down) fails every write with EPIPE at once: there is no RST to wait for.
 *
 * @module
 */
import { brokenPipe, connectionReset } from "./errors.ts";
import type { Inbox } from "./inbox.ts";

/** One end's knowledge of its peer's FIN or RST. */
export class PeerClose {
  /** Closed (FIN), reset (RST), or we learned it all (`epipe`: writes fail with EPIPE). */
  #state: "" | "fin" | "rst" | "epipe" = "";

  /** Whether the peer's RST arrived and nothing has reported it yet. */
  get reset(): boolean {
    return this.#state === "rst";
  }

  /** Whether the peer's FIN or RST has arrived. */
  get gone(): boolean {
    return this.#state !== "";
  }

  /** The peer's FIN or RST arrived (`unix`: a Unix socket's peer closed); `inbox.end` records what follows its data. */
  arrived(rst: boolean, inbox: Inbox, unix = false): void {
    if (!rst) {
      inbox.end ||= "fin";
      this.#state = unix ? "epipe" : "fin";
    } else if (inbox.end === "fin") {
      this.#state = "epipe"; // RST after FIN: writes fail with EPIPE (CLOSE_WAIT)
    } else {
      inbox.end = "rst";
      this.#state = "rst";
    }
  }

  /** A write after the peer closed (`finSent`: after our own shutdown): what the kernel answers. */
  write(finSent: boolean): Error | undefined {
    if (finSent) return brokenPipe();
    const state = this.#state;
    this.#state = "epipe";
    if (state === "fin") return undefined; // accepted and dropped; the peer answers RST
    return state === "rst" ? connectionReset("write") : brokenPipe();
  }

  /** A reader at the inbox's RST: `read ECONNRESET`, unless a write learned of it first. */
  readReset(): Error | undefined {
    if (this.#state !== "rst") return undefined;
    this.#state = "epipe";
    return connectionReset("read");
  }
}
