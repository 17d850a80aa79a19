/**
 * System errors as Node reports them (`connect ECONNREFUSED 127.0.0.1:9`, `listen
 * EADDRINUSE: address already in use …`): `errno` for the platform, `code`, `syscall`,
 * `address`, `port`; the adapters build theirs with these. The `errno` numbers are the
 * adapter's ({@link PlatformFacts.errno}): every builder takes them as its first argument.
 *
 * @module
 */

import { Buffer } from "node:buffer";
import type { PlatformFacts } from "../contract.ts";

/** Where a system error's `errno` comes from: the adapter's platform facts. */
export type ErrnoSource = Pick<PlatformFacts, "errno">;

/** Node's `errno` for a code on the adapter's platform (`UNKNOWN`'s for codes it does not know). */
export function errnoOf(facts: ErrnoSource, code: string): number {
  return facts.errno(code) ?? facts.errno("UNKNOWN")!;
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
export function systemError(
  facts: ErrnoSource,
  code: string,
  syscall: string,
  details: SystemErrorDetails = {},
): SystemError {
  return buildSystemError(errnoOf(facts, code), code, syscall, details);
}

function buildSystemError(errno: number, code: string, syscall: string, details: SystemErrorDetails): SystemError {
  const { address, port, hostname, cause } = details;
  let message = `${syscall} ${code}`;
  if (hostname !== undefined) message += ` ${hostname}`;
  else if (port !== undefined && port > 0) message += ` ${address}:${port}`;
  else if (address) message += ` ${address}`;
  const err = new Error(message, cause === undefined ? undefined : { cause }) as SystemError;
  err.errno = errno;
  err.code = code;
  err.syscall = syscall;
  if (hostname !== undefined) err.hostname = hostname;
  if (address !== undefined) err.address = address;
  if (port) err.port = port;
  return err;
}

/** Copy `address`/`port` onto an adapter's error when the adapter did not set them (its `errno` kept). */
export function withEndpoint(err: Error, address?: string, port?: number): Error {
  const e = err as Partial<SystemError>;
  if (typeof e.code !== "string" || typeof e.syscall !== "string" || typeof e.errno !== "number") return err;
  if (e.address === undefined && address !== undefined) {
    const cause = (err as { cause?: unknown }).cause;
    const rebuilt = buildSystemError(e.errno, e.code, e.syscall, { address, port, cause });
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
export function uvSystemError(
  facts: ErrnoSource,
  code: string,
  syscall: string,
  details: SystemErrorDetails = {},
): SystemError {
  const { address, port, cause } = details;
  let message = `${syscall} ${code}: ${uvDescriptions[code] ?? "unknown error"}`;
  if (port !== undefined && port > 0) message += ` ${address}:${port}`;
  else if (address) message += ` ${address}`;
  const err = new Error(message, cause === undefined ? undefined : { cause }) as SystemError;
  err.code = code;
  err.errno = errnoOf(facts, code);
  err.syscall = syscall;
  if (address !== undefined) err.address = address;
  if (port) err.port = port;
  return err;
}

/**
 * A bind or listen failure as Node's `server.listen` reports it: syscall `listen`, the
 * `uv` message (`listen EADDRINUSE: address already in use 127.0.0.1:8080`), `port: -1`
 * for a Unix socket, and ENOENT on a socket path reported as EACCES (libuv's
 * `uv_pipe_bind` does that). The one owner of this policy: adapters report a bind failure
 * as a plain system error (`syscall` `listen` or `bind`). An error that already has this
 * shape is returned as it is; a rebuilt one keeps the adapter's `cause` (the runtime's
 * original, where the adapter kept one); other errors (`ERR_*`, `uv_pipe_chmod` …) pass
 * through unchanged.
 */
export function listenError(
  facts: ErrnoSource,
  err: Error,
  target: { path: string } | { host: string; port: number },
): Error {
  const e = err as Partial<SystemError>;
  if (typeof e.code !== "string" || (e.syscall !== "listen" && e.syscall !== "bind")) return err;
  const pipe = "path" in target;
  const code = pipe && e.code === "ENOENT" ? "EACCES" : e.code;
  const address = pipe ? target.path : target.host;
  const port = pipe ? -1 : target.port;
  const wanted = uvSystemError(facts, code, "listen", { address, port });
  if (
    err.message === wanted.message && e.code === code && e.errno === wanted.errno && e.syscall === "listen" &&
    e.address === address && e.port === wanted.port
  ) {
    return err;
  }
  return uvSystemError(facts, code, "listen", { address, port, cause: (err as { cause?: unknown }).cause });
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
export function canceledError(facts: ErrnoSource, syscall: string): SystemError {
  return systemError(facts, "ECANCELED", syscall);
}

/**
 * A Unix socket path longer than the OS's `sun_path` ({@link PlatformFacts.maxPipePathBytes}),
 * as Node 24 reports it (libuv refuses it with EINVAL instead of truncating):
 * `listen EINVAL: invalid argument <path>` with `port: -1`, or
 * `connect EINVAL <path> - Local (undefined:undefined)` (Node asks a pipe for its local
 * address, which has no `address` and `port`).
 */
export function pipePathTooLong(facts: ErrnoSource, syscall: "connect" | "listen", path: string): SystemError {
  if (syscall === "listen") return uvSystemError(facts, "EINVAL", "listen", { address: path, port: -1 });
  const err = systemError(facts, "EINVAL", "connect", { address: path });
  const old = err.message;
  err.message += " - Local (undefined:undefined)";
  if (typeof err.stack === "string") err.stack = err.stack.replace(old, err.message);
  return err;
}

/**
 * True when the OS cannot take `path` for a Unix socket: longer than `sun_path`, or a
 * file system path with a NUL byte in it (libuv refuses both with EINVAL; an abstract
 * name, which starts with NUL, may hold more).
 */
export function pipePathExceeds(facts: Pick<PlatformFacts, "maxPipePathBytes">, path: string): boolean {
  if (path[0] !== "\0" && path.includes("\0")) return true;
  const max = facts.maxPipePathBytes;
  return max !== undefined && Buffer.byteLength(path) > max;
}
