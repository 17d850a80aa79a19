// Node's normalizeArgs: the many call shapes of connect() and listen() reduced to
// `[options, callback]`.
import { kNormalized } from "./_symbols.ts";

/** `[options, callback]` as produced by {@link normalizeArgs}. */
export type NormalizedArgs = [Record<string, unknown>, ((...args: unknown[]) => void) | null] & {
  [kNormalized]?: true;
};

/** Node's `toNumber` in net.js: `Number(x)` when non-negative, else false. */
export function toNumber(x: unknown): number | false {
  const n = Number(x);
  return n >= 0 ? n : false;
}

/** A string that is not a non-negative number names a pipe (Unix socket path). */
export function isPipeName(s: unknown): s is string {
  return typeof s === "string" && toNumber(s) === false;
}

/**
 * `(options[, cb])`, `(path[, cb])`, `(port[, host][, cb])` → `[options, cb]`, exactly as
 * Node's net does (a numeric-looking string is a port, anything else a path).
 */
export function normalizeArgs(args: unknown[]): NormalizedArgs {
  let arr: NormalizedArgs;
  if (args.length === 0) {
    arr = [{}, null];
    arr[kNormalized] = true;
    return arr;
  }
  const arg0 = args[0];
  let options: Record<string, unknown> = {};
  if (typeof arg0 === "object" && arg0 !== null) {
    options = arg0 as Record<string, unknown>;
  } else if (isPipeName(arg0)) {
    options.path = arg0;
  } else {
    options.port = arg0;
    if (args.length > 1 && typeof args[1] === "string") options.host = args[1];
  }
  const cb = args[args.length - 1];
  arr = [options, typeof cb === "function" ? cb as (...args: unknown[]) => void : null];
  arr[kNormalized] = true;
  return arr;
}

/** True for an array that came out of {@link normalizeArgs}. */
export function isNormalized(value: unknown): value is NormalizedArgs {
  return Array.isArray(value) && (value as NormalizedArgs)[kNormalized] === true;
}
