// Writes on a just-accepted Deno handle, held until Deno takes them safely.
//
// Deno queues every write made on an accepted handle before the event loop's next timer
// turn (its poll has not taken the socket yet; Node's libuv writes at once), and when the
// peer's FIN arrived meanwhile the queued write fails with EPIPE, its bytes never sent,
// although the peer only half-closed (scripts/investigate/deno_tcp_wrap_accept_write.ts;
// Deno's own node:net loses them the same way). So the writes, shutdowns and closes made on
// a handle in the turn it was accepted in are held here, in order, and made once one
// `setTimeout(0)` has passed (one timer per turn with accepts, not per connection). To the
// caller a held write is one the runtime queued (kLastWriteWasAsync 1): its oncomplete
// follows, as Deno's own would.
import type { StreamHandle, WriteReq } from "../node/_libuv.ts";

/** The turn a handle was accepted in. */
const kTurn = Symbol("omninet.acceptTurn");
/** Calls held for a handle: [kind, a, b, c] repeated. */
const kTurns = Symbol("omninet.heldTurns");
const kHeld = Symbol("omninet.held");

export const WRITE_BUFFER = 0;
export const WRITEV = 1;
export const SHUTDOWN = 2;
export const CLOSE = 3;
export const RESET = 4;

let turn = 0;
let timer = false;
let holding: StreamHandle[] = [];
let state: Int32Array;
let kLastWriteWasAsync: number;
let WriteWrap: new () => WriteReq;

/** The stream state array the runtime reports writes through, and its write request class. */
export function initFresh(streamState: Int32Array, lastWriteWasAsync: number, writeWrap: new () => WriteReq): void {
  state = streamState;
  kLastWriteWasAsync = lastWriteWasAsync;
  WriteWrap = writeWrap;
}

/** A handle was just accepted: its calls are held until the next timer turn. */
export function markFresh(handle: StreamHandle): void {
  handle[kTurn] = turn;
  if (!timer) {
    timer = true;
    setTimeout(endTurn, 0);
  }
}

/** Whether calls on `handle` must be held now. */
export function isFresh(handle: StreamHandle): boolean {
  return handle[kTurn] === turn && timer;
}

/** Hold one call; a held write looks queued to the caller (kLastWriteWasAsync 1). */
export function hold(handle: StreamHandle, kind: number, a?: unknown, b?: unknown, c?: unknown): number {
  let held = handle[kHeld] as unknown[] | undefined;
  if (held === undefined) {
    held = handle[kHeld] = [];
    holding.push(handle);
  }
  held.push(kind, a, b, c);
  if (kind === WRITE_BUFFER || kind === WRITEV) state[kLastWriteWasAsync] = 1;
  return 0;
}

/** Timer turns a handle's calls are held at most: then they go to Deno as they are. */
const MAX_TURNS = 20;
const EMPTY = new Uint8Array(0);
const ignore = () => {};

function endTurn(): void {
  timer = false;
  turn++;
  const handles = holding;
  holding = [];
  for (const handle of handles) {
    if (ready(handle) || (handle[kTurns] = ((handle[kTurns] as number | undefined) ?? 0) + 1) >= MAX_TURNS) {
      replay(handle);
    } else {
      // Not yet: hold on for another turn (one timer for all such handles).
      holding.push(handle);
      handle[kTurn] = turn;
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
  const err = handle.writeBuffer(req, EMPTY);
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
