// Deno TCP handles after a peer's RST, where libuv and Deno's poll loop differ.
//
// 1. A write on a Deno TCP handle after the peer's FIN, once the peer has reset: libuv's
// try_write fails inside the write call (EPIPE), Deno's queues the write and fails it with
// EPIPE from its poll loop later (scripts/investigate/deno_write_fail_probe.ts), so Node's
// `write()` returns false with the error already emitted where omninet's would not.
//
// What the adapter can tell exactly, before the write: after EOF the socket is in
// CLOSE_WAIT; a peer's RST there moves it to CLOSE and sets the socket's error to EPIPE
// (Linux's tcp_reset), and a socket in CLOSE fails every write (with that pending error,
// or EPIPE once taken). getpeername answers ENOTCONN exactly in CLOSE. So a write on a
// handle that read EOF asks getpeername first, and ENOTCONN is libuv's EPIPE, at once, with
// nothing handed to Deno. Asked only after EOF: a socket still reading learns of a reset
// from its read, and without EOF the kernel's error would be ECONNRESET, which Deno
// reports as EPIPE anyway. Asked before the write, never after: on loopback a write to a
// closed peer draws the RST inside the write call, after the kernel took bytes (libuv then
// fails the rest later, as Deno does).
//
// 2. Data, then the peer's RST, both waiting while the socket did not read: libuv's event
// for the socket has POLLHUP (the socket is in CLOSE), and after a read that did not fill
// its buffer libuv ends the stream (uv__stream_io: POLLHUP, still reading, partial read:
// EOF) without the read that would return the kernel's ECONNRESET; Deno makes that read.
// So readStart asks getpeername: ENOTCONN means CLOSE already, where nothing more can
// arrive; the first read that does not fill the 64 KiB buffer then has taken everything,
// and the stream ends after it (if the core still reads), Deno's reading stopped as
// libuv's EOF stops it. Asked at readStart, before any read, as libuv's POLLHUP is known
// before its read: asked after a read, a FIN that came meanwhile would cut data off. An
// RST coming after readStart races on libuv too: Deno's ECONNRESET is left as it is.
import type { ConnectReq, StreamHandle } from "../_shared/libuv.ts";
import { runtimePlatform } from "../_shared/runtime_platform.ts";
import { polled } from "./_fresh.ts";
import { ENDED, FRESH, has, HUNG_UP, OPENING, set, STOPPED } from "./_flags.ts";

/** The read callback HandleConn set (the handle's `onread` getter gives `trackEnd`). */
const kOnRead = Symbol("omninet.onread");
/** A connect request's own oncomplete. */
const kOnConnect = Symbol("omninet.onconnect");

/** libuv's (and Deno's) read buffer: a read this size is not partial. */
const READ_SIZE = 65536;

const UV_EOF = -4095;
const UV_EPIPE = runtimePlatform.errno("EPIPE") ?? -32;
const UV_ENOTCONN = runtimePlatform.errno("ENOTCONN") ?? -107;

let state: Int32Array;
let kReadBytesOrError: number;
/** getpeername's output, reused: only its status is read. */
const scratch: Record<string, unknown> = {};

type OnRead = (this: StreamHandle, buffer?: ArrayBuffer) => void;

/** Deno calls the handle's `onread`: this notes EOF, calls HandleConn's, ends as libuv would. */
function trackEnd(this: StreamHandle, buffer?: ArrayBuffer): void {
  const nread = state[kReadBytesOrError];
  const onRead = this[kOnRead] as OnRead;
  if (nread === UV_EOF) set(this, ENDED, true);
  // Calls held on a just-accepted handle go first: Node made them before any read.
  if (nread !== 0 && has(this, FRESH)) polled(this);
  onRead.call(this, buffer);
  // A full read goes on reading; 0 (Deno's would-block) and errors are no partial read.
  if (!has(this, HUNG_UP) || nread <= 0 || nread === READ_SIZE) return;
  set(this, HUNG_UP, false);
  if (has(this, STOPPED | ENDED) || this[kOnRead] !== onRead) return;
  set(this, ENDED, true);
  this.readStop();
  state[kReadBytesOrError] = UV_EOF;
  onRead.call(this);
}

/**
 * A readStart: is the socket in CLOSE already (libuv's POLLHUP)? Not asked when reading
 * starts as the connection opens (inside the connect's completion or the accept): an RST
 * there raced the connection on libuv too, and the syscall would cost every connection.
 */
export function readStarted(handle: StreamHandle): void {
  set(handle, STOPPED, false);
  if (has(handle, OPENING | ENDED)) return;
  if (handle.getpeername!(scratch) === UV_ENOTCONN) set(handle, HUNG_UP, true);
}

/** A readStop. */
export function readStopped(handle: StreamHandle): void {
  set(handle, STOPPED, true);
}

/** An accepted `handle` is being announced (true), or no longer (false). */
export function opening(handle: StreamHandle, on: boolean): void {
  set(handle, OPENING, on);
}

type OnConnect = (this: ConnectReq, status: number, handle: StreamHandle, ...rest: unknown[]) => void;

/** A connect's completion (Deno passes the handle, as Node does) runs with the handle opening. */
function onConnect(this: ConnectReq, status: number, handle: StreamHandle, req: unknown, r: unknown, w: unknown): void {
  set(handle, OPENING, true);
  try {
    (this[kOnConnect] as OnConnect).call(this, status, handle, req, r, w);
  } finally {
    set(handle, OPENING, false);
  }
}

/** Have `req`'s completion run with its handle opening. */
export function watchConnect(req: ConnectReq): void {
  req[kOnConnect] = req.oncomplete;
  req.oncomplete = onConnect as ConnectReq["oncomplete"];
}

/** Makes the handles of the class whose prototype this is note their EOF. */
export function trackEof(proto: object, streamState: Int32Array, readBytesOrError: number): void {
  state = streamState;
  kReadBytesOrError = readBytesOrError;
  Object.defineProperty(proto, "onread", {
    configurable: true,
    get(this: StreamHandle) {
      return this[kOnRead] ? trackEnd : null;
    },
    set(this: StreamHandle, fn: StreamHandle["onread"]) {
      this[kOnRead] = fn;
    },
  });
}

/** libuv's EPIPE when a write on `handle` would fail at once there, else 0. */
export function failsAtOnce(handle: StreamHandle): number {
  if (!has(handle, ENDED)) return 0;
  return handle.getpeername!(scratch) === UV_ENOTCONN ? UV_EPIPE : 0;
}
