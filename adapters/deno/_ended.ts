// A write on a Deno TCP handle after the peer's FIN, once the peer has reset: libuv's
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
import type { StreamHandle } from "../_shared/libuv.ts";
import { runtimePlatform } from "../_shared/runtime_platform.ts";

/** The read callback HandleConn set (the handle's `onread` getter gives `trackEnd`). */
const kOnRead = Symbol("omninet.onread");
/** Set once the handle read EOF. */
const kEnded = Symbol("omninet.ended");

const UV_EOF = -4095;
const UV_EPIPE = runtimePlatform.errno("EPIPE") ?? -32;
const UV_ENOTCONN = runtimePlatform.errno("ENOTCONN") ?? -107;

let state: Int32Array;
let kReadBytesOrError: number;
/** getpeername's output, reused: only its status is read. */
const scratch: Record<string, unknown> = {};

/** Deno calls the handle's `onread`; this notes EOF, then calls HandleConn's. */
function trackEnd(this: StreamHandle, buffer?: ArrayBuffer): void {
  if (state[kReadBytesOrError] === UV_EOF) this[kEnded] = true;
  (this[kOnRead] as (this: StreamHandle, buffer?: ArrayBuffer) => void).call(this, buffer);
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
  if (handle[kEnded] !== true) return 0;
  return handle.getpeername!(scratch) === UV_ENOTCONN ? UV_EPIPE : 0;
}
