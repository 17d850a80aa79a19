// The Bun adapter's read side. Bun pushes reads through handlers; what arrives while the
// core is not reading (bytes, the peer's FIN, a clean close) is held and released on
// readStart. The socket is paused (`socket.pause()`: no polling for readable, unread bytes
// stay in the kernel) on readStop, from its open until the core first reads, and once the
// held bytes pass HOLD_LIMIT. Bytes go to the core in pieces of at most READ_SIZE, as
// libuv reads them, so a core that stops reading stops at the same byte as Node's (Bun
// reads up to 512 KiB at once): the rest is held, as libuv would have left it in the
// kernel. The pieces are views of Bun's buffer, not copies: Bun hands every `data` call a
// fresh buffer of its own (checked on 1.4.5), so the core owns it whole, and the pieces
// never overlap. A base class of the connection (between it and the WriteQueue), so it
// costs no object of its own.
import type { BunSocket } from "./_bun_types.ts";
import { WriteQueue } from "./_write.ts";

/** Held bytes past which the socket is paused until the core reads again. */
const HOLD_LIMIT = 64 * 1024;
/** The most one `onData` carries: libuv's read buffer (Node's allocation per read). */
const READ_SIZE = 64 * 1024;

// HeldReads' flags, one number (a connection is one object: every field costs each one).
const READING = 1;
const PAUSED = 2;
const PEER_ENDED = 4;
const END_HELD = 8;
const CLOSE_HELD = 16;

/** The sink call kinds this side makes through `emit`: `onData(a)`, `onEnd()`. */
export const DATA = 2;
export const END = 3;

/** Bytes Bun delivered while the core was not reading (in order), and their total. */
interface Held {
  chunks: Uint8Array[];
  bytes: number;
}

/** Reads for one connection: delivered while the core reads, held while it does not. */
export abstract class HeldReads extends WriteQueue {
  /** What waits for the core to read it; null while nothing does (most of the time). */
  #held: Held | null = null;
  #bits = 0;

  get #reading(): boolean {
    return (this.#bits & READING) !== 0;
  }
  set #reading(on: boolean) {
    this.#bits = on ? this.#bits | READING : this.#bits & ~READING;
  }

  /** We paused the socket (readStop, or too many held bytes). */
  get #paused(): boolean {
    return (this.#bits & PAUSED) !== 0;
  }
  set #paused(on: boolean) {
    this.#bits = on ? this.#bits | PAUSED : this.#bits & ~PAUSED;
  }

  /** The peer's FIN arrived (onEnd sent, or waiting behind held bytes). */
  get #peerEnded(): boolean {
    return (this.#bits & PEER_ENDED) !== 0;
  }
  set #peerEnded(on: boolean) {
    this.#bits = on ? this.#bits | PEER_ENDED : this.#bits & ~PEER_ENDED;
  }

  /** The peer's FIN waits behind held bytes. */
  get #endHeld(): boolean {
    return (this.#bits & END_HELD) !== 0;
  }
  set #endHeld(on: boolean) {
    this.#bits = on ? this.#bits | END_HELD : this.#bits & ~END_HELD;
  }

  /** A clean close waiting behind held bytes. */
  get #closeHeld(): boolean {
    return (this.#bits & CLOSE_HELD) !== 0;
  }
  set #closeHeld(on: boolean) {
    this.#bits = on ? this.#bits | CLOSE_HELD : this.#bits & ~CLOSE_HELD;
  }

  /** close()/reset() was called or the connection failed: nothing but onClose follows. */
  protected abstract get closing(): boolean;
  /** The socket while it can be paused and resumed (open, not gone), else null. */
  protected abstract get pausable(): BunSocket | null;
  /** Whether a failure Bun reported waits for the core (the socket is gone). */
  protected abstract get failureHeld(): boolean;
  /** Hand `piece` to the core's onData now (see Gate's `callsNow`). */
  protected abstract dataNow(piece: Uint8Array): void;
  /** Report the held failure as the read's error (then onClose). */
  protected abstract failRead(): void;
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

  /** Whether bytes wait for the core to read them (libuv would have them in the kernel). */
  protected get holdsBytes(): boolean {
    const held = this.#held;
    return held !== null && held.bytes > 0;
  }

  /** Bun's `data` handler. */
  protected received(chunk: Uint8Array): void {
    if (this.closing) return;
    // Bun hands each `data` call a fresh buffer (checked on 1.4.5): owned, no copy needed.
    // Pieces of a larger one are views of it (one copy of the bytes, Bun's, is enough; a
    // consumer that takes over a buffer, the Sockets API's byte stream, copies views).
    const size = chunk.byteLength;
    if (size <= READ_SIZE && this.#held === null && (this.#bits & READING) !== 0 && this.callsNow) {
      // The common case: one piece, the core reads, nothing waits (no emit, no switch).
      this.dataNow(chunk);
      return;
    }
    let at = 0;
    if (this.#held === null) {
      while (this.#reading && !this.closing && at < size) {
        const piece = at === 0 && size <= READ_SIZE ? chunk : chunk.subarray(at, at + READ_SIZE);
        at += piece.byteLength;
        this.emit(DATA, piece);
      }
      if (at === size || this.closing) return;
    }
    const rest = at === 0 ? chunk : chunk.subarray(at);
    const held = this.#held ??= { chunks: [], bytes: 0 };
    held.chunks.push(rest);
    held.bytes += rest.byteLength;
    if (held.bytes >= HOLD_LIMIT) this.#pause();
  }

  /**
   * A socket just opened (connected or accepted): paused until the core reads, so what
   * arrives first stays in the kernel, as with libuv, which reads only once asked to.
   */
  protected holdUntilRead(): void {
    if (!this.#reading) this.#pause();
  }

  #pause(): void {
    if (this.#paused) return;
    const socket = this.pausable;
    if (socket === null) return;
    this.#paused = true;
    socket.pause();
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
  }

  /** The core's readStart: what it delivers at once waits for the call's end (_gate.ts). */
  readStart(): void {
    // Already reading (node:stream calls _read after every push): nothing to do, and no
    // core call to gate.
    if (this.#reading) return;
    this.enter();
    try {
      this.#readStart();
    } finally {
      this.leave();
    }
  }

  #readStart(): void {
    if (this.#reading || this.closing) return;
    this.#reading = true;
    const hadBytes = this.#held !== null;
    if (this.#held !== null || this.#endHeld) this.#releaseHeld();
    if (!this.#reading || this.closing) return;
    if (this.failureHeld) {
      // The socket is gone with a failure (a RST) behind what was held. libuv reads the
      // bytes first; its last read, short of its buffer, then the hang-up: EOF
      // (uv__stream_io), the failure left for a write. With nothing left to read, the
      // read finds the failure: `read ECONNRESET`.
      if (this.#peerEnded) return;
      if (hadBytes) {
        this.#peerEnded = true;
        this.emit(END);
      } else this.failRead();
      return;
    }
    const socket = this.#paused ? this.pausable : null;
    if (socket !== null) {
      this.#paused = false;
      socket.resume();
    }
  }

  readStop(): void {
    if (!this.#reading) return;
    this.#reading = false;
    this.#pause();
  }

  /** Deliver what arrived while not reading, as long as the core keeps reading. */
  #releaseHeld(): void {
    const held = this.#held;
    if (held !== null) {
      const chunks = held.chunks;
      while (this.#reading && chunks.length > 0 && !this.closing) {
        const chunk = chunks[0];
        const piece = chunk.byteLength <= READ_SIZE ? chunk : chunk.subarray(0, READ_SIZE);
        if (piece === chunk) chunks.shift();
        else chunks[0] = chunk.subarray(READ_SIZE);
        held.bytes -= piece.byteLength;
        this.emit(DATA, piece);
      }
      if (chunks.length > 0 || this.#held !== held) return;
      this.#held = null;
    }
    if (!this.#reading || this.closing || !this.#endHeld) return;
    this.#endHeld = false;
    if (this.#closeHeld) this.closeSoon();
    this.emit(END);
  }
}
