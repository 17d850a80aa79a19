/**
 * One end of an in-process connection. Each end owns an inbox: the bytes its peer wrote
 * that it has not delivered yet, standing for both kernel socket buffers. A write moves
 * bytes into the peer's inbox while it holds less than {@link KERNEL_BUFFER}; the rest
 * waits in the writer's queue (libuv's write queue) and its `done` waits with it. The
 * network moves bytes in turns of the event loop of their own (`setImmediate`), as a
 * kernel's work arrives in later I/O callbacks; re-entrancy is the core's guard's job.
 *
 * Closing mirrors Linux: `close()` sends FIN after the data in flight, but RST when our
 * inbox still holds unread bytes; after a FIN from a closed peer our first write is
 * accepted (the peer answers RST) and later ones fail with `write EPIPE`; a RST reaches
 * the reader as `read ECONNRESET` after the data before it, or the next write as
 * `write ECONNRESET`.
 *
 * @module
 */
import { setImmediate } from "node:timers";
import type { ConnSink, RawAddress, RawConn, WriteDone } from "../../src/contract.ts";
import { brokenPipe, canceledError, connectionReset, deliver } from "./errors.ts";
import type { FaultTable, Wire } from "./fault_table.ts";
import type { Side } from "./faults.ts";
import { Arrivals, ReadPacer } from "./pacing.ts";

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

/** What our peer did to the connection: closed (FIN), reset (RST), or we learned it all. */
type PeerGone = "" | "fin" | "rst" | "epipe";

/** Where a connected end sits: its addresses and what to release once it closes. */
export interface Endpoints {
  /** Our address. */
  local: RawAddress;
  /** The peer's address. */
  remote: RawAddress;
  /** Called once when this end closes (frees an ephemeral port). */
  release?: () => void;
  /** The network's faults, the connection they match by, and which end this is. */
  faults?: { table: FaultTable; wire: Wire; side: Side };
}

/** One end of an in-process connection, outgoing or accepted. */
export class MemoryConn implements RawConn {
  #sink: ConnSink | null;
  #peer: MemoryConn | null = null;
  #ends: Endpoints | null = null;
  #inbox: Uint8Array[] = [];
  #inboxBytes = 0;
  /** What follows the inbox's bytes: the peer's FIN or RST. */
  #inEnd: "" | "fin" | "rst" = "";
  #endDelivered = false;
  #outbox: Op[] = [];
  /** `done`s to call: the error, or the chunks newly accepted. */
  #completions: [Done, Error | undefined, number][] = [];
  #finSent = false;
  #peerGone: PeerGone = "";
  #reading = false;
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
  /** What arrives late (`latency`), in order: bytes, FIN, RST. */
  #arrivals: Arrivals | null = null;
  /** A slow reader's clock, when it reads on a timer. */
  #pacer: ReadPacer | null = null;

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
    b.#peer = a;
    b.#ends = bEnds;
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
    const ends: number[] = [];
    let at = 0;
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
    this.#closed = true;
    this.#reading = false;
    for (const op of this.#outbox) this.#completions.push([op.done, canceledError(op.data ? "write" : "shutdown"), 0]);
    this.#outbox = [];
    const peer = this.#peer;
    // Linux sends RST instead of FIN when unread bytes are left behind.
    if (peer !== null && !peer.#closed && !this.#severed) {
      const hard = rst || this.#inboxBytes > 0;
      peer.#later(this.#delay(), () => peer.#hangUp(hard));
    }
    this.#inbox = [];
    this.#inboxBytes = 0;
    this.#ends?.release?.();
    this.#schedule();
  }

  /** Our peer closed (FIN after its data) or reset (RST). */
  #hangUp(rst: boolean): void {
    if (!rst) {
      this.#inEnd ||= "fin";
      this.#peerGone = "fin";
    } else if (this.#inEnd === "fin") {
      this.#peerGone = "epipe"; // RST after FIN: writes fail with EPIPE (CLOSE_WAIT)
    } else {
      this.#inEnd = "rst";
      this.#peerGone = "rst";
    }
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
        this.#peerGone === "rst" && !this.#severed && this.#reading && this.#inbox.length === 0 &&
        !this.#endDelivered
      ) break;
      if (this.#peerGone !== "" || (this.#finSent && op.data !== null)) {
        outbox.shift();
        this.#finish(op, op.data === null ? undefined : this.#writeAfterClose());
        continue;
      }
      if (op.data === null) {
        this.#finSent = true;
        peer.#later(this.#delay(), () => peer.#inEnd ||= "fin");
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
      const f = this.#faults();
      let cut = f ? f.table.cut(f.wire, f.side, this.#sent) : undefined;
      if (cut !== undefined && cut.bytes <= n) n = cut.bytes;
      else cut = undefined;
      if (n > 0) {
        peer.#receive(op.data.subarray(op.offset, op.offset + n), this.#delay());
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

  /** The faults' view of this connection, while the network has stream faults. */
  #faults(): { table: FaultTable; wire: Wire; side: Side } | undefined {
    const f = this.#ends?.faults;
    return f !== undefined && f.table.streaming ? f : undefined;
  }

  /** The latency of the bytes we send. */
  #delay(): number {
    const f = this.#faults();
    return f ? f.table.delay(f.wire, f.side) : 0;
  }

  /** How many more bytes our inbox takes (a slow reader's may be smaller). */
  #room(): number {
    const f = this.#faults();
    const limit = f ? f.table.reader(f.wire, f.side)?.buffer ?? KERNEL_BUFFER : KERNEL_BUFFER;
    return Math.max(0, limit - this.#inboxBytes);
  }

  /** Bytes from our peer: counted now, in the inbox (fragmented) once they arrive. */
  #receive(bytes: Uint8Array, delay: number): void {
    this.#inboxBytes += bytes.byteLength;
    const f = this.#faults();
    const pieces = f ? f.table.split(f.wire, f.side === "client" ? "server" : "client", bytes) : [bytes];
    this.#later(delay, () => {
      if (!this.#closed) this.#inbox.push(...pieces);
    });
    this.#schedule();
  }

  /** A fault cut our direction here: RST to both ends, or a FIN to the peer. */
  #cut(peer: MemoryConn, rst: boolean): void {
    if (rst) {
      this.#severed = peer.#severed = true;
      peer.#later(this.#delay(), () => peer.#hangUp(true));
      this.#hangUp(true);
    } else {
      this.#blackhole = true;
      peer.#later(this.#delay(), () => peer.#inEnd ||= "fin");
      peer.#schedule();
    }
  }

  /** Run `fn` (an arrival from the peer) after `delay` ms, behind those already on the way. */
  #later(delay: number, fn: () => void): void {
    if (this.#arrivals === null && delay <= 0) return fn();
    (this.#arrivals ??= new Arrivals(() => this.#schedule())).add(delay, fn);
  }

  /** A write after the peer closed: what the kernel answers, in Linux's sequence. */
  #writeAfterClose(): Error | undefined {
    if (this.#finSent) return brokenPipe();
    const gone = this.#peerGone;
    this.#peerGone = "epipe";
    if (gone === "fin") return undefined; // accepted and dropped; the peer answers RST
    return gone === "rst" ? connectionReset("write") : brokenPipe();
  }

  /** Deliver the inbox while reading, then the peer's FIN or RST. */
  #read(sink: ConnSink): void {
    let freed = false;
    const inbox = this.#inbox;
    let budget = this.#readBudget();
    while (this.#reading && !this.#closed && inbox.length > 0 && budget > 0) {
      let chunk = inbox[0];
      const max = Math.min(MAX_READ, budget);
      if (chunk.byteLength > max) {
        inbox[0] = chunk.subarray(max);
        chunk = chunk.subarray(0, max);
      } else {
        inbox.shift();
      }
      budget -= chunk.byteLength;
      this.#inboxBytes -= chunk.byteLength;
      freed = true;
      deliver(() => sink.onData(chunk));
    }
    if (freed && this.#peer !== null) this.#peer.#schedule(); // its waiting writes may move now
    if (!this.#reading || this.#closed || inbox.length > 0 || this.#inEnd === "" || this.#endDelivered) return;
    this.#endDelivered = true;
    if (this.#inEnd === "fin") {
      deliver(() => sink.onEnd());
    } else if (this.#peerGone === "rst") {
      this.#peerGone = "epipe";
      deliver(() => sink.onError(connectionReset("read")));
    }
  }

  /** What one read may take: everything, or a slow reader's bytes a tick (0 between its ticks). */
  #readBudget(): number {
    const f = this.#faults();
    const slow = f ? f.table.reader(f.wire, f.side) : undefined;
    if (slow === undefined || this.#inbox.length === 0 || !this.#reading) return Infinity;
    if (slow.intervalMs === 0) {
      this.#schedule(); // the next tick is the next turn
      return slow.bytes;
    }
    return (this.#pacer ??= new ReadPacer(() => this.#schedule())).take(slow.bytes, slow.intervalMs);
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
