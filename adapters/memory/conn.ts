/**
 * One end of an in-process connection. Each end owns an inbox (`inbox.ts`): the bytes its
 * peer wrote that it has not delivered yet, standing for both kernel socket buffers, then
 * the peer's FIN or RST. A write moves
 * bytes into the peer's inbox while it holds less than {@link KERNEL_BUFFER}; the rest
 * waits in the writer's queue (libuv's write queue) and its `done` waits with it. The
 * network moves bytes in turns of the event loop of their own (`setImmediate`), as a
 * kernel's work arrives in later I/O callbacks; re-entrancy is the core's guard's job.
 *
 * Closing mirrors Linux: what the core handed over before `close()` or `reset()` reaches
 * the peer first (Node's writes are in the kernel when they return); only writes still
 * waiting for room end with `ECANCELED`. `close()` then sends FIN, but RST when our inbox
 * still holds unread bytes; after a FIN from a closed peer our first write is
 * accepted (the peer answers RST) and later ones fail with `write EPIPE`; a RST reaches
 * the reader as `read ECONNRESET` after the data before it, or the next write as
 * `write ECONNRESET` (`peer_close.ts`). Stream faults reach an end through its `EndFaults` (`end_faults.ts`).
 *
 * @module
 */
import { setImmediate } from "node:timers";
import type { ConnSink, RawAddress, RawConn, WriteDone } from "../../src/contract.ts";
import { canceledError, deliver } from "./errors.ts";
import { EndFaults, type FaultContext } from "./end_faults.ts";
import { Inbox } from "./inbox.ts";
import { PeerClose } from "./peer_close.ts";

/** Bytes one direction holds (unread by the receiver) before writes wait: 256 KiB. */
export const KERNEL_BUFFER = 256 * 1024;
/** The largest chunk one `onData` hands over, as one read of 64 KiB would. */
const MAX_READ = 64 * 1024;

type Done = WriteDone;

/** A queued write (`data`) or shutdown (`data === null`). */
interface Op {
  data: Uint8Array | null;
  offset: number;
  done: Done;
  /** Where each of the core's chunks ends in `data` (a write's). */
  ends: number[] | null;
  /** How many chunks were reported accepted. */
  reported: number;
}

/** Where a connected end sits: its addresses and what to release once it closes. */
export interface Endpoints {
  /** Our address. */
  local: RawAddress;
  /** The peer's address. */
  remote: RawAddress;
  /** Called once when this end closes (frees an ephemeral port). */
  release?: () => void;
  /** The network's faults, the connection they match by, and which end this is. */
  faults?: FaultContext;
}

/** One end of an in-process connection, outgoing or accepted. */
export class MemoryConn implements RawConn {
  #sink: ConnSink | null;
  #peer: MemoryConn | null = null;
  #ends: Endpoints | null = null;
  readonly #inbox = new Inbox(() => this.#schedule());
  #faults = new EndFaults(undefined);
  #endDelivered = false;
  #outbox: Op[] = [];
  /** `done`s to call: the error, or the chunks newly accepted. */
  #completions: [Done, Error | undefined, number][] = [];
  #finSent = false;
  readonly #peerClose = new PeerClose();
  #reading = false;
  /** The peer's RST came while we were not reading and had bytes unread (see #read). */
  #resetBehindBytes = false;
  #closed = false;
  #closeSent = false;
  #scheduled = false;
  readonly #run = () => this.#tick();
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

  write(chunks: Uint8Array[], done: Done): void {
    // Copy: the peer owns what it reads, and the core may hand us views it reuses.
    let size = 0;
    for (const c of chunks) size += c.byteLength;
    const data = new Uint8Array(size);
    let at = 0;
    const ends: number[] = [];
    for (const c of chunks) {
      data.set(c, at);
      at += c.byteLength;
      ends.push(at);
    }
    this.#enqueue({ data, offset: 0, done, ends, reported: 0 });
  }

  shutdown(done: Done): void {
    this.#enqueue({ data: null, offset: 0, done, ends: null, reported: 0 });
  }

  #enqueue(op: Op): void {
    if (this.#closed) this.#completions.push([op.done, canceledError(op.data ? "write" : "shutdown"), 0]);
    else this.#outbox.push(op);
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
    for (const op of this.#outbox) this.#completions.push([op.done, canceledError(op.data ? "write" : "shutdown"), 0]);
    this.#outbox = [];
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
    const local = this.#ends?.local;
    this.#peerClose.arrived(rst, this.#inbox, local !== undefined && "path" in local);
    this.#schedule();
  }

  #schedule(): void {
    if (this.#scheduled) return;
    this.#scheduled = true;
    setImmediate(this.#run);
  }

  #tick(): void {
    this.#scheduled = false;
    this.#pump();
    const completions = this.#completions;
    this.#completions = [];
    for (const [done, err, accepted] of completions) deliver(() => done(err, accepted));
    if (this.#sink !== null && !this.#closed) this.#read(this.#sink);
    if (this.#closed && !this.#closeSent && this.#completions.length === 0) {
      this.#closeSent = true;
      const sink = this.#sink;
      if (sink !== null) deliver(() => sink.onClose());
    }
  }

  /** Move queued writes into the peer's inbox while it has room; queue their `done`s. */
  #pump(): void {
    const peer = this.#peer;
    if (peer === null || this.#closed) return;
    const outbox = this.#outbox;
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
        this.#finish(op, op.data === null ? undefined : this.#peerClose.write(this.#finSent));
        continue;
      }
      if (op.data === null) {
        this.#finSent = true;
        peer.#inbox.fin(this.#faults.delay());
        peer.#schedule();
        outbox.shift();
        this.#finish(op, undefined);
        continue;
      }
      if (this.#blackhole) {
        outbox.shift();
        this.#finish(op, undefined);
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
        this.#progress(op);
        if (cut !== undefined) continue; // the rest fails (reset) or is lost (FIN)
        break;
      }
      outbox.shift();
      this.#finish(op, undefined);
    }
  }

  /** Report the chunks of `op` now wholly in the peer's inbox. */
  #progress(op: Op): void {
    const ends = op.ends!;
    let i = op.reported;
    while (i < ends.length && ends[i] <= op.offset) i++;
    if (i === op.reported) return;
    this.#completions.push([op.done, undefined, i - op.reported]);
    op.reported = i;
  }

  /** `op` is over: failed with `err`, or every chunk left is accepted. */
  #finish(op: Op, err: Error | undefined): void {
    const left = op.ends === null || err ? 0 : op.ends.length - op.reported;
    op.reported += left;
    this.#completions.push([op.done, err, left]);
  }

  /** How many more bytes our inbox takes (a slow reader's may be smaller). */
  #room(): number {
    return Math.max(0, this.#faults.limit(KERNEL_BUFFER) - this.#inbox.bytes);
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
    if (!this.#reading || this.#closed || inbox.ready || inbox.end === "" || this.#endDelivered) return;
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
