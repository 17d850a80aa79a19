// One number per Deno handle for the adapter's states (_fresh.ts, _ended.ts), set in the
// handle classes' constructor: an own property from the start, so that the check each
// read, write, readStart and close makes is one load, not a symbol looked up through the
// native prototype chain (a miss per check).
import type { StreamHandle } from "../_shared/libuv.ts";

/** The handle's flags (below). */
export const kFlags = Symbol("omninet.flags");

/** Accepted, and Deno may not take writes at once yet (_fresh.ts). */
export const FRESH = 1;
/** The handle read EOF. */
export const ENDED = 2;
/** At readStart the socket was in CLOSE already (_ended.ts). */
export const HUNG_UP = 4;
/** readStop without readStart since. */
export const STOPPED = 8;
/** A connect's completion or an accept's onconnection runs. */
export const OPENING = 16;

/** Whether `handle` has `flag`. */
export function has(handle: StreamHandle, flag: number): boolean {
  return ((handle[kFlags] as number) & flag) !== 0;
}

/** Set (`on`) or clear `flag` on `handle`. */
export function set(handle: StreamHandle, flag: number, on: boolean): void {
  const flags = handle[kFlags] as number;
  handle[kFlags] = on ? flags | flag : flags & ~flag;
}
