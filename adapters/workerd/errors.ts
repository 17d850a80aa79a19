/**
 * workerd's socket errors as Node-shaped system errors: the one mapping table of the workerd
 * adapter.
 *
 * `cloudflare:sockets` rejects with plain `Error`s whose only information is the message; it
 * exposes no errno. Each message below names exactly one Node code. The connect failure
 * workerd reports for a refused port ("proxy request failed, cannot connect to the
 * specified address") is the same for a refused port, an address the config's network
 * service does not allow, an unroutable one and an unknown name, so it is **not** mapped to
 * ECONNREFUSED: it becomes `UNKNOWN` with the original as `cause`, as any message not listed.
 *
 * @module
 */
import { type SystemError, systemError } from "../../src/errors/system_errors.ts";
import { linuxPlatform as platform } from "../_shared/linux_platform.ts";

/** workerd's error messages (matched as substrings) and the Node code each stands for. */
const codeOfMessage: readonly (readonly [string, string])[] = [
  ["Network connection lost", "ECONNRESET"],
  ["connection reset", "ECONNRESET"],
  ["Connection reset", "ECONNRESET"],
  ["Broken pipe", "EPIPE"],
];

/** The Node code a workerd error stands for, or `"UNKNOWN"`. */
export function nodeCodeOf(err: unknown): string {
  const message = err instanceof Error ? err.message : String(err);
  for (const [text, code] of codeOfMessage) if (message.includes(text)) return code;
  return "UNKNOWN";
}

/** A workerd error of `syscall` (`connect`, `read`, `write`, `shutdown`) as Node's. */
export function workerdError(err: unknown, syscall: string, address?: string, port?: number): SystemError {
  const code = nodeCodeOf(err);
  return systemError(platform, code, syscall, {
    address: syscall === "connect" ? address : undefined,
    port: syscall === "connect" ? port : undefined,
    cause: code === "UNKNOWN" ? err : undefined,
  });
}
