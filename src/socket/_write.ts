// The Socket's write side, as functions over the socket: writes handed to the RawConn
// (held until 'connect' while connecting, as Node's _writeGeneric), the FIN after the
// last write, and the byte count Node reports.
import { setImmediate } from "node:timers";
import { kAdapter, kConn, kState } from "../_symbols.ts";
import { ERR_SOCKET_CLOSED, ERR_SOCKET_CLOSED_BEFORE_CONNECTION } from "../errors/errors.ts";
import { byteLengthOf } from "./_util.ts";
import type { RawConn } from "../contract.ts";
import type { SocketCore } from "./_types.ts";

type Callback = (err?: Error | null) => void;

/** One entry of the Writable's batch, as `_writev` gets it (the user's callback inside). */
export interface BatchEntry {
  chunk: unknown;
  encoding: BufferEncoding;
}

/**
 * Implements `_write` and `_writev`: hand `chunks` to the RawConn once connected. A write
 * succeeds chunk by chunk as the adapter reports them accepted (Node's rule: a write's
 * callback says ok once libuv handed its bytes to the kernel). What the adapter reports
 * inside the RawConn's `write` (the runtime took it at once: libuv's try_write) completes
 * the write synchronously, inside `_write`, as Node's `afterWriteDispatched` does when the
 * write was not async: the Writable then returns true from `write()` with nothing queued,
 * and no `'drain'` follows; a write that fails at once errors the socket before `write()`
 * returns (false). When the RawConn fails the batch, the chunk it was writing gets the
 * RawConn's error (`ECANCELED` on close, as libuv's write request) and the chunks after it,
 * never sent, what the Writable's buffered writes get: the socket's error (the
 * `destroy(err)` error, the peer's `ECONNRESET`). `entries` (from `_writev`) are the
 * Writable's batch: their callbacks are called per chunk here, as the batch's one callback
 * cannot tell chunks apart, but never inside `_writev` (Node calls no write callback
 * synchronously). `uncounted`: Node counts the bytes only once sent (see `countsOnceSent`).
 */
export function writeGeneric(
  socket: SocketCore,
  chunks: Uint8Array[],
  cb: Callback,
  entries?: BatchEntry[],
  uncounted = false,
): void {
  const state = socket[kState];
  if (socket.connecting) {
    state.pendingData = chunks;
    const onClose = () => cb(ERR_SOCKET_CLOSED_BEFORE_CONNECTION());
    socket.once("connect", () => {
      socket.off("close", onClose);
      writeGeneric(socket, chunks, cb, entries, uncounted);
    });
    socket.once("close", onClose);
    return;
  }
  const conn = dispatchTo(socket, cb);
  if (conn === null) return;
  let bytes = 0;
  for (const c of chunks) bytes += c.byteLength;
  state.bytesDispatched += bytes;
  /** Chunks the RawConn reported accepted; of them, the entries whose callbacks said ok. */
  let reported = 0;
  let succeeded = 0;
  /** Inside `conn.write`: what is reported now, the runtime took at once. */
  let dispatching = true;
  conn.write(chunks, (err, accepted) => {
    reported += accepted;
    if (err) {
      // Node's string write from its stack buffer counts only the bytes sent.
      if (dispatching && uncounted) state.bytesDispatched -= bytes;
      // A write the close cut off fails after the socket's 'error', as in Node, where
      // libuv cancels it in the close phase of the loop turn (Deno's write settles before
      // a nextTick; an adapter reporting from the close phase, `closePhase`, has it
      // right). Chunks accepted at once say ok later too.
      if (
        (socket.destroyed && !socket[kAdapter].capabilities.closePhase) ||
        (dispatching && entries && reported > succeeded)
      ) {
        setImmediate(settle, socket, cb, err, entries, succeeded, reported);
      } else settle(socket, cb, err, entries, succeeded, reported);
      return;
    }
    state.idle.refresh();
    if (reported >= chunks.length) cb();
    else if (entries && !dispatching) {
      succeed(entries, succeeded, reported);
      succeeded = reported;
    }
  });
  dispatching = false;
}

/**
 * `_write`'s one chunk: what {@link writeGeneric} does for a batch of one without entries,
 * with a smaller closure per write (no batch counters): the write every ping-pong and bulk
 * transfer makes. While connecting it is writeGeneric's (held until 'connect').
 */
export function writeChunk(socket: SocketCore, chunk: Uint8Array, cb: Callback, uncounted: boolean): void {
  if (socket.connecting) {
    writeGeneric(socket, [chunk], cb, undefined, uncounted);
    return;
  }
  const conn = dispatchTo(socket, cb);
  if (conn === null) return;
  socket[kState].bytesDispatched += chunk.byteLength;
  /** Bit 1: inside `conn.write` (reported now, the runtime took it at once); bit 2: accepted. */
  let bits = IN_WRITE;
  conn.write([chunk], (err, accepted) => {
    if (accepted > 0) bits |= ACCEPTED;
    if (err) {
      // As writeGeneric: a string write from Node's stack buffer counts only once sent,
      // and a write the close cut off fails after the socket's 'error'.
      if ((bits & IN_WRITE) !== 0 && uncounted) socket[kState].bytesDispatched -= chunk.byteLength;
      if (socket.destroyed && !socket[kAdapter].capabilities.closePhase) setImmediate(cb, err);
      else cb(err);
      return;
    }
    socket[kState].idle.refresh();
    if ((bits & ACCEPTED) !== 0) cb();
  });
  bits &= ~IN_WRITE;
}

const IN_WRITE = 1;
const ACCEPTED = 2;

/**
 * The connection a write goes to now (nothing held for 'connect' any more; the socket
 * counts as active), or null with `cb` told the socket is closed.
 */
function dispatchTo(socket: SocketCore, cb: Callback): RawConn | null {
  const state = socket[kState];
  state.pendingData = null;
  const conn = socket[kConn];
  if (!conn || state.handleClosed) {
    cb(ERR_SOCKET_CLOSED());
    return null;
  }
  state.idle.refresh();
  return conn;
}

/**
 * Node writes a short string (at most 16 KiB once encoded, by its estimate) in these
 * encodings from a stack buffer (`StreamBase::WriteString`) and counts its bytes in
 * `bytesWritten` only as they are sent: one that fails at once (`EPIPE`) is not counted.
 * Other writes count in full when handed over. The names are Node's `createWriteReq`
 * switch: any other spelling ("UTF8") goes through a Buffer and counts.
 */
export function countsOnceSent(chunk: unknown, encoding: string): boolean {
  if (typeof chunk !== "string") return false;
  switch (encoding) {
    case "latin1":
    case "binary":
    case "ascii":
      return chunk.length <= STACK_STORAGE;
    case "utf8":
    case "utf-8":
      return 3 * chunk.length <= STACK_STORAGE;
    case "ucs2":
    case "ucs-2":
    case "utf16le":
    case "utf-16le":
      return 2 * chunk.length <= STACK_STORAGE;
    default:
      return false;
  }
}

/** The stack buffer of Node's `StreamBase::WriteString`. */
const STACK_STORAGE = 16384;

/** The batch failed: the accepted entries say ok, then the failed chunk and those after. */
function settle(
  socket: SocketCore,
  cb: Callback,
  err: Error,
  entries: BatchEntry[] | undefined,
  succeeded: number,
  reported: number,
): void {
  if (entries) succeed(entries, succeeded, reported);
  failed(socket, cb, err, entries, reported);
}

/** The batch failed at chunk `at`: it gets `err`, those after it the socket's error. */
function failed(socket: SocketCore, cb: Callback, err: Error, entries: BatchEntry[] | undefined, at: number): void {
  if (entries) unsent(socket, entries, at + 1);
  cb(err);
}

function noop(): void {}

/** The callbacks of `entries[from, to)` say ok now; the batch's callback skips them. */
function succeed(entries: BatchEntry[], from: number, to: number): void {
  for (let i = from; i < to && i < entries.length; i++) {
    const entry = entries[i] as BatchEntry & { callback?: unknown };
    const callback = entry.callback;
    if (typeof callback !== "function") continue;
    entry.callback = noop;
    callback(null);
  }
}

/**
 * `entries[from…]` never reached the runtime: when the batch's callback fails them, they
 * get what the Writable's buffered writes get (its `errorBuffer`), the socket's error.
 */
function unsent(socket: SocketCore, entries: BatchEntry[], from: number): void {
  for (let i = from; i < entries.length; i++) {
    const entry = entries[i] as BatchEntry & { callback?: unknown };
    const callback = entry.callback;
    if (typeof callback !== "function" || callback === noop) continue;
    entry.callback = (err: Error) => callback(socket.errored ?? err);
  }
}

/** Implements `_final`: send FIN once every queued write is out. */
export function shutdown(socket: SocketCore, cb: Callback): void {
  if (socket.connecting) {
    socket.once("connect", () => socket._final(cb));
    return;
  }
  const conn = socket[kConn];
  if (!conn || socket[kState].handleClosed) {
    cb();
    return;
  }
  conn.shutdown((err) => {
    if (err && (err as { code?: string }).code !== "ENOTCONN") cb(err);
    else cb();
  });
}

/** Bytes sent on the current connection, counting those still queued (as Node does). */
export function bytesWritten(socket: SocketCore): number | undefined {
  const state = socket[kState];
  let bytes = state.bytesDispatched;
  // deno-lint-ignore no-explicit-any
  const buffered = (socket as any).writableBuffer as { chunk: unknown; encoding: BufferEncoding }[] | undefined;
  if (!buffered) return undefined;
  for (const el of buffered) bytes += byteLengthOf(el.chunk, el.encoding);
  if (state.pendingData) { for (const c of state.pendingData) bytes += c.byteLength; }
  return bytes;
}
