/**
 * Deno's errors as Node-shaped system errors: the one mapping table of the Deno adapter.
 *
 * Deno's OS errors carry the POSIX name in `code` (`ECONNREFUSED`), which is exact and
 * used first. Errors without a `code` map by class through {@link codeOfClass}. What
 * neither names becomes `UNKNOWN` with the original error as `cause`.
 *
 * @module
 */
import { canceledError as canceled, systemError } from "../../src/errors/system_errors.ts";
import { runtimePlatform as platform } from "../_shared/runtime_platform.ts";
import { denoApi } from "./_deno_api.ts";

/**
 * `Deno.errors` classes and the Node code each stands for, used when an error has no
 * `code`. Only classes that stand for exactly one errno are listed: `PermissionDenied`
 * is EACCES or EPERM, `IsADirectory`/`FilesystemLoop` are no socket errors,
 * `WriteZero`/`UnexpectedEof`/`Busy`/`NotSupported`/`InvalidData` none in Node, so those
 * become `UNKNOWN` unless Deno's `code` says more. `BadResource` is Deno's closed or
 * invalid resource id (Node's EBADF); `NotCapable` is Deno's permission system refusing
 * (`--allow-net` missing), reported as EPERM as Deno's own node:dns does, with the
 * original (which names the missing flag) as `cause`.
 */
const codeOfClass: readonly (readonly [string, string])[] = [
  ["ConnectionRefused", "ECONNREFUSED"],
  ["ConnectionReset", "ECONNRESET"],
  ["ConnectionAborted", "ECONNABORTED"],
  ["NotConnected", "ENOTCONN"],
  ["AddrInUse", "EADDRINUSE"],
  ["AddrNotAvailable", "EADDRNOTAVAIL"],
  ["BrokenPipe", "EPIPE"],
  ["NotFound", "ENOENT"],
  ["TimedOut", "ETIMEDOUT"],
  ["NetworkUnreachable", "ENETUNREACH"],
  ["AlreadyExists", "EEXIST"],
  ["NotADirectory", "ENOTDIR"],
  ["Interrupted", "EINTR"],
  ["WouldBlock", "EAGAIN"],
  ["BadResource", "EBADF"],
  ["NotCapable", "EPERM"],
];

/** Whether the platform has an errno for the code (else the code cannot be reported). */
function known(code: string): boolean {
  return platform.errno(code) !== undefined;
}

/** The Node code a Deno error stands for, or `"UNKNOWN"`. */
export function nodeCodeOf(err: unknown): string {
  const code = (err as { code?: unknown } | null)?.code;
  if (typeof code === "string" && /^E[A-Z0-9_]+$/.test(code)) return known(code) ? code : "UNKNOWN";
  if (!(err instanceof Error)) return "UNKNOWN";
  const classes = denoApi()?.errors;
  if (classes) {
    for (const [name, mapped] of codeOfClass) {
      const cls = classes[name];
      if (cls !== undefined && err instanceof cls) return mapped;
    }
  }
  return "UNKNOWN";
}

/** Whether the original error must travel as `cause` (unmapped, or Deno-specific). */
function keepsCause(err: unknown, code: string): boolean {
  if (code === "UNKNOWN") return true;
  const notCapable = denoApi()?.errors?.NotCapable;
  return notCapable !== undefined && err instanceof notCapable;
}

/** Whether `err` is already one of ours (a system error or an `ERR_*` error). */
function isNodeShaped(err: unknown): err is Error {
  const code = (err as { code?: unknown } | null)?.code;
  return err instanceof Error && typeof code === "string" &&
    (code.startsWith("ERR_") || typeof (err as { syscall?: unknown }).syscall === "string");
}

/**
 * A Deno error from `syscall` as Node reports it: `read ECONNRESET`, `write EPIPE`, or
 * with an endpoint `connect ECONNREFUSED 127.0.0.1:9` / `connect ENOENT /tmp/s.sock`.
 */
export function fromDenoError(
  err: unknown,
  syscall: string,
  endpoint: { address?: string; port?: number } = {},
): Error {
  if (isNodeShaped(err)) return err;
  const code = nodeCodeOf(err);
  return systemError(platform, code, syscall, { ...endpoint, cause: keepsCause(err, code) ? err : undefined });
}

/**
 * `getaddrinfo ENOTFOUND host`, rebuilt from Deno's node:dns error so `errno` is the
 * platform's.
 */
export function lookupError(err: unknown, hostname: string): Error {
  const code = nodeCodeOf(err);
  return systemError(platform, code, "getaddrinfo", { hostname, cause: code === "UNKNOWN" ? err : undefined });
}

/** An operation the close of its handle cancelled (`write ECANCELED`). */
export function canceledError(syscall: string): Error {
  return canceled(platform, syscall);
}
