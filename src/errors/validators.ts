/**
 * Argument validation with Node's error codes and messages (as Node's own
 * `internal/validators`).
 *
 * @module
 */
import { ERR_INVALID_ARG_TYPE, ERR_INVALID_ARG_VALUE, ERR_OUT_OF_RANGE, ERR_SOCKET_BAD_PORT } from "./errors.ts";

/** Throws ERR_INVALID_ARG_TYPE unless `value` is a string. */
export function validateString(value: unknown, name: string): asserts value is string {
  if (typeof value !== "string") throw ERR_INVALID_ARG_TYPE(name, "string", value);
}

/** Throws ERR_INVALID_ARG_TYPE unless `value` is a boolean. */
export function validateBoolean(value: unknown, name: string): asserts value is boolean {
  if (typeof value !== "boolean") throw ERR_INVALID_ARG_TYPE(name, "boolean", value);
}

/** Throws ERR_INVALID_ARG_TYPE unless `value` is a function. */
// deno-lint-ignore ban-types
export function validateFunction(value: unknown, name: string): asserts value is Function {
  if (typeof value !== "function") throw ERR_INVALID_ARG_TYPE(name, "Function", value);
}

/** Options for {@link validateObject}. */
export interface ValidateObjectOptions {
  /** Accept `null`. @default false */
  nullable?: boolean;
  /** Accept arrays. @default false */
  allowArray?: boolean;
  /** Accept functions. @default false */
  allowFunction?: boolean;
}

/** Throws ERR_INVALID_ARG_TYPE unless `value` is a plain-enough object. */
export function validateObject(
  value: unknown,
  name: string,
  options: ValidateObjectOptions = {},
): asserts value is Record<string, unknown> {
  const { nullable = false, allowArray = false, allowFunction = false } = options;
  const ok = (nullable && value === null) ||
    (value !== null && (typeof value === "object" || (allowFunction && typeof value === "function")) &&
      (allowArray || !Array.isArray(value)));
  if (!ok) throw ERR_INVALID_ARG_TYPE(name, "Object", value);
}

function rangeText(min?: number, max?: number): string {
  const parts: string[] = [];
  if (min !== undefined) parts.push(`>= ${min}`);
  if (max !== undefined) parts.push(`<= ${max}`);
  return parts.join(" && ");
}

/** Throws unless `value` is a number within [min, max] (NaN is out of range when bounded). */
export function validateNumber(value: unknown, name: string, min?: number, max?: number): asserts value is number {
  if (typeof value !== "number") throw ERR_INVALID_ARG_TYPE(name, "number", value);
  if (
    (min !== undefined && value < min) || (max !== undefined && value > max) ||
    ((min !== undefined || max !== undefined) && Number.isNaN(value))
  ) {
    throw ERR_OUT_OF_RANGE(name, rangeText(min, max), value);
  }
}

/** Throws unless `value` is an integer in the int32 range (or [min, max]). */
export function validateInt32(
  value: unknown,
  name: string,
  min = -2147483648,
  max = 2147483647,
): asserts value is number {
  if (typeof value !== "number") throw ERR_INVALID_ARG_TYPE(name, "number", value);
  if (!Number.isInteger(value)) throw ERR_OUT_OF_RANGE(name, "an integer", value);
  if (value < min || value > max) throw ERR_OUT_OF_RANGE(name, `>= ${min} && <= ${max}`, value);
}

/** Throws unless `value` is an unsigned 32-bit integer (> 0 when `positive`). */
export function validateUint32(value: unknown, name: string, positive = false): asserts value is number {
  if (typeof value !== "number") throw ERR_INVALID_ARG_TYPE(name, "number", value);
  if (!Number.isInteger(value)) throw ERR_OUT_OF_RANGE(name, "an integer", value);
  const min = positive ? 1 : 0;
  const max = 4294967295;
  if (value < min || value > max) throw ERR_OUT_OF_RANGE(name, `>= ${min} && <= ${max}`, value);
}

/** Throws ERR_INVALID_ARG_VALUE unless `value` is one of `allowed`. */
export function validateOneOf<T>(value: unknown, name: string, allowed: readonly T[]): asserts value is T {
  if (!allowed.includes(value as T)) {
    const list = allowed.map((v) => typeof v === "string" ? `'${v}'` : String(v)).join(", ");
    throw ERR_INVALID_ARG_VALUE(name, value, `must be one of: ${list}`);
  }
}

/**
 * Node's validatePort: a number or numeric string in [0, 65535] (> 0 unless
 * `allowZero`); returns it as a number.
 */
export function validatePort(port: unknown, name = "Port", allowZero = true): number {
  if (
    (typeof port !== "number" && typeof port !== "string") ||
    (typeof port === "string" && port.trim().length === 0) ||
    +port !== (+port >>> 0) ||
    +port > 0xffff ||
    (+port === 0 && !allowZero)
  ) {
    throw ERR_SOCKET_BAD_PORT(name, port, allowZero);
  }
  return +port | 0;
}

/** Throws ERR_INVALID_ARG_TYPE unless `signal` is undefined or an AbortSignal-like object. */
export function validateAbortSignal(signal: unknown, name: string): asserts signal is AbortSignal | undefined {
  if (signal !== undefined && (signal === null || typeof signal !== "object" || !("aborted" in signal))) {
    throw ERR_INVALID_ARG_TYPE(name, "AbortSignal", signal);
  }
}
