/**
 * The platform facts and the warning channel of a runtime with Node's built-ins (Node,
 * Deno, Bun), read from the runtime itself: errno numbers from `util.getSystemErrorMap()`,
 * getaddrinfo flags from its `node:dns` constants (Deno's differ from Node's), the OS from
 * `process.platform`, warnings through `process.emitWarning`.
 *
 * @module
 */
import dns from "node:dns";
import process from "node:process";
import * as util from "node:util";
import type { LookupFlags, LookupHints, PlatformFacts, WarningOptions } from "../../src/contract.ts";

/**
 * Codes Node reports that `getSystemErrorMap()` does not list, and the code whose errno
 * they carry: Node's `dns` turns `EAI_NONAME` into `ENOTFOUND`, errno kept.
 */
const aliases: Readonly<Record<string, string>> = { ENOTFOUND: "EAI_NONAME" };

/** libuv's `UV_UNKNOWN`, the same on every OS: the errno when the runtime has no map. */
const UV_UNKNOWN = -4094;

let errnoByCode: Map<string, number> | undefined;

function errnoTable(): Map<string, number> {
  if (errnoByCode) return errnoByCode;
  errnoByCode = new Map();
  const map = (util as { getSystemErrorMap?: () => Map<number, [string, string]> }).getSystemErrorMap?.();
  for (const [errno, [code]] of map ?? []) errnoByCode.set(code, errno);
  for (const [code, alias] of Object.entries(aliases)) {
    const errno = errnoByCode.get(alias);
    if (!errnoByCode.has(code) && errno !== undefined) errnoByCode.set(code, errno);
  }
  if (!errnoByCode.has("UNKNOWN")) errnoByCode.set("UNKNOWN", UV_UNKNOWN);
  return errnoByCode;
}

/** The running runtime's `dns.ADDRCONFIG`, `dns.V4MAPPED`, `dns.ALL`. */
export const runtimeLookupFlags: LookupFlags = Object.freeze({
  addrconfig: dns.ADDRCONFIG,
  v4mapped: dns.V4MAPPED,
  all: dns.ALL,
});

/** The running runtime's facts. */
export const runtimePlatform: PlatformFacts = Object.freeze({
  errno: (code: string): number | undefined => errnoTable().get(code),
  lookupFlags: runtimeLookupFlags,
  // Node's net: `dns.ADDRCONFIG` for a connect without a family, except on Windows.
  defaultLookupHints: Object.freeze(process.platform === "win32" ? {} : { addrconfig: true }),
  maxPipePathBytes: sunPathBytes(process.platform),
});

/** `sizeof(sockaddr_un.sun_path)` on `platform`: 108 on Linux, 104 on macOS and the BSDs. */
function sunPathBytes(platform: string): number | undefined {
  switch (platform) {
    case "linux":
    case "android":
      return 108;
    case "darwin":
    case "freebsd":
    case "openbsd":
    case "netbsd":
      return 104;
  }
  return undefined;
}

/** The hints as the runtime's `node:dns` (and Bun's `dns.lookup` flags) take them. */
export function runtimeHints(hints: LookupHints): number {
  return (hints.addrconfig ? runtimeLookupFlags.addrconfig : 0) |
    (hints.v4mapped ? runtimeLookupFlags.v4mapped : 0) |
    (hints.all ? runtimeLookupFlags.all : 0);
}

/** `process.emitWarning(message, { type, code })`. */
export function emitWarning(message: string, options: WarningOptions): void {
  process.emitWarning(message, options);
}
