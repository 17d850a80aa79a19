/**
 * Bun's errors as Node-shaped system errors: the one mapping table of the Bun adapter.
 *
 * Bun's socket errors carry the POSIX name in `code` (`ECONNREFUSED`) with a `syscall`
 * and an `errno` whose sign varies (negative from connect, positive from listen), and a
 * message of Bun's own (`Failed to connect`). The code is exact and kept; the rest is
 * rebuilt as Node builds it. `Bun.dns.lookup` rejects with c-ares style codes
 * (`DNS_ENOTFOUND`) that {@link bunCodes} translates back to getaddrinfo's. What the table
 * cannot name becomes `UNKNOWN` with the original error as `cause`.
 *
 * @module
 */
import { canceledError as canceled, errnoOf, systemError } from "../../src/errors/system_errors.ts";
import { runtimePlatform as platform } from "../_shared/runtime_platform.ts";

/**
 * Bun's codes that are not Node's. The `DNS_*` codes come from Bun's getaddrinfo backend,
 * which folds each `EAI_*` into a c-ares code (Bun's `c_ares.Error.initEAI`): only those
 * that stand for exactly one `EAI_*` there are listed. `DNS_EBADFAMILY` (EAI_ADDRFAMILY or
 * EAI_FAMILY) and `DNS_ESERVFAIL` (EAI_SYSTEM, its errno lost) become `UNKNOWN`.
 */
const bunCodes: Readonly<Record<string, string>> = {
  DNS_ENOTFOUND: "ENOTFOUND", // EAI_NONAME and EAI_NODATA, both ENOTFOUND in Node too
  DNS_ENODATA: "ENOTFOUND",
  DNS_ETIMEOUT: "EAI_AGAIN",
  DNS_EBADRESP: "EAI_FAIL",
  DNS_ENOMEM: "EAI_MEMORY",
  DNS_ESERVICE: "EAI_SERVICE",
  DNS_EBADFLAGS: "EAI_BADFLAGS",
  DNS_ECANCELLED: "EAI_CANCELED",
};

/** The Node code a Bun error stands for, or `"UNKNOWN"`. */
export function nodeCodeOf(err: unknown): string {
  const code = (err as { code?: unknown } | null)?.code;
  if (typeof code !== "string") return "UNKNOWN";
  const mapped = bunCodes[code] ?? code;
  if (platform.errno(mapped) !== undefined) return mapped;
  return "UNKNOWN";
}

/** Whether `err` is already one of ours (a system error we built or an `ERR_*` error). */
function isNodeShaped(err: unknown): err is Error {
  if (!(err instanceof Error)) return false;
  const { code, errno, syscall } = err as Error & { code?: unknown; errno?: unknown; syscall?: unknown };
  if (typeof code !== "string") return false;
  if (code.startsWith("ERR_")) return true;
  // Bun's own say `Failed to connect`; ours start as Node's do, `connect ECONNREFUSED …`.
  return typeof syscall === "string" && errno === errnoOf(platform, code) &&
    err.message.startsWith(`${syscall} ${code}`);
}

/** The endpoint a system error names. */
export interface Endpoint {
  address?: string;
  port?: number;
}

/**
 * A Bun error from `syscall` as Node reports it: `read ECONNRESET`, `write EPIPE`, or with
 * an endpoint `connect ECONNREFUSED 127.0.0.1:9` / `connect ENOENT /tmp/s.sock`.
 */
export function fromBunError(err: unknown, syscall: string, endpoint: Endpoint = {}): Error {
  if (isNodeShaped(err)) return err;
  const code = nodeCodeOf(err);
  return systemError(platform, code, syscall, { ...endpoint, cause: code === "UNKNOWN" ? err : undefined });
}

/**
 * An error Bun's `close` handler reports, as Node names it. Bun says `read` for every one,
 * EPIPE included (a failed write that Bun noticed); EPIPE only ever comes from writing,
 * and Node reports it as `write EPIPE`.
 */
export function closeError(error: Error): Error {
  const { code, syscall } = error as { code?: unknown; syscall?: unknown };
  return fromBunError(error, code === "EPIPE" || syscall === "write" ? "write" : "read");
}

/** A failure Bun's `close` handler reported, found by a write (or shutdown): `write ECONNRESET`. */
export function writeError(error: Error, syscall: string): Error {
  return fromBunError(error, syscall);
}

/** Codes a connect with `localAddress`/`localPort` gets from binding its local end. */
const bindCodes = new Set(["EADDRINUSE", "EADDRNOTAVAIL", "EACCES"]);

/**
 * A failed `Bun.connect` as Node reports it. Bun says `syscall: "connect"` for the bind of
 * a local address too; Node says `bind EADDRNOTAVAIL 10.0.0.9` with the local endpoint.
 * With a local endpoint asked for, the codes only bind(2) gives are reported as bind's.
 */
export function connectError(err: unknown, target: Endpoint, local?: Endpoint): Error {
  if (local !== undefined && bindCodes.has(nodeCodeOf(err))) return fromBunError(err, "bind", local);
  return fromBunError(err, "connect", target);
}

/** `getaddrinfo ENOTFOUND host`, with Node's errno (-3008) instead of Bun's (4). */
export function lookupError(err: unknown, hostname: string): unknown {
  const bunCode = (err as { code?: unknown } | null)?.code;
  // Bun's argument errors (flags it rejects) travel as they are.
  if (typeof bunCode !== "string" || bunCode.startsWith("ERR_")) return err;
  const code = nodeCodeOf(err);
  return systemError(platform, code, "getaddrinfo", { hostname, cause: code === "UNKNOWN" ? err : undefined });
}

/** A write Bun refused (`write()` returned -1: the socket is closed or shut down). */
export function brokenPipeError(syscall = "write"): Error {
  return systemError(platform, "EPIPE", syscall);
}

/** An operation the close of its handle cancelled (`write ECANCELED`). */
export function canceledError(syscall: string): Error {
  return canceled(platform, syscall);
}
