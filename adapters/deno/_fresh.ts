// Writes on a just-accepted Deno handle, held until Deno takes them safely.
//
// Deno queues every write made on an accepted handle before its poll has taken the socket
// (usually until the event loop's next timer turn; Node's libuv writes at once), and when
// the peer's FIN arrived meanwhile the queued write fails with EPIPE, its bytes never sent,
// although the peer only half-closed (scripts/investigate/deno_tcp_wrap_accept_write.ts;
// Deno's own node:net loses them the same way). So the first write, shutdown or close on
// an accepted handle first asks with an empty write whether Deno takes writes at once
// yet; if not, it and every later one is held here, in order, and made once the answer is
// yes (asked again each `setTimeout(0)` turn; one timer for all waiting handles). A handle
// that is first written after its first read (an echo, a request/response server) is
// ready by then and costs only the empty write. A TCP handle's first read since (data or
// EOF) asks sooner: the reactor event that gave it read readiness gave write readiness
// too (_ended.ts calls `polled`). No signal comes sooner than a timer turn otherwise: an
// empty write Deno queued completes without readiness, and a microtask, an immediate or a
// MessageChannel message runs before Deno's reactor does. To the caller a held write is
// one the runtime queued (kLastWriteWasAsync 1): its oncomplete follows, as Deno's would.
import type { StreamHandle, WriteReq } from "../_shared/libuv.ts";
import { FRESH, has, set } from "./_flags.ts";

/** Calls held for a handle: [kind, a, b, c] repeated. */
const kHeld = Symbol("omninet.held");
/** Timer turns a handle's calls have been held. */
const kTurns = Symbol("omninet.heldTurns");

export const WRITE_BUFFER = 0;
export const WRITEV = 1;
export const SHUTDOWN = 2;
export const CLOSE = 3;
export const RESET = 4;

/** Timer turns a handle's calls are held at most: then they go to Deno as they are. */
const MAX_TURNS = 20;
const EMPTY = new Uint8Array(0);
const ignore = () => {};

let timer = false;
let holding: StreamHandle[] = [];
let state: Int32Array;
let kLastWriteWasAsync: number;
let WriteWrap: new () => WriteReq;
let writeBuffer: StreamHandle["writeBuffer"];

/**
 * The stream state array the runtime reports writes through, its write request class, and
 * its own `writeBuffer` (the handles' is the subclass's, which asks `isFresh`).
 */
export function initFresh(
  streamState: Int32Array,
  lastWriteWasAsync: number,
  writeWrap: new () => WriteReq,
  nativeWriteBuffer: StreamHandle["writeBuffer"],
): void {
  state = streamState;
  kLastWriteWasAsync = lastWriteWasAsync;
  WriteWrap = writeWrap;
  writeBuffer = nativeWriteBuffer;
}

/** A handle was just accepted: its first write, shutdown or close asks whether Deno is ready. */
export function markFresh(handle: StreamHandle): void {
  set(handle, FRESH, true);
}

/**
 * Whether a call on `handle` must be held now: while calls are held, and while Deno does
 * not take writes on it at once yet. Asked only until the first call finds it ready, so a
 * handle costs one empty write, and a timer only where calls wait.
 */
export function isFresh(handle: StreamHandle): boolean {
  if (!has(handle, FRESH)) return false;
  if (handle[kHeld] !== undefined) return true;
  if (!ready(handle)) return true;
  set(handle, FRESH, false);
  return false;
}

/** Hold one call; a held write looks queued to the caller (kLastWriteWasAsync 1). */
export function hold(handle: StreamHandle, kind: number, a?: unknown, b?: unknown, c?: unknown): number {
  let held = handle[kHeld] as unknown[] | undefined;
  if (held === undefined) {
    held = handle[kHeld] = [];
    holding.push(handle);
    if (!timer) {
      timer = true;
      setTimeout(endTurn, 0);
    }
  }
  held.push(kind, a, b, c);
  if (kind === WRITE_BUFFER || kind === WRITEV) state[kLastWriteWasAsync] = 1;
  return 0;
}

/** A read on a fresh `handle` (not an empty one): Deno may take its held calls now. */
export function polled(handle: StreamHandle): void {
  if (handle[kHeld] === undefined || !ready(handle)) return;
  set(handle, FRESH, false);
  replay(handle); // it stays in `holding` until the turn ends, with nothing held
}

function endTurn(): void {
  timer = false;
  const handles = holding;
  holding = [];
  for (const handle of handles) {
    if (handle[kHeld] === undefined) continue; // replayed by `polled`
    const turns = handle[kTurns] = ((handle[kTurns] as number | undefined) ?? 0) + 1;
    if (ready(handle) || turns >= MAX_TURNS) {
      set(handle, FRESH, false);
      replay(handle);
    } else {
      // Not yet: hold on for another turn (one timer for all such handles).
      holding.push(handle);
      if (!timer) {
        timer = true;
        setTimeout(endTurn, 0);
      }
    }
  }
}

/**
 * Whether Deno takes writes on `handle` at once now: an empty write completes inside the
 * call once Deno's poll has the socket (usually by the first timer turn, not always).
 */
function ready(handle: StreamHandle): boolean {
  const req = new WriteWrap();
  req.oncomplete = ignore;
  const err = writeBuffer.call(handle, req, EMPTY);
  return err < 0 || state[kLastWriteWasAsync] === 0;
}

/** Make the held calls on `handle` (no longer fresh, so they reach Deno), in order. */
function replay(handle: StreamHandle): void {
  const held = handle[kHeld] as unknown[];
  handle[kHeld] = undefined;
  for (let i = 0; i < held.length; i += 4) {
    const kind = held[i];
    if (kind === WRITE_BUFFER || kind === WRITEV) {
      const req = held[i + 1] as WriteReq;
      const err = kind === WRITE_BUFFER
        ? handle.writeBuffer(req, held[i + 2] as Uint8Array)
        : handle.writev(req, held[i + 2] as Uint8Array[], held[i + 3] as boolean);
      // The caller waits for oncomplete: report what Deno settled inside the call.
      if (err < 0) req.oncomplete.call(req, err, handle);
      else if (state[kLastWriteWasAsync] === 0) req.oncomplete.call(req, 0, handle);
    } else if (kind === SHUTDOWN) {
      const req = held[i + 1] as { oncomplete(this: unknown, status: number): void };
      const err = handle.shutdown(req as never);
      if (err !== 0) req.oncomplete.call(req, err === 1 ? 0 : err);
    } else if (kind === CLOSE) {
      handle.close(held[i + 1] as (this: StreamHandle) => void);
    } else if (kind === RESET) {
      handle.reset!(held[i + 1] as (this: StreamHandle) => void);
    }
  }
}
