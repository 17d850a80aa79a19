// The Bun adapter's read side. Bun pushes reads through handlers; what arrives while the
// core is not reading (bytes, the peer's FIN, a clean close) is held and released on
// readStart. The socket is paused (`socket.pause()`: no polling for readable, unread bytes
// stay in the kernel) on readStop or once the held bytes pass HOLD_LIMIT; so a connection
// whose core starts reading at once (the usual case) never pauses. A base class of the
// connection (between it and the WriteQueue), so it costs no object of its own.
import type { BunSocket } from "./_bun_types.ts";
import { WriteQueue } from "./_write.ts";

/** Held bytes past which the socket is paused until the core reads again. */
const HOLD_LIMIT = 64 * 1024;

/** The sink call kinds this side makes through `emit`: `onData(a)`, `onEnd()`. */
export const DATA = 2;
export const END = 3;

/** Reads for one connection: delivered while the core reads, held while it does not. */
export abstract class HeldReads extends WriteQueue {
  #reading = false;
  /** We paused the socket (readStop, or too many held bytes). */
  #paused = false;
  /** Bytes Bun delivered while the core was not reading, and their total. */
  #held: Uint8Array[] | null = null;
  #heldBytes = 0;
  /** The peer's FIN arrived (onEnd sent, or waiting behind held bytes). */
  #peerEnded = false;
  #endHeld = false;
  /** A clean close waiting behind held bytes. */
  #closeHeld = false;

  /** close()/reset() was called or the connection failed: nothing but onClose follows. */
  protected abstract get closing(): boolean;
  /** The socket while it can be paused and resumed (open, not gone), else null. */
  protected abstract get pausable(): BunSocket | null;
  /** readStart() found a failure held for it: it was reported, and nothing is read. */
  protected abstract heldFailure(): boolean;
  /** The connection's onClose after a clean close (once the held FIN was delivered). */
  protected abstract closeSoon(): void;

  /** Whether the core reads. */
  protected get reading(): boolean {
    return this.#reading;
  }

  /** Whether the peer's FIN arrived. */
  protected get peerEnded(): boolean {
    return this.#peerEnded;
  }

  /** Bun's `data` handler. */
  protected received(chunk: Uint8Array): void {
    if (this.closing) return;
    // Bun hands each `data` call a fresh buffer (checked on 1.4.5): owned, no copy needed.
    if (this.#reading && this.#held === null) {
      this.emit(DATA, chunk);
      return;
    }
    (this.#held ??= []).push(chunk);
    this.#heldBytes += chunk.byteLength;
    if (this.#heldBytes >= HOLD_LIMIT && !this.#paused) {
      const socket = this.pausable;
      if (socket !== null) {
        this.#paused = true;
        socket.pause();
      }
    }
  }

  /** Bun's `end` handler: the peer's FIN. */
  protected peerEnd(): void {
    if (this.closing || this.#peerEnded) return;
    this.#peerEnded = true;
    if (this.#reading && this.#held === null) this.emit(END);
    else this.#endHeld = true;
  }

  /**
   * A clean close: both sides sent FIN. When our FIN went first Bun skips the `end`
   * handler and only closes; the core still needs its onEnd, then (`closeSoon`) onClose.
   */
  protected cleanClose(): void {
    this.peerEnd();
    if (this.#endHeld) this.#closeHeld = true;
    else this.closeSoon();
  }

  /** The connection closes: nothing more is read or held. */
  protected dropReads(): void {
    this.#reading = false;
    this.#held = null;
    this.#heldBytes = 0;
  }

  readStart(): void {
    if (this.#reading || this.closing) return;
    this.#reading = true;
    if (this.heldFailure()) return;
    const socket = this.#paused ? this.pausable : null;
    if (this.#held !== null || this.#endHeld) this.#releaseHeld();
    if (socket !== null && this.#reading && this.pausable !== null) {
      this.#paused = false;
      socket.resume();
    }
  }

  readStop(): void {
    if (!this.#reading) return;
    this.#reading = false;
    const socket = this.pausable;
    if (socket === null || this.#paused) return;
    this.#paused = true;
    socket.pause();
  }

  /** Deliver what arrived while not reading, as long as the core keeps reading. */
  #releaseHeld(): void {
    const held = this.#held;
    if (held !== null) {
      while (this.#reading && held.length > 0 && !this.closing) {
        const chunk = held.shift()!;
        this.#heldBytes -= chunk.byteLength;
        this.emit(DATA, chunk);
      }
      if (held.length > 0 || this.#held !== held) return;
      this.#held = null;
    }
    if (!this.#reading || this.closing || !this.#endHeld) return;
    this.#endHeld = false;
    if (this.#closeHeld) this.closeSoon();
    this.emit(END);
  }
}
