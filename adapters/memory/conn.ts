/**
 * One end of an in-process connection. Each end owns an inbox (`inbox.ts`): the bytes its
 * peer wrote that it has not delivered yet, standing for both kernel socket buffers, then
 * the peer's FIN or RST. A write moves bytes into the peer's inbox while it holds less
 * than the kernel's buffers would ({@link TCP_KERNEL_BUFFER}, {@link KERNEL_BUFFER} for a
 * Unix socket; the sizes are `kernel.ts`'s); the rest waits in the writer's outbox (libuv's write queue, `outbox.ts`)
 * and its `done` waits with it. A write tried when none waits reports what it moved at
 * once, inside `write` (libuv's `uv_try_write`); everything else the network does in turns
 * of the event loop of its own (`setImmediate`), as a kernel's work arrives in later I/O
 * callbacks, and what arrives during a round of turns is read from the next round on.
 * Re-entrancy is the core's guard's job.
 *
 * Closing mirrors Linux: what the core handed over before `close()` or `reset()` reaches
 * the peer first (Node's writes are in the kernel when they return); only writes still
 * waiting for room end with `ECANCELED`. `close()` then sends FIN, but RST when our inbox
 * still holds unread bytes. What a write or read meets after the peer closed (EPIPE,
 * ECONNRESET, per transport) is `peer_close.ts`'s. Stream faults reach an end through its
 * `EndFaults` (`end_faults.ts`).
 *
 * @module
 */
import { setImmediate } from "node:timers";
import type { ConnSink, RawAddress, RawConn, WriteDone } from "../../src/contract.ts";
import { callDone, deliver } from "../_shared/deliver.ts";
import { EndFaults } from "./end_faults.ts";
import { Inbox, markRound } from "./inbox.ts";
import { type Endpoints, KERNEL_BUFFER, MAX_READ, TCP_KERNEL_BUFFER } from "./kernel.ts";
import { type Op, Outbox, shutdownOp, writeOp } from "./outbox.ts";
import { PeerClose } from "./peer_close.ts";

export { type Endpoints, KERNEL_BUFFER, TCP_KERNEL_BUFFER } from "./kernel.ts";

/** One end of an in-process connection, outgoing or accepted. */
export class MemoryConn implements RawConn {
  #sink: ConnSink | null;
  #peer: MemoryConn | null = null;
  #ends: Endpoints | null = null;
  readonly #inbox = new Inbox(() => this.#schedule());
  #faults = new EndFaults(undefined);
  #endDelivered = false;
  readonly #out = new Outbox();
  #finSent = false;
  readonly #peerClose = new PeerClose();
  #reading = false;
  /** The peer's RST came while we were not reading and had bytes unread (see #read). */
  #resetBehindBytes = false;
  #closed = false;
  #closeSent = false;
  #scheduled = false;
  readonly #run = () => this.#tick();
  readonly #poll = () => {
    if (this.#sink === null || this.#closed) return;
    this.#read(this.#sink);
    if (this.#reading && this.#inbox.waiting) this.#schedule(); // it arrived this round
  };
  /** What our inbox holds before the peer's writes wait (Unix or TCP). */
  #buffer = KERNEL_BUFFER;
  // Faults (faults.ts): none of these moves while the network has no stream fault.
  /** Bytes this end has sent (what `resetAfter`/`endAfter` count). */
  #sent = 0;
  /** A fault reset the connection: the ends no longer tell each other of their close. */
  #severed = false;
  /** A fault sent FIN for us (`endAfter`): what we write now is accepted and lost. */
  #blackhole = false;

  /** An outgoing end gets its sink now; an accepted one from `onConnection` (`setSink`). */
  constructor(sink: ConnSink | null = null) {
    this.#sink = sink;
  }

  /** Whether `close()` or `reset()` was called. */
  get closed(): boolean {
    return this.#closed;
  }

  /** Link two ends (the network's accept); neither end's sink is called here. */
  static link(a: MemoryConn, aEnds: Endpoints, b: MemoryConn, bEnds: Endpoints): void {
    a.#peer = b;
    a.#ends = aEnds;
    a.#faults = new EndFaults(aEnds.faults);
    b.#peer = a;
    b.#ends = bEnds;
    b.#faults = new EndFaults(bEnds.faults);
    const unix = "path" in aEnds.local;
    a.#peerClose.unix = b.#peerClose.unix = unix;
    a.#buffer = b.#buffer = unix ? KERNEL_BUFFER : TCP_KERNEL_BUFFER;
    a.#schedule(); // writes and readStart made while connecting
  }

  /** From the network's own turn: the outgoing end is connected. */
  connected(): void {
    const sink = this.#sink;
    if (sink !== null && !this.#closed) deliver(() => sink.onConnect());
  }

  /** From the network's own turn: the connect attempt failed; `onClose` follows `close()`. */
  failed(err: Error): void {
    const sink = this.#sink;
    if (sink !== null && !this.#closed) deliver(() => sink.onError(err));
  }

  /** The core's callbacks for an accepted end. */
  setSink(sink: ConnSink): void {
    this.#sink = sink;
  }

  readStart(): void {
    if (this.#reading || this.#closed) return;
    this.#reading = true;
    this.#schedule();
  }

  readStop(): void {
    this.#reading = false;
  }

  write(chunks: Uint8Array[], done: WriteDone): void {
    const op = writeOp(chunks, done);
    // libuv tries a write at once when none waits (uv_try_write): what the kernel takes now
    // is reported now, the rest as the peer reads.
    if (this.#peer !== null && !this.#closed && this.#out.idle) {
      this.#out.ops.push(op);
      this.#pump();
      for (const [done, err, accepted] of this.#out.take(true)) callDone(done, err, accepted);
      if (!this.#out.idle) this.#schedule();
      return;
    }
    this.#enqueue(op);
  }

  shutdown(done: WriteDone): void {
    this.#enqueue(shutdownOp(done));
  }

  #enqueue(op: Op): void {
    if (this.#closed) this.#out.cancel(op);
    else this.#out.ops.push(op);
    this.#schedule();
  }

  close(): void {
    this.#shut(false);
  }

  reset(): void {
    this.#shut(true);
  }

  #shut(rst: boolean): void {
    if (this.#closed) return;
    // What the core handed over before the close is in the kernel already (Node writes
    // synchronously): it reaches the peer ahead of the FIN or RST. Only what waits for
    // room in the peer's buffer (libuv's write queue) is cancelled, as is everything once
    // the peer is gone (libuv cancels its queue on close; no write reaches the kernel).
    if (!this.#peerClose.gone) this.#pump();
    this.#closed = true;
    this.#reading = false;
    this.#out.cancelAll();
    const peer = this.#peer;
    // Linux sends RST instead of FIN when unread bytes are left behind.
    if (peer !== null && !peer.#closed && !this.#severed) {
      const hard = rst || this.#inbox.bytes > 0;
      peer.#inbox.later(this.#faults.delay(), () => peer.#hangUp(hard));
    }
    this.#inbox.close();
    this.#ends?.release?.();
    this.#schedule();
  }

  /** Our peer closed (FIN after its data) or reset (RST). */
  #hangUp(rst: boolean): void {
    // Our writes handed over before are in the kernel already (Node writes synchronously):
    // they met the peer still open. (Not for a fault's cut, which comes from inside #pump.)
    if (!this.#peerClose.gone && !this.#severed) this.#pump();
    if (rst && !this.#reading && this.#inbox.bytes > 0) this.#resetBehindBytes = true;
    this.#peerClose.arrived(rst, this.#inbox);
    this.#schedule();
  }

  #schedule(): void {
    if (this.#scheduled) return;
    this.#scheduled = true;
    markRound();
    setImmediate(this.#run);
  }

  #tick(): void {
    this.#scheduled = false;
    this.#pump();
    const completions = this.#out.take();
    for (const [done, err, accepted] of completions) callDone(done, err, accepted);
    // libuv completes writes and shutdowns before it reads (its pending phase comes before
    // the poll), and Node reacts to them on the next tick ('finish'): read after that.
    if (completions.length > 0) queueMicrotask(this.#poll);
    else this.#poll();
    if (this.#closed && !this.#closeSent && this.#out.completions.length === 0) {
      this.#closeSent = true;
      const sink = this.#sink;
      if (sink !== null) deliver(() => sink.onClose());
    }
  }

  /** Move queued writes into the peer's inbox while it has room; queue their `done`s. */
  #pump(): void {
    const peer = this.#peer;
    if (peer === null || this.#closed) return;
    const out = this.#out;
    const outbox = out.ops;
    while (outbox.length > 0) {
      const op = outbox[0];
      // The peer's RST, when the reading side reports it (nothing unread before it), is
      // libuv's read ECONNRESET, which comes before a write's error: the writes wait for
      // the close. (A fault's cut, `severed`, fails the write that hit it.)
      if (
        this.#peerClose.reset && !this.#severed && this.#reading && this.#inbox.bytes === 0 &&
        !this.#endDelivered
      ) break;
      if (this.#peerClose.gone || (this.#finSent && op.data !== null)) {
        outbox.shift();
        if (op.data === null) out.finish(op, undefined);
        else {
          const answer = this.#peerClose.write(op.data.byteLength - op.offset, this.#finSent);
          out.finish(op, answer.err, answer.later);
        }
        continue;
      }
      if (op.data === null) {
        this.#finSent = true;
        peer.#inbox.fin(this.#faults.delay());
        peer.#schedule();
        outbox.shift();
        out.finish(op, undefined);
        continue;
      }
      if (this.#blackhole) {
        outbox.shift();
        out.finish(op, undefined);
        continue;
      }
      let n = Math.min(peer.#room(), op.data.byteLength - op.offset);
      let cut = this.#faults.cut(this.#sent);
      if (cut !== undefined && cut.bytes <= n) n = cut.bytes;
      else cut = undefined;
      if (n > 0) {
        peer.#receive(op.data.subarray(op.offset, op.offset + n), this.#faults.delay());
        this.#sent += n;
        op.offset += n;
      }
      if (cut !== undefined) this.#cut(peer, cut.rst);
      if (op.offset < op.data.byteLength) {
        out.progress(op);
        if (cut !== undefined) continue; // the rest fails (reset) or is lost (FIN)
        break;
      }
      outbox.shift();
      out.finish(op, undefined);
    }
  }

  /** How many more bytes our inbox takes (a slow reader's may be smaller). */
  #room(): number {
    return Math.max(0, this.#faults.limit(this.#buffer) - this.#inbox.bytes);
  }

  /** Bytes from our peer: counted now, in the inbox (fragmented) once they arrive. */
  #receive(bytes: Uint8Array, delay: number): void {
    this.#inbox.receive(bytes.byteLength, this.#faults.split(bytes), delay);
    this.#schedule();
  }

  /** A fault cut our direction here: RST to both ends, or a FIN to the peer. */
  #cut(peer: MemoryConn, rst: boolean): void {
    if (rst) {
      this.#severed = peer.#severed = true;
      peer.#inbox.later(this.#faults.delay(), () => peer.#hangUp(true));
      this.#hangUp(true);
    } else {
      this.#blackhole = true;
      peer.#inbox.fin(this.#faults.delay());
      peer.#schedule();
    }
  }

  /** Deliver the inbox while reading, then the peer's FIN or RST. */
  #read(sink: ConnSink): void {
    const inbox = this.#inbox;
    let freed = false;
    let budget = this.#reading && inbox.ready ? this.#faults.readBudget(() => this.#schedule()) : 0;
    while (this.#reading && !this.#closed && inbox.ready && budget > 0) {
      const chunk = inbox.take(Math.min(MAX_READ, budget));
      budget -= chunk.byteLength;
      freed = true;
      deliver(() => sink.onData(chunk));
    }
    if (freed && this.#peer !== null) this.#peer.#schedule(); // its waiting writes may move now
    if (!this.#reading || this.#closed || !inbox.endReadable || this.#endDelivered) return;
    this.#endDelivered = true;
    // A RST behind bytes a stopped reader left in the kernel: libuv's read that takes the
    // last of them comes up short, and with the hang-up in the same poll it reports EOF
    // (uv__stream_io); the reset stays for a write. Without bytes read first, the read
    // finds the reset.
    if (inbox.end === "fin" || (inbox.end === "rst" && this.#resetBehindBytes && freed)) {
      deliver(() => sink.onEnd());
    } else {
      const err = this.#peerClose.readReset();
      if (err !== undefined) deliver(() => sink.onError(err));
    }
  }

  setNoDelay(_enable: boolean): void {
    // there is no Nagle delay in memory
  }

  setKeepAlive(_enable: boolean, _initialDelayMs: number): void {
    // a memory peer never vanishes silently
  }

  ref(): void {
    // nothing here holds the event loop open
  }

  unref(): void {}

  localAddress(): RawAddress | undefined {
    return this.#ends?.local;
  }

  remoteAddress(): RawAddress | undefined {
    return this.#ends?.remote;
  }
}
