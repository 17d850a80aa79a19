// `server.listen(...)`: Node's call forms reduced to one listen target, validated exactly
// as Node's `Server.prototype.listen` does it (same checks, same order, same errors).
// No state here: `server.ts` owns the listening state machine.
import type { LookupAddress } from "../contract.ts";
import { isPipeName, toNumber } from "../normalize_args.ts";
import { ERR_FEATURE_UNAVAILABLE_ON_PLATFORM, ERR_INVALID_ARG_VALUE } from "../errors/errors.ts";
import { validatePort, validateString } from "../errors/validators.ts";

/** Options for `server.listen(options)`. */
export interface ListenOpts {
  /** TCP port; 0, `null` or omitted picks a free one. */
  port?: number | string | null;
  /** Host to bind (a name is resolved first); omitted binds every address (`::` with dual stack, else `0.0.0.0`). */
  host?: string;
  /** Unix domain socket path. */
  path?: string;
  /** Pending-connection queue length. @default 511 */
  backlog?: number;
  /** Accepted for compatibility: there is no cluster here, every listener is exclusive. @default false */
  exclusive?: boolean;
  /** Bind IPv6 only (no dual stack) when the address is IPv6. @default false */
  ipv6Only?: boolean;
  /** Let several listeners share the port (SO_REUSEPORT), where the runtime can. @default false */
  reusePort?: boolean;
  /** Make the Unix socket readable by all users. @default false */
  readableAll?: boolean;
  /** Make the Unix socket writable by all users. @default false */
  writableAll?: boolean;
  /** Close the server when this signal aborts. */
  signal?: AbortSignal;
}

/** A TCP listen request: `host` undefined means Node's default (`::`, else `0.0.0.0`). */
export interface TcpTarget {
  port: number;
  host: string | undefined;
  backlog: number;
  ipv6Only: boolean;
  reusePort: boolean;
}

/** A Unix domain socket listen request. */
export interface PipeTarget {
  path: string;
  backlog: number;
  readableAll: boolean;
  writableAll: boolean;
}

/** `(handle, backlog)`, `(path, backlog)`, `(port, backlog)` or `(port, host, backlog)`. */
export function backlogFromArgs(args: unknown[]): number | false {
  return toNumber(args.length > 1 && args[1]) || toNumber(args.length > 2 && args[2]);
}

function backlogOf(value: unknown): number {
  const n = Number(value);
  return Number.isInteger(n) && n > 0 ? n : 511;
}

/**
 * Node's `listen(handle)` forms (`{ handle }`, `{ _handle }`, `{ fd }`): the runtimes this
 * core runs on have no way to adopt a foreign handle or file descriptor, so these fail
 * loudly, naming the option. Returns the options object to go on with.
 */
export function rejectHandles(options: Record<string, unknown>, runtime: string): Record<string, unknown> {
  const handle = options._handle || options.handle;
  if (handle !== undefined && handle !== null && typeof handle === "object") {
    const fd = (handle as { fd?: unknown }).fd;
    const name = options._handle ? "options._handle" : "options.handle";
    throw ERR_FEATURE_UNAVAILABLE_ON_PLATFORM(typeof fd === "number" ? `${name}.fd` : name, runtime);
  }
  if (typeof options.fd === "number" && options.fd >= 0 && !listenFdInvalid(options)) {
    throw ERR_FEATURE_UNAVAILABLE_ON_PLATFORM("options.fd", runtime);
  }
  return options;
}

/**
 * `listen({ fd })` with a descriptor no handle can have (not an integer, or past int32):
 * Node's handle creation fails, and `'error'` with `listen EINVAL` follows.
 */
export function listenFdInvalid(options: Record<string, unknown>): boolean {
  const fd = options.fd;
  return typeof fd === "number" && fd >= 0 && (!Number.isInteger(fd) || fd > 2147483647);
}

/**
 * The target of one `listen()` call, from its normalized options. Throws Node's
 * ERR_SOCKET_BAD_PORT / ERR_INVALID_ARG_VALUE / ERR_INVALID_ARG_TYPE.
 */
export function listenTarget(
  options: Record<string, unknown>,
  args: unknown[],
  fromArgs: number | false,
): TcpTarget | PipeTarget {
  if (
    args.length === 0 || typeof args[0] === "function" ||
    (options.port === undefined && "port" in options) || options.port === null
  ) {
    options.port = 0;
  }
  if (typeof options.port === "number" || typeof options.port === "string") {
    const port = validatePort(options.port, "options.port");
    const host = options.host ? options.host : undefined;
    if (host !== undefined) validateString(host, "hostname");
    return {
      port,
      host,
      backlog: backlogOf(options.backlog || fromArgs),
      ipv6Only: options.ipv6Only === true,
      reusePort: options.reusePort === true,
    };
  }
  if (options.path && isPipeName(options.path)) {
    const path = options.path;
    if (path[0] === "\0" && (options.readableAll || options.writableAll)) {
      throw ERR_INVALID_ARG_VALUE(
        "options",
        options,
        "can not set readableAll or writableAllt to true when path is abstract unix socket",
      );
    }
    return {
      path,
      backlog: backlogOf(options.backlog || fromArgs),
      readableAll: options.readableAll === true,
      writableAll: options.writableAll === true,
    };
  }
  if (!("port" in options) && !("path" in options)) {
    throw ERR_INVALID_ARG_VALUE("options", options, 'must have the property "port" or "path"');
  }
  throw ERR_INVALID_ARG_VALUE("options", options);
}

function isIPv6LinkLocal(a: LookupAddress): boolean {
  if (a.family !== 6) return false;
  const first = parseInt(a.address.split(":")[0] || "0", 16);
  return (first & 0xffc0) === 0xfe80;
}

/** Node's choice among resolved addresses: the first that is not IPv6 link-local, else the first. */
export function pickListenAddress(addresses: LookupAddress[]): LookupAddress | undefined {
  return addresses.find((a) => !isIPv6LinkLocal(a)) ?? addresses[0];
}
