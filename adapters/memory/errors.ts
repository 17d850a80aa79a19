/**
 * The memory adapter's errors: every failure its virtual network reports, built as Node
 * builds the real ones (`connect ECONNREFUSED 127.0.0.1:9`, `listen EADDRINUSE: address
 * already in use 127.0.0.1:8080`, `getaddrinfo ENOTFOUND example.test`), so code
 * written against real sockets sees the same `code`, `errno` (Linux's) `syscall` and
 * message; and `deliver`, which keeps an exception thrown by the core's callbacks from
 * passing for one of ours.
 *
 * @module
 */
import {
  canceledError as canceled,
  type SystemError,
  systemError as build,
  type SystemErrorDetails,
  uvSystemError,
} from "../../src/errors/system_errors.ts";
import { linuxPlatform as platform } from "../_shared/linux_platform.ts";

export { deliver } from "../_shared/deliver.ts";

/** A system error with Linux's errno: the memory network is Linux loopback. */
function systemError(code: string, syscall: string, details?: SystemErrorDetails): SystemError {
  return build(platform, code, syscall, details);
}

/**
 * Nothing listens on the TCP endpoint: `connect ECONNREFUSED 127.0.0.1:9`.
 *
 * @example
 * ```ts
 * import { connectionRefused } from "./errors.ts";
 * connectionRefused("127.0.0.1", 9).message; // "connect ECONNREFUSED 127.0.0.1:9"
 * ```
 */
export function connectionRefused(address: string, port: number): SystemError {
  return systemError("ECONNREFUSED", "connect", { address, port });
}

/**
 * A connect to a socket path failed: `ECONNREFUSED` (no listener behind the file, or a
 * fault), `ENOENT` (nothing there), `ENOTDIR` (a component of the way is a file):
 * `connect ENOENT /tmp/app.sock`.
 *
 * @example
 * ```ts
 * import { pathConnectFailed } from "./errors.ts";
 * pathConnectFailed("ENOENT", "/tmp/app.sock").message; // "connect ENOENT /tmp/app.sock"
 * ```
 */
export function pathConnectFailed(code: "ECONNREFUSED" | "ENOENT" | "ENOTDIR", path: string): SystemError {
  return systemError(code, "connect", { address: path });
}

/**
 * A bind the kernel refused, as the syscall reports it: `bind EADDRNOTAVAIL 192.0.2.1`
 * (an address not on this machine), `bind ENOENT /missing/app.sock`. For a listener the
 * core reshapes it as Node's `server.listen` reports it (`listen EADDRNOTAVAIL: address
 * not available 192.0.2.1`, a socket path's ENOENT as EACCES).
 *
 * @example
 * ```ts
 * import { bindFailed } from "./errors.ts";
 * bindFailed("EADDRNOTAVAIL", "192.0.2.1", 0).message; // "bind EADDRNOTAVAIL 192.0.2.1"
 * ```
 */
export function bindFailed(code: string, address: string, port: number): SystemError {
  return systemError(code, "bind", { address, port });
}

/**
 * A listener holds the endpoint already, as `server.listen` reports it. A socket path
 * carries `port: -1`, as in Node.
 *
 * @example
 * ```ts
 * import { listenInUse } from "./errors.ts";
 * listenInUse("127.0.0.1", 8080).message; // "listen EADDRINUSE: address already in use 127.0.0.1:8080"
 * ```
 */
export function listenInUse(address: string, port: number): SystemError {
  return uvSystemError(platform, "EADDRINUSE", "listen", { address, port });
}

/**
 * A connection's local bind (`localAddress`/`localPort`) found the port taken:
 * `bind EADDRINUSE 127.0.0.1:4000`.
 *
 * @example
 * ```ts
 * import { bindInUse } from "./errors.ts";
 * bindInUse("0.0.0.0", 4000).syscall; // "bind"
 * ```
 */
export function bindInUse(address: string, port: number): SystemError {
  return systemError("EADDRINUSE", "bind", { address, port });
}

/**
 * Every ephemeral port is taken: `connect EADDRNOTAVAIL 127.0.0.1:80` (or `listen
 * EADDRINUSE` for a listener on port 0, see {@link listenInUse}).
 *
 * @example
 * ```ts
 * import { noFreePort } from "./errors.ts";
 * noFreePort("127.0.0.1", 80).code; // "EADDRNOTAVAIL"
 * ```
 */
export function noFreePort(address: string, port: number): SystemError {
  return systemError("EADDRNOTAVAIL", "connect", { address, port });
}

/**
 * The name is not known to the virtual network: `getaddrinfo ENOTFOUND example.test`.
 *
 * @example
 * ```ts
 * import { hostNotFound } from "./errors.ts";
 * hostNotFound("example.test").hostname; // "example.test"
 * ```
 */
export function hostNotFound(hostname: string): SystemError {
  return systemError("ENOTFOUND", "getaddrinfo", { hostname });
}

/**
 * The peer reset the connection: `read ECONNRESET` (or `write ECONNRESET` when a write
 * is the first to learn of it).
 *
 * @example
 * ```ts
 * import { connectionReset } from "./errors.ts";
 * connectionReset("read").message; // "read ECONNRESET"
 * ```
 */
export function connectionReset(syscall: "read" | "write"): SystemError {
  return systemError("ECONNRESET", syscall);
}

/**
 * A write to a connection the peer has closed and reset: `write EPIPE`.
 *
 * @example
 * ```ts
 * import { brokenPipe } from "./errors.ts";
 * brokenPipe().code; // "EPIPE"
 * ```
 */
export function brokenPipe(): SystemError {
  return systemError("EPIPE", "write");
}

/**
 * An operation the close of its handle cancelled: `write ECANCELED`.
 *
 * @example
 * ```ts
 * import { canceledError } from "./errors.ts";
 * canceledError("write").message; // "write ECANCELED"
 * ```
 */
export function canceledError(syscall: string): SystemError {
  return canceled(platform, syscall);
}
