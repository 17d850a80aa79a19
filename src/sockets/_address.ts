// The Sockets API's address argument: `"host:port"` (an IPv6 address in brackets,
// `"[::1]:443"`) or `{ hostname, port }`, read into a host and port for the core's
// connect(), which validates the port and resolves the name.
import { ERR_INVALID_ARG_TYPE, ERR_INVALID_ARG_VALUE } from "../errors/errors.ts";

/** An address as `{ hostname, port }`. */
export interface SocketAddress {
  /** A host name or IP address (IPv6 without brackets). */
  hostname: string;
  /** The port number. */
  port: number;
}

/** `"host:port"` or `{ hostname, port }`. */
export type AnySocketAddress = string | SocketAddress;

/** Read `address` into a hostname and port; throws Node's argument errors for malformed ones. */
export function parseAddress(address: AnySocketAddress): { hostname: string; port: number } {
  if (typeof address === "string") {
    let hostname: string;
    let port: string;
    const bracket = /^\[([^\]]*)\]:(\d+)$/.exec(address);
    if (bracket) {
      [, hostname, port] = bracket;
    } else {
      const colon = address.lastIndexOf(":");
      hostname = address.slice(0, colon);
      port = address.slice(colon + 1);
      // An unbracketed IPv6 address ("::1:80") is ambiguous: refused, as a URL would.
      if (colon < 0 || hostname.includes(":") || !/^\d+$/.test(port)) {
        throw ERR_INVALID_ARG_VALUE("address", address, 'must be "hostname:port" (an IPv6 address in brackets)');
      }
    }
    if (hostname === "") throw ERR_INVALID_ARG_VALUE("address", address, "has no hostname");
    return { hostname, port: Number(port) };
  }
  if (typeof address !== "object" || address === null) {
    throw ERR_INVALID_ARG_TYPE("address", ["string", "SocketAddress"], address);
  }
  const { hostname, port } = address;
  if (typeof hostname !== "string" || hostname === "") {
    throw ERR_INVALID_ARG_VALUE("address.hostname", hostname, "must be a non-empty string");
  }
  const bare = hostname.startsWith("[") && hostname.endsWith("]") ? hostname.slice(1, -1) : hostname;
  return { hostname: bare, port };
}

/** `"ip:port"`, `"[ipv6]:port"`, as the Sockets API's `SocketInfo` gives addresses. */
export function formatAddress(address: string | undefined, port: number | undefined): string {
  if (address === undefined) return "";
  return address.includes(":") ? `[${address}]:${port}` : `${address}:${port}`;
}
