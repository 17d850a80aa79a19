// The Socket's read side, as functions over the socket (Node's stream_base_commons.js
// shape): bytes from the RawConn into the stream (or into an `onread` buffer), the
// peer's FIN, and reading on and off with the stream's backpressure.
import { Buffer } from "node:buffer";
import { Readable } from "node:stream";
import { kConn, kState } from "../_symbols.ts";
import { asBuffer } from "./_util.ts";
import type { SocketCore } from "./_types.ts";

/**
 * Whether this runtime's `Readable.read()` without a size returns everything buffered when
 * the stream is not flowing, as Node's does. Deno's and Bun's node:stream return only the
 * first buffered chunk, so a reader calling `read()` once per `'readable'` stalls there.
 * Found out once, by trying it.
 */
const readReturnsAll: boolean = (() => {
  const probe = new Readable({ read() {} });
  probe.push(Buffer.of(1));
  probe.push(Buffer.of(2));
  return (probe.read() as Buffer | null)?.byteLength === 2;
})();

/** The parts of node:stream's ReadableState that `readBuffered` needs (all runtimes have them). */
interface ReadableStateView {
  length: number;
  highWaterMark: number;
  ended: boolean;
  objectMode: boolean;
}

/**
 * Whether the runtime's own `read()` without a size already does what Node's does here:
 * it returns everything buffered, or the stream flows (one chunk), or nothing is buffered.
 * Only otherwise does `read()` need {@link readBuffered}.
 */
export function readsAsNode(socket: SocketCore): boolean {
  // deno-lint-ignore no-explicit-any
  const state = (socket as any)._readableState as ReadableStateView;
  return readReturnsAll || state.objectMode || socket.readableFlowing === true || state.length === 0;
}

/**
 * Implements `read()` without a size with Node's rule: when not flowing, everything
 * buffered. Where the runtime returns only the first chunk, this reads the buffered length
 * instead, without keeping the larger highWaterMark `read(n)` sets for such an `n`, and
 * ends the stream as Node's `read()` does when that emptied the buffer after the FIN.
 */
export function readBuffered(
  socket: SocketCore,
  read: (size?: number) => Buffer | string | null,
): Buffer | string | null {
  // deno-lint-ignore no-explicit-any
  const state = (socket as any)._readableState as ReadableStateView;
  const highWaterMark = state.highWaterMark;
  const chunk = read(state.length);
  state.highWaterMark = highWaterMark;
  if (state.length === 0 && state.ended && !socket.readableEnded) read(0);
  return chunk;
}

/** Bytes arrived from the current RawConn. */
export function onStreamRead(socket: SocketCore, chunk: Uint8Array): void {
  const state = socket[kState];
  state.bytesRead += chunk.byteLength;
  state.idle.refresh();
  if (socket.destroyed) return;
  const keepReading = state.onread ? state.onread.deliver(socket, chunk) : socket.push(asBuffer(chunk));
  if (!keepReading) socket[kConn]?.readStop();
}

/** The peer sent FIN. */
export function onStreamEnd(socket: SocketCore): void {
  const state = socket[kState];
  state.idle.refresh();
  state.eof = true;
  if (state.onread && !state.onread.end()) return;
  socket.push(null);
  socket.read(0);
}

/** Implements `_read`: start reading once connected. */
export function readStart(socket: SocketCore, size: number): void {
  const conn = socket[kConn];
  if (socket.connecting || !conn) {
    socket.once("connect", () => socket._read(size));
    return;
  }
  if (socket[kState].onread) readIntoUserBuffer(socket);
  else if (!socket[kState].eof) conn.readStart();
}

/** With `onread`, on `pause()`: stop reading at the socket. */
export function pauseUserBuffer(socket: SocketCore): void {
  const conn = socket[kConn];
  const onread = socket[kState].onread;
  if (onread && !socket.connecting && conn && !onread.stopped && !socket.destroyed) {
    onread.stopped = true;
    conn.readStop();
  }
}

/**
 * With `onread`, on `resume()` and `read()`: read into the user buffer again if stopped.
 * `unlessEnded` (read()): not once the FIN was handled, as Node's handle is done by then.
 */
export function resumeUserBuffer(socket: SocketCore, unlessEnded: boolean): void {
  const state = socket[kState];
  const onread = state.onread;
  if (onread && onread.stopped && !(unlessEnded && state.eof && !onread.holding)) readIntoUserBuffer(socket);
}

/** With `onread`: deliver held bytes, then read again (or end, or stay stopped). */
function readIntoUserBuffer(socket: SocketCore): void {
  const conn = socket[kConn];
  const state = socket[kState];
  if (!state.onread || socket.connecting || !conn || socket.destroyed) return;
  const next = state.onread.resume(socket);
  if (next === "end") {
    socket.push(null);
    socket.read(0);
  } else if (next === "read" && !state.eof) {
    conn.readStart();
  }
}
