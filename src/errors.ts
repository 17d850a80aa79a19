/**
 * Node's error model: `ERR_*` argument and state errors with Node's messages, and system
 * errors (`ECONNREFUSED` …) with `errno`, `code`, `syscall`, `address`, `port`.
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
export function ERR_INVALID_IP_ADDRESS(address: string): NodeError {
  return nodeError(TypeError, "ERR_INVALID_IP_ADDRESS", `Invalid IP address: ${address}`);
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

// libuv error numbers as Node reports them in `errno` (negated POSIX errno; EAI_* are uv's
// own). Linux values, with the macOS differences below.
const linuxErrno: Record<string, number> = {
  EPERM: -1,
  ENOENT: -2,
  EINTR: -4,
  EIO: -5,
  EBADF: -9,
  EAGAIN: -11,
  ENOMEM: -12,
  EACCES: -13,
  EEXIST: -17,
  ENOTDIR: -20,
  EISDIR: -21,
  EINVAL: -22,
  ENFILE: -23,
  EMFILE: -24,
  EROFS: -30,
  EPIPE: -32,
  ENAMETOOLONG: -36,
  ELOOP: -40,
  ENOTSOCK: -88,
  EPROTONOSUPPORT: -93,
  ENOTSUP: -95,
  EAFNOSUPPORT: -97,
  EADDRINUSE: -98,
  EADDRNOTAVAIL: -99,
  ENETDOWN: -100,
  ENETUNREACH: -101,
  ECONNABORTED: -103,
  ECONNRESET: -104,
  ENOBUFS: -105,
  EISCONN: -106,
  ENOTCONN: -107,
  ETIMEDOUT: -110,
  ECONNREFUSED: -111,
  EHOSTDOWN: -112,
  EHOSTUNREACH: -113,
  EALREADY: -114,
  ECANCELED: -125,
  EAI_ADDRFAMILY: -3000,
  EAI_AGAIN: -3001,
  EAI_BADFLAGS: -3002,
  EAI_CANCELED: -3003,
  EAI_FAIL: -3004,
  EAI_FAMILY: -3005,
  EAI_MEMORY: -3006,
  EAI_NODATA: -3007,
  ENOTFOUND: -3008,
  EAI_OVERFLOW: -3009,
  EAI_SERVICE: -3010,
  EAI_SOCKTYPE: -3011,
  UNKNOWN: -4094,
  EOF: -4095,
};

const darwinErrno: Record<string, number> = {
  EAGAIN: -35,
  EALREADY: -37,
  ENOTSOCK: -38,
  EPROTONOSUPPORT: -43,
  ENOTSUP: -45,
  EAFNOSUPPORT: -47,
  EADDRINUSE: -48,
  EADDRNOTAVAIL: -49,
  ENETDOWN: -50,
  ENETUNREACH: -51,
  ECONNABORTED: -53,
  ECONNRESET: -54,
  ENOBUFS: -55,
  EISCONN: -56,
  ENOTCONN: -57,
  ETIMEDOUT: -60,
  ECONNREFUSED: -61,
  ENAMETOOLONG: -63,
  ELOOP: -62,
  EHOSTDOWN: -64,
  EHOSTUNREACH: -65,
  ECANCELED: -89,
};

const platform = (globalThis as { process?: { platform?: string } }).process?.platform;
const errnoTable = platform === "darwin" ? { ...linuxErrno, ...darwinErrno } : linuxErrno;

/** Node's `errno` for a code on this platform (`UNKNOWN`'s for codes it does not know). */
export function errnoOf(code: string): number {
  return errnoTable[code] ?? errnoTable.UNKNOWN;
}

/** A system error as Node builds them. */
export interface SystemError extends Error {
  errno: number;
  code: string;
  syscall: string;
  address?: string;
  port?: number;
  hostname?: string;
}

/** Details a system error may carry. */
export interface SystemErrorDetails {
  /** The IP address or socket path involved. */
  address?: string;
  /** The port involved: omitted when 0, printed in the message only when positive (Unix listen errors carry -1), as Node does. */
  port?: number;
  /** For getaddrinfo errors: the name looked up. */
  hostname?: string;
  /** The runtime's original error, kept for `UNKNOWN`. */
  cause?: unknown;
}

/**
 * Build a system error with Node's message and fields: `connect ECONNREFUSED
 * 127.0.0.1:9` with `errno`, `code`, `syscall`, `address`, `port`.
 */
export function systemError(code: string, syscall: string, details: SystemErrorDetails = {}): SystemError {
  const { address, port, hostname, cause } = details;
  let message = `${syscall} ${code}`;
  if (hostname !== undefined) message += ` ${hostname}`;
  else if (port !== undefined && port > 0) message += ` ${address}:${port}`;
  else if (address) message += ` ${address}`;
  const err = new Error(message, cause === undefined ? undefined : { cause }) as SystemError;
  err.errno = errnoOf(code);
  err.code = code;
  err.syscall = syscall;
  if (hostname !== undefined) err.hostname = hostname;
  if (address !== undefined) err.address = address;
  if (port) err.port = port;
  return err;
}

/** Copy `address`/`port` onto an adapter's error when the adapter did not set them. */
export function withEndpoint(err: Error, address?: string, port?: number): Error {
  const e = err as Partial<SystemError>;
  if (typeof e.code !== "string" || typeof e.syscall !== "string") return err;
  if (e.address === undefined && address !== undefined) {
    const rebuilt = systemError(e.code, e.syscall, { address, port, cause: (err as { cause?: unknown }).cause });
    rebuilt.stack = err.stack?.replace(err.message, rebuilt.message);
    return rebuilt;
  }
  return err;
}

// libuv's descriptions (`uv_strerror`), which Node puts in listen/bind messages.
const uvDescriptions: Record<string, string> = {
  EPERM: "operation not permitted",
  ENOENT: "no such file or directory",
  EINTR: "interrupted system call",
  EIO: "i/o error",
  EBADF: "bad file descriptor",
  EAGAIN: "resource temporarily unavailable",
  ENOMEM: "not enough memory",
  EACCES: "permission denied",
  EEXIST: "file already exists",
  ENOTDIR: "not a directory",
  EINVAL: "invalid argument",
  ENFILE: "file table overflow",
  EMFILE: "too many open files",
  EPIPE: "broken pipe",
  ENAMETOOLONG: "name too long",
  ENOTSOCK: "socket operation on non-socket",
  EPROTONOSUPPORT: "protocol not supported",
  ENOTSUP: "operation not supported on socket",
  EAFNOSUPPORT: "address family not supported",
  EADDRINUSE: "address already in use",
  EADDRNOTAVAIL: "address not available",
  ENETDOWN: "network is down",
  ENETUNREACH: "network is unreachable",
  ECONNABORTED: "software caused connection abort",
  ECONNRESET: "connection reset by peer",
  ENOBUFS: "no buffer space available",
  EISCONN: "socket is already connected",
  ENOTCONN: "socket is not connected",
  ETIMEDOUT: "connection timed out",
  ECONNREFUSED: "connection refused",
  EHOSTDOWN: "host is down",
  EHOSTUNREACH: "host is unreachable",
  EALREADY: "connection already in progress",
  ECANCELED: "operation canceled",
  UNKNOWN: "unknown error",
};

/**
 * A system error in Node's `uv` form, as `server.listen` reports them:
 * `listen EADDRINUSE: address already in use 127.0.0.1:8080` (fields in the order
 * `code`, `errno`, `syscall`, `address`, `port`).
 */
export function uvSystemError(code: string, syscall: string, details: SystemErrorDetails = {}): SystemError {
  const { address, port, cause } = details;
  let message = `${syscall} ${code}: ${uvDescriptions[code] ?? "unknown error"}`;
  if (port !== undefined && port > 0) message += ` ${address}:${port}`;
  else if (address) message += ` ${address}`;
  const err = new Error(message, cause === undefined ? undefined : { cause }) as SystemError;
  err.code = code;
  err.errno = errnoOf(code);
  err.syscall = syscall;
  if (address !== undefined) err.address = address;
  if (port) err.port = port;
  return err;
}

/** `Invalid socket address` (Error), thrown by SocketAddress for address text that does not parse. */
export function ERR_INVALID_ADDRESS(): NodeError {
  return nodeError(Error, "ERR_INVALID_ADDRESS", "Invalid socket address");
}

/**
 * A bind or listen failure as Node's `server.listen` reports it: syscall `listen`, the
 * `uv` message (`listen EADDRINUSE: address already in use 127.0.0.1:8080`), `port: -1`
 * for a Unix socket, and ENOENT on a socket path reported as EACCES (libuv's
 * `uv_pipe_bind` does that). An adapter's error that already has this shape is returned
 * as it is; other errors (`ERR_*`, `uv_pipe_chmod` …) pass through unchanged.
 */
export function listenError(err: Error, target: { path: string } | { host: string; port: number }): Error {
  const e = err as Partial<SystemError>;
  if (typeof e.code !== "string" || (e.syscall !== "listen" && e.syscall !== "bind")) return err;
  const pipe = "path" in target;
  const code = pipe && e.code === "ENOENT" ? "EACCES" : e.code;
  const address = pipe ? target.path : target.host;
  const port = pipe ? -1 : target.port;
  const wanted = uvSystemError(code, "listen", { address, port });
  if (
    err.message === wanted.message && e.code === code && e.errno === wanted.errno && e.syscall === "listen" &&
    e.address === address && e.port === wanted.port
  ) {
    return err;
  }
  return uvSystemError(code, "listen", { address, port, cause: err });
}

/** `This handle type cannot be sent` (TypeError): `resetAndDestroy()` on a Unix socket. */
export function ERR_INVALID_HANDLE_TYPE(): NodeError {
  return nodeError(TypeError, "ERR_INVALID_HANDLE_TYPE", "This handle type cannot be sent");
}

/** `Socket connection timeout`: every Happy Eyeballs attempt ended without an error. */
export function ERR_SOCKET_CONNECTION_TIMEOUT(): NodeError {
  return nodeError(Error, "ERR_SOCKET_CONNECTION_TIMEOUT", "Socket connection timeout");
}

/**
 * A connect failure as Node reports it: the target's `address`/`port` (or socket path),
 * and with a local bind ` - Local (address:port)` plus `localAddress`/`localPort`.
 */
export function withConnectDetails(
  err: Error,
  target: { path: string } | { host: string; port: number; localAddress?: string; localPort?: number },
): Error {
  if ("path" in target) return withEndpoint(err, target.path);
  const out = withEndpoint(err, target.host, target.port) as SystemError & {
    localAddress?: string;
    localPort?: number;
  };
  const { localAddress, localPort } = target;
  if (out.syscall !== "connect" || !localAddress || !localPort || out.localAddress !== undefined) return out;
  const local = ` - Local (${localAddress}:${localPort})`;
  if (!out.message.endsWith(local)) {
    const old = out.message;
    out.message += local;
    if (typeof out.stack === "string") out.stack = out.stack.replace(old, out.message);
  }
  out.localAddress = localAddress;
  out.localPort = localPort;
  return out;
}

/** An operation the close of its handle cancelled (`write ECANCELED`), as libuv reports it. */
export function canceledError(syscall: string): SystemError {
  return systemError("ECANCELED", syscall);
}
