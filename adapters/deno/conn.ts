// A Deno.TcpConn / Deno.UnixConn seen through the RawConn contract. Deno's reads are
// pull-based: reads follow one another only between readStart and readStop, one read (into
// a buffer of 1 KiB to 64 KiB, sized by the recent reads) in flight. Each read's result is
// taken by a callback that starts the next one, not by a loop in an async function: an
// idle connection then holds its pending read and nothing else (a suspended async function
// costs a generator and its registers per connection). Writes go through the WriteQueue
// (the base class, _write_queue.ts), which loops over partial writes.
import type { ConnectOptions, ConnSink, RawAddress, RawConn } from "../../src/contract.ts";
import { denoApi, type DenoConn } from "./_deno_api.ts";
import { deliver, rethrow, toRawAddress } from "./_util.ts";
import { fromDenoError } from "./errors.ts";
import { WriteQueue } from "./_write_queue.ts";

/** The largest read buffer (one read of at most this much is in flight). */
const READ_SIZE = 64 * 1024;
/**
 * The first read buffer, and the smallest: what an idle connection holds in its pending
 * read (Deno's node:net holds none: it allocates when data arrives). Reads that fill it
 * grow the next ones (see `nextReadSize`). Round, as the sizes peers write are: a write of
 * 1024 or 16384 bytes then arrives in as many chunks as on Node. (Such a write fills its
 * last read exactly, which looks like the start of a burst: a paused socket that then gets
 * more may stop off node:net's mark.)
 */
const MIN_READ_SIZE = 1024;

/** Where the reading stands. */
const IDLE = 0; // no read in flight, nothing held: readStart starts one
const READING = 1; // a read is in flight
const HELD = 2; // a read's result waits for readStart (readStop came while it was in flight)
const RESUMING = 3; // readStart came: the held result is delivered at the next microtask
const ENDED = 4; // EOF delivered, a read failed, or close(): no more reads

/**
 * The next read's size after one that filled its buffer, `burst` bytes into a burst.
 * Node (libuv) reads up to 64 KiB at a time, so with data waiting its reads end at every
 * 64 KiB of the burst, and a paused socket stops at the first of those ends past its
 * high-water mark. Growing by three times the burst so far (1, 3, 12 KiB), then
 * reading up to the 64 KiB mark, puts the reads' ends on the same 64 KiB marks (64,
 * 128 … KiB), so reading stops where node:net's does, with the rest of the peer's bytes
 * left in the kernel.
 */
function nextReadSize(burst: number): number {
  const into = burst % READ_SIZE;
  if (into === 0) return READ_SIZE;
  // Straight to the 64 KiB mark once another growth step would not reach a quarter of it
  // (no small read, and no end of one, just short of the mark).
  return 16 * into > READ_SIZE ? READ_SIZE - into : 3 * into;
}

/** Wraps one Deno connection, outgoing (connecting) or accepted. */
export class DenoRawConn extends WriteQueue implements RawConn {
  #conn: DenoConn | null;
  #sink: ConnSink | null = null;
  /** close() was called or the connection failed: nothing but onClose follows. */
  #closing = false;
  #closeSent = false;
  #reading = false;
  #readPhase = IDLE;
  /** The buffer of the next read, and its size (see #onRead). */
  #buf: Uint8Array | null = null;
  #size = MIN_READ_SIZE;
  /** Bytes read since the last read that did not fill its buffer (one burst). */
  #burst = 0;
  /** The result of a read while HELD or RESUMING: a chunk, or null for EOF. */
  #held: Uint8Array | null = null;
  /** close() waits for the read in flight: this settles its wait. */
  #readSettled: (() => void) | null = null;
  #connecting: Promise<void> | null = null;
  #abort: AbortController | null = null;
  #refed = true;
  #local: RawAddress | undefined;
  #remote: RawAddress | undefined;

  /** Wrap an accepted connection (`conn`) or prepare an outgoing one (`null`). */
  constructor(conn: DenoConn | null, sink?: ConnSink) {
    super();
    this.#conn = conn;
    if (sink) this.#sink = sink;
  }

  /** Start connecting; `onConnect`, or `onError` then `onClose`, follow asynchronously. */
  connect(options: ConnectOptions): void {
    let pending: Promise<DenoConn>;
    let endpoint: { address: string; port?: number };
    if ("path" in options) {
      endpoint = { address: options.path };
      pending = denoApi().connect({ transport: "unix", path: options.path });
    } else {
      // localAddress/localPort and port 0 go through Deno's node:net instead (mod.ts).
      endpoint = { address: options.host, port: options.port };
      this.#abort = new AbortController();
      pending = denoApi().connect({
        transport: "tcp",
        hostname: options.host,
        port: options.port,
        signal: this.#abort.signal,
        autoSelectFamily: false,
      });
    }
    this.#connecting = pending.then(
      (conn) => this.#onConnected(conn),
      (err) => this.#onConnectFailed(err, endpoint),
    );
  }

  #onConnected(conn: DenoConn): void {
    this.#connecting = null;
    this.#abort = null;
    if (this.#closing) {
      conn.close();
      return;
    }
    this.#conn = conn;
    if (!this.#refed) conn.unref();
    // Work the core queued while connecting starts now; neither reaches the sink before
    // onConnect (both wait for Deno first).
    this.startWrites(conn);
    if (this.#reading) this.#readNext(conn);
    deliver(() => this.#sink!.onConnect());
  }

  #onConnectFailed(err: unknown, endpoint: { address: string; port?: number }): void {
    this.#connecting = null;
    this.#abort = null;
    if (this.#closing) return; // cancelled by close(): its onClose is on the way
    this.#fail(fromDenoError(err, "connect", endpoint));
  }

  /** The core's callbacks for an accepted connection, once `onConnection` returned them. */
  setSink(sink: ConnSink): void {
    this.#sink = sink;
  }

  readStart(): void {
    if (this.#reading || this.#closing) return;
    this.#reading = true;
    if (this.#readPhase === HELD) {
      // The result arrives asynchronously, as after a read: never inside the core's call.
      this.#readPhase = RESUMING;
      queueMicrotask(() => this.#resumeHeld());
    } else if (this.#readPhase === IDLE && this.#conn !== null) {
      this.#readNext(this.#conn);
    }
  }

  readStop(): void {
    this.#reading = false;
  }

  #readNext(conn: DenoConn): void {
    this.#readPhase = READING;
    const buf = this.#buf ??= new Uint8Array(this.#size);
    conn.read(buf).then(
      (n) => this.#onRead(conn, n),
      (err) => this.#onReadFailed(err),
    );
  }

  /**
   * One read's result. The buffer follows the reads: it starts small (an idle connection
   * holds it in its pending read), grows while reads fill it (`nextReadSize`) and shrinks to
   * fit a read that used less than a quarter of it. A read that fills at least half of it is
   * handed over as it is (no copy) and a new buffer takes its place; a smaller one is copied
   * out, so no buffer handed to onData is ever read into again.
   */
  #onRead(conn: DenoConn, n: number | null): void {
    if (this.#closing) return this.#readOver();
    if (n === null) return this.#arrive(conn, null);
    const size = this.#size;
    const buf = this.#buf!;
    let chunk: Uint8Array;
    if (n === size) {
      chunk = buf;
      this.#burst += n;
      this.#size = nextReadSize(this.#burst);
      this.#buf = null;
      return this.#arrive(conn, chunk);
    }
    this.#burst = 0;
    if (n >= size >>> 1) {
      chunk = buf.subarray(0, n);
      this.#buf = null;
    } else {
      chunk = buf.slice(0, n);
      if (n < size >>> 2 && size > MIN_READ_SIZE) {
        // A small read (the end of a burst, or small messages): fit the next buffer to
        // it, so a connection going idle after bulk does not keep a large one.
        this.#size = Math.max(MIN_READ_SIZE, 1 << (32 - Math.clz32(n - 1)));
        this.#buf = null;
      }
    }
    this.#arrive(conn, chunk);
  }

  #onReadFailed(err: unknown): void {
    if (!this.#closing) this.#fail(fromDenoError(err, "read"));
    this.#readOver();
  }

  /** The read in flight settled after close() or a failure: nothing more is read. */
  #readOver(): void {
    this.#readPhase = ENDED;
    const settled = this.#readSettled;
    if (settled !== null) {
      this.#readSettled = null;
      settled();
    }
  }

  /** A read's result (null: EOF): to the sink while reading, else held until readStart. */
  #arrive(conn: DenoConn, result: Uint8Array | null): void {
    if (!this.#reading) {
      this.#readPhase = HELD;
      this.#held = result;
      return;
    }
    this.#hand(conn, result);
  }

  #resumeHeld(): void {
    const result = this.#held;
    this.#held = null;
    if (this.#closing) return;
    this.#hand(this.#conn!, result);
  }

  /** Hand a result to the sink; read on while the core still reads (or stop at EOF). */
  #hand(conn: DenoConn, result: Uint8Array | null): void {
    const sink = this.#sink!;
    if (result === null) {
      this.#readPhase = ENDED;
      deliver(() => sink.onEnd());
      return;
    }
    this.#readPhase = IDLE;
    try {
      sink.onData(result);
    } catch (err) {
      rethrow(err);
    }
    if (this.#reading && this.#readPhase === IDLE && !this.#closing) this.#readNext(conn);
  }

  protected override get writeTarget(): DenoConn | null {
    return this.#conn;
  }

  protected override get closing(): boolean {
    return this.#closing;
  }

  close(): void {
    if (this.#closing) return;
    this.#closing = true;
    this.#reading = false;
    const conn = this.#conn;
    if (conn !== null) {
      try {
        conn.close();
      } catch {
        // already closed by Deno: nothing to release
      }
    } else {
      this.#abort?.abort();
    }
    this.#settleAndEmitClose();
  }

  /** A failure: onError, then close as Node's handles do; the core's close() is a no-op. */
  #fail(err: Error): void {
    if (this.#closing) return;
    deliver(() => this.#sink!.onError(err));
    this.close();
  }

  // onClose once the connect attempt, the read loop and the write queue have all settled,
  // so nothing of this connection runs after it.
  #settleAndEmitClose(): void {
    const reading = this.#readPhase === READING ? new Promise<void>((resolve) => this.#readSettled = resolve) : null;
    if (this.#readPhase !== READING) this.#readPhase = ENDED;
    Promise.all([this.#connecting, reading, this.writesSettled]).then(() => {
      if (this.#closeSent) return;
      this.#closeSent = true;
      deliver(() => this.#sink?.onClose());
    });
  }

  reset(): void {
    // Deno has no SO_LINGER (nor any way to send RST): capabilities.reset is false. Its
    // close() also shuts the write side down first (tokio's OwnedWriteHalf does on drop),
    // so over TCP the peer gets FIN before the RST the kernel sends for unread bytes, and
    // sees a clean 'end' where node:net's peer gets ECONNRESET. A Unix socket's peer still
    // gets ECONNRESET when bytes were left unread.
    this.close();
  }

  // The core holds setNoDelay/setKeepAlive until connected.
  setNoDelay(enable: boolean): void {
    const conn = this.#conn;
    if (conn === null || this.#closing || conn.setNoDelay === undefined) return;
    try {
      conn.setNoDelay(enable);
    } catch {
      // as Node, a failed setsockopt is not reported
    }
  }

  setKeepAlive(enable: boolean, _initialDelayMs: number): void {
    // Deno cannot set the initial delay (TCP_KEEPIDLE): only SO_KEEPALIVE is set.
    const conn = this.#conn;
    if (conn === null || this.#closing || conn.setKeepAlive === undefined) return;
    try {
      conn.setKeepAlive(enable);
    } catch {
      // as Node, a failed setsockopt is not reported
    }
  }

  ref(): void {
    this.#refed = true;
    if (!this.#closing) this.#conn?.ref();
  }

  unref(): void {
    this.#refed = false;
    if (!this.#closing) this.#conn?.unref();
  }

  localAddress(): RawAddress | undefined {
    if (this.#local === undefined && this.#conn !== null) this.#local = toRawAddress(this.#conn.localAddr);
    return this.#local;
  }

  remoteAddress(): RawAddress | undefined {
    if (this.#remote === undefined && this.#conn !== null) this.#remote = toRawAddress(this.#conn.remoteAddr);
    return this.#remote;
  }
}
