// The Socket's stream engine: reading from the RawConn (with `onread` and backpressure),
// writing to it (queued while connecting, batched by cork/writev), half-close, the idle
// timer and the byte counters.
import type { Buffer } from "node:buffer";
import { kConn, kSinkData, kSinkEnd } from "../_symbols.ts";
import { ERR_SOCKET_CLOSED, ERR_SOCKET_CLOSED_BEFORE_CONNECTION } from "../errors/errors.ts";
import { asBuffer, byteLengthOf, toBytes } from "./_util.ts";
import { IdleTimer } from "./_idle_timer.ts";
import { validateFunction } from "../errors/validators.ts";
import { SocketBase } from "./socket_base.ts";

type Callback = (err?: Error | null) => void;

/** Reading, writing and timing over the current RawConn; `Socket` adds connecting and closing. */
export class SocketStream extends SocketBase {
  /** @internal The current RawConn reported its close. */
  protected handleClosed = false;
  /** @internal The idle timer behind setTimeout(). */
  protected readonly idle: IdleTimer = new IdleTimer(this);
  #timeout: unknown = undefined;
  #eof = false;
  #bytesRead = 0;
  #bytesDispatched = 0;
  #pendingData: Uint8Array[] | null = null;

  /** Restart the idle timer (Node's name for it). */
  _unrefTimer(): void {
    this.idle.refresh();
  }

  /** @internal A new handle: counters and read state start over, as with Node's new handle. */
  protected resetStream(): void {
    this.handleClosed = false;
    this.#eof = false;
    this.#bytesRead = 0;
    this.#bytesDispatched = 0;
  }

  /** @internal Bytes arrived from the RawConn. */
  [kSinkData](chunk: Uint8Array): void {
    this.#bytesRead += chunk.byteLength;
    this.idle.refresh();
    if (this.destroyed) return;
    const keepReading = this.onread ? this.onread.deliver(this, chunk) : this.push(asBuffer(chunk));
    if (!keepReading) this[kConn]?.readStop();
  }

  /** @internal The peer sent FIN. */
  [kSinkEnd](): void {
    this.idle.refresh();
    this.#eof = true;
    if (this.onread && !this.onread.end()) return;
    this.push(null);
    this.read(0);
  }

  /** With `onread`: deliver held bytes, then read again (or end, or stay stopped). */
  #readIntoUserBuffer(): void {
    const conn = this[kConn];
    if (!this.onread || this.connecting || !conn || this.destroyed) return;
    const next = this.onread.resume(this);
    if (next === "end") {
      this.push(null);
      this.read(0);
    } else if (next === "read" && !this.#eof) {
      conn.readStart();
    }
  }

  /** @internal */
  override _read(size: number): void {
    const conn = this[kConn];
    if (this.connecting || !conn) {
      this.once("connect", () => this._read(size));
      return;
    }
    if (this.onread) this.#readIntoUserBuffer();
    else if (!this.#eof) conn.readStart();
  }

  /** Pause `'data'` (with `onread`: stop reading at the socket). */
  override pause(): this {
    const conn = this[kConn];
    if (this.onread && !this.connecting && conn && !this.onread.stopped && !this.destroyed) {
      this.onread.stopped = true;
      conn.readStop();
    }
    return super.pause();
  }

  /** Resume `'data'` (with `onread`: read into the user buffer again). */
  override resume(): this {
    if (this.onread && this.onread.stopped) this.#readIntoUserBuffer();
    return super.resume();
  }

  /** Read from the buffer (with `onread`: restart reading into the user buffer). */
  override read(size?: number): Buffer | string | null {
    if (this.onread && this.onread.stopped && !this.#eof) this.#readIntoUserBuffer();
    return super.read(size);
  }

  /** @internal */
  override _write(chunk: unknown, encoding: BufferEncoding, cb: Callback): void {
    this.#writeGeneric([toBytes(chunk, encoding)], cb);
  }

  /** @internal */
  override _writev(chunks: { chunk: unknown; encoding: BufferEncoding }[], cb: Callback): void {
    this.#writeGeneric(chunks.map((c) => toBytes(c.chunk, c.encoding)), cb);
  }

  #writeGeneric(chunks: Uint8Array[], cb: Callback): void {
    if (this.connecting) {
      this.#pendingData = chunks;
      const onClose = () => cb(ERR_SOCKET_CLOSED_BEFORE_CONNECTION());
      this.once("connect", () => {
        this.off("close", onClose);
        this.#writeGeneric(chunks, cb);
      });
      this.once("close", onClose);
      return;
    }
    this.#pendingData = null;
    const conn = this[kConn];
    if (!conn || this.handleClosed) {
      cb(ERR_SOCKET_CLOSED());
      return;
    }
    this.idle.refresh();
    for (const c of chunks) this.#bytesDispatched += c.byteLength;
    conn.write(chunks, (err) => {
      if (err) {
        cb(err);
        return;
      }
      this.idle.refresh();
      cb();
    });
  }

  /** @internal Send FIN once every queued write is out. */
  override _final(cb: Callback): void {
    if (this.connecting) {
      this.once("connect", () => this._final(cb));
      return;
    }
    const conn = this[kConn];
    if (!conn || this.handleClosed) {
      cb();
      return;
    }
    conn.shutdown((err) => {
      if (err && (err as { code?: string }).code !== "ENOTCONN") cb(err);
      else cb();
    });
  }

  /**
   * Emit `'timeout'` after `msecs` of inactivity (0 disables it). The timer never keeps the
   * process alive and does not close the socket. Does nothing once destroyed.
   */
  setTimeout(msecs: number, callback?: () => void): this {
    if (this.destroyed) return this;
    this.#timeout = msecs;
    this.idle.set(msecs);
    if (callback !== undefined) {
      validateFunction(callback, "callback");
      if (msecs === 0) this.removeListener("timeout", callback);
      else this.once("timeout", callback);
    }
    return this;
  }

  /** The value last given to `setTimeout` (undefined before the first call). */
  get timeout(): number | undefined {
    return this.#timeout as number | undefined;
  }
  set timeout(value: number | undefined) {
    this.#timeout = value;
  }

  /** Bytes received on the current connection. */
  get bytesRead(): number {
    return this.#bytesRead;
  }

  /** Bytes sent on the current connection, counting those still queued (as Node does). */
  get bytesWritten(): number | undefined {
    let bytes = this.#bytesDispatched;
    // deno-lint-ignore no-explicit-any
    const buffered = (this as any).writableBuffer as { chunk: unknown; encoding: BufferEncoding }[] | undefined;
    if (!buffered) return undefined;
    for (const el of buffered) bytes += byteLengthOf(el.chunk, el.encoding);
    if (this.#pendingData) { for (const c of this.#pendingData) bytes += c.byteLength; }
    return bytes;
  }
}
