/**
 * Node's `ERR_*` argument and state errors, with Node's codes and messages. System errors
 * (`ECONNREFUSED` …) are in `system_errors.ts`.
 *
 * @module
 */
import { describeReceived, inspect } from "./_inspect.ts";

type ErrorClass = ErrorConstructor | TypeErrorConstructor | RangeErrorConstructor;

/** An error with Node's `code` property, printed as `Name [CODE]: message`. */
export interface NodeError extends Error {
  /** Node's error code, such as `ERR_INVALID_ARG_TYPE`. */
  code: string;
}

function nodeError(Base: ErrorClass, code: string, message: string): NodeError {
  const err = new Base(message) as NodeError;
  Object.defineProperty(err, "code", { value: code, enumerable: true, writable: true, configurable: true });
  Object.defineProperty(err, "toString", {
    value() {
      return `${this.name} [${code}]: ${this.message}`;
    },
    enumerable: false,
    writable: true,
    configurable: true,
  });
  if (typeof err.stack === "string") {
    err.stack = err.stack.replace(/^[A-Za-z]*Error/, `$& [${code}]`);
  }
  return err;
}

const kTypes = ["string", "function", "number", "object", "Function", "Object", "boolean", "bigint", "symbol"];
const classRe = /^([A-Z][a-z0-9]*)+$/;

function listOf(items: string[], prefix: string): string {
  if (items.length > 2) return `${prefix}${items.slice(0, -1).join(", ")}, or ${items[items.length - 1]}`;
  if (items.length === 2) return `${prefix}${items[0]} or ${items[1]}`;
  return `${prefix}${items[0]}`;
}

/** `The "name" argument must be of type … Received …` (TypeError). */
export function ERR_INVALID_ARG_TYPE(name: string, expected: string | string[], actual: unknown): NodeError {
  const list = Array.isArray(expected) ? expected : [expected];
  let msg = "The ";
  if (name.endsWith(" argument")) msg += `${name} `;
  else msg += `"${name}" ${name.includes(".") ? "property" : "argument"} `;
  msg += "must be ";
  const types: string[] = [];
  const instances: string[] = [];
  const other: string[] = [];
  for (const value of list) {
    if (kTypes.includes(value)) types.push(value.toLowerCase());
    else if (classRe.test(value)) instances.push(value);
    else other.push(value);
  }
  if (instances.length > 0) {
    const pos = types.indexOf("object");
    if (pos !== -1) {
      types.splice(pos, 1);
      instances.push("Object");
    }
  }
  if (types.length > 0) {
    msg += types.length === 1 ? `of type ${types[0]}` : listOf(types, "one of type ");
    if (instances.length > 0 || other.length > 0) msg += " or ";
  }
  if (instances.length > 0) {
    msg += listOf(instances, "an instance of ");
    if (other.length > 0) msg += " or ";
  }
  if (other.length > 0) {
    if (other.length === 1) msg += `${other[0].toLowerCase() !== other[0] ? "an " : ""}${other[0]}`;
    else msg += listOf(other, "one of ");
  }
  return nodeError(TypeError, "ERR_INVALID_ARG_TYPE", `${msg}. Received ${describeReceived(actual)}`);
}

/** `The argument 'name' is invalid. Received …` (TypeError). */
export function ERR_INVALID_ARG_VALUE(name: string, value: unknown, reason = "is invalid"): NodeError {
  let shown = inspect(value);
  if (shown.length > 128) shown = `${shown.slice(0, 128)}...`;
  const kind = name.includes(".") ? "property" : "argument";
  return nodeError(TypeError, "ERR_INVALID_ARG_VALUE", `The ${kind} '${name}' ${reason}. Received ${shown}`);
}

function withSeparators(n: number | bigint): string {
  let s = String(n);
  let out = "";
  const start = s[0] === "-" ? 1 : 0;
  for (let i = s.length; i >= start + 4; i -= 3) {
    out = `_${s.slice(i - 3, i)}${out}`;
    s = s.slice(0, i - 3) + s.slice(i);
    i = s.length + 3;
  }
  return `${s}${out}`;
}

/** `The value of "name" is out of range. It must be … Received …` (RangeError). */
export function ERR_OUT_OF_RANGE(name: string, range: string, received: unknown): NodeError {
  let shown: string;
  if (Number.isInteger(received) && Math.abs(received as number) > 2 ** 32) {
    shown = withSeparators(received as number);
  } else if (typeof received === "bigint") {
    shown = `${received > 2n ** 32n || received < -(2n ** 32n) ? withSeparators(received) : received}n`;
  } else {
    shown = inspect(received);
  }
  return nodeError(
    RangeError,
    "ERR_OUT_OF_RANGE",
    `The value of "${name}" is out of range. It must be ${range}. Received ${shown}`,
  );
}

/** `Port should be >= 0 and < 65536. Received …` (RangeError). */
export function ERR_SOCKET_BAD_PORT(name: string, port: unknown, allowZero = true): NodeError {
  const op = allowZero ? ">=" : ">";
  return nodeError(
    RangeError,
    "ERR_SOCKET_BAD_PORT",
    `${name} should be ${op} 0 and < 65536. Received ${describeReceived(port)}.`,
  );
}

/** `The "a" or "b" argument must be specified` (TypeError). */
export function ERR_MISSING_ARGS(...names: (string | string[])[]): NodeError {
  const args = names.map((a) => Array.isArray(a) ? a.map((x) => `"${x}"`).join(" or ") : `"${a}"`);
  let msg = "The ";
  if (args.length === 1) msg += `${args[0]} argument`;
  else if (args.length === 2) msg += `${args[0]} and ${args[1]} arguments`;
  else msg += `${args.slice(0, -1).join(", ")}, and ${args[args.length - 1]} arguments`;
  return nodeError(TypeError, "ERR_MISSING_ARGS", `${msg} must be specified`);
}

/** `Invalid IP address: …` (TypeError). */
export function ERR_INVALID_IP_ADDRESS(address: unknown): NodeError {
  return nodeError(TypeError, "ERR_INVALID_IP_ADDRESS", `Invalid IP address: ${formatS(address)}`);
}

/**
 * `util.format("%s", value)`: strings as they are, other primitives by `String`, objects
 * (without their own `toString`) inspected at depth 0.
 */
function formatS(value: unknown): string {
  if (typeof value === "string") return value;
  if (typeof value === "bigint") return `${value}n`;
  if (typeof value === "number" && Object.is(value, -0)) return "-0";
  if (typeof value !== "object" || value === null) return String(value);
  const own = (value as { toString?: unknown }).toString;
  if (own !== Object.prototype.toString && own !== Array.prototype.toString && typeof own === "function") {
    return String(value);
  }
  return inspect(value, 0);
}

/** `Invalid address family: … ` (RangeError). */
export function ERR_INVALID_ADDRESS_FAMILY(family: string, host: string, port: number): NodeError {
  const err = nodeError(RangeError, "ERR_INVALID_ADDRESS_FAMILY", `Invalid address family: ${family} ${host}:${port}`);
  Object.assign(err, { host, port });
  return err;
}

/** `Listen method has been called more than once without closing.` */
export function ERR_SERVER_ALREADY_LISTEN(): NodeError {
  return nodeError(Error, "ERR_SERVER_ALREADY_LISTEN", "Listen method has been called more than once without closing.");
}

/** `Server is not running.` */
export function ERR_SERVER_NOT_RUNNING(): NodeError {
  return nodeError(Error, "ERR_SERVER_NOT_RUNNING", "Server is not running.");
}

/** `Socket is closed` */
export function ERR_SOCKET_CLOSED(): NodeError {
  return nodeError(Error, "ERR_SOCKET_CLOSED", "Socket is closed");
}

/** `Socket closed before the connection was established` */
export function ERR_SOCKET_CLOSED_BEFORE_CONNECTION(): NodeError {
  return nodeError(Error, "ERR_SOCKET_CLOSED_BEFORE_CONNECTION", "Socket closed before the connection was established");
}

/** Node's AbortError: `code` `ABORT_ERR`, message `The operation was aborted`. */
export class AbortError extends Error {
  /** Always `"ABORT_ERR"`. */
  code = "ABORT_ERR";
  constructor(message = "The operation was aborted", options?: { cause?: unknown }) {
    super(message, options);
    this.name = "AbortError";
  }
}

/** An AbortError for an aborted signal, with the signal's reason as `cause`. */
export function abortError(cause?: unknown): AbortError {
  return new AbortError(undefined, cause === undefined ? undefined : { cause });
}

/** `IP(…) is blocked by net.BlockList` */
export function ERR_IP_BLOCKED(ip: string): NodeError {
  return nodeError(Error, "ERR_IP_BLOCKED", `IP(${ip}) is blocked by net.BlockList`);
}

/**
 * A feature the running runtime cannot provide (fd handles, cluster handles …): thrown
 * loudly, never ignored. `feature` names the option, as `options.fd`.
 */
export function ERR_FEATURE_UNAVAILABLE_ON_PLATFORM(feature: string, runtime: string): NodeError {
  return nodeError(
    TypeError,
    "ERR_FEATURE_UNAVAILABLE_ON_PLATFORM",
    `The feature ${feature} is unavailable on the current platform, which is being used to run omninet on ${runtime}`,
  );
}

/** Ends a stream: write after `end()` (Node's stream error, used by writeAfterFIN). */
export function epipeAfterEnd(): Error {
  const err = new Error("This socket has been ended by the other party");
  Object.defineProperty(err, "code", { value: "EPIPE", enumerable: true, writable: true, configurable: true });
  return err;
}

/** `Invalid socket address` (Error), thrown by SocketAddress for address text that does not parse. */
export function ERR_INVALID_ADDRESS(): NodeError {
  return nodeError(Error, "ERR_INVALID_ADDRESS", "Invalid socket address");
}

/** `This handle type cannot be sent` (TypeError): `resetAndDestroy()` on a Unix socket. */
export function ERR_INVALID_HANDLE_TYPE(): NodeError {
  return nodeError(TypeError, "ERR_INVALID_HANDLE_TYPE", "This handle type cannot be sent");
}

/** `Socket connection timeout`: every Happy Eyeballs attempt ended without an error. */
export function ERR_SOCKET_CONNECTION_TIMEOUT(): NodeError {
  return nodeError(Error, "ERR_SOCKET_CONNECTION_TIMEOUT", "Socket connection timeout");
}
