/**
 * The WinterTC Sockets API (Cloudflare's `cloudflare:sockets`) on omninet's core: the same
 * `connect()` on Node, Deno and Bun, over the runtime's adapter, with TLS from the
 * runtime's own TLS (`secureTransport: "on"`, `"starttls"` and `startTls()`).
 * `createSockets(adapter)` binds it to any adapter, such as the in-memory network (which
 * has no TLS: `secureTransport` other than `"off"` throws there).
 *
 * @example
 * ```ts
 * import { connect } from "@omninet/net/sockets";
 *
 * const socket = connect({ hostname: "example.com", port: 80 });
 * const writer = socket.writable.getWriter();
 * await writer.write(new TextEncoder().encode("HEAD / HTTP/1.0\r\nHost: example.com\r\n\r\n"));
 * await writer.close(); // FIN: the request is complete
 * for await (const chunk of socket.readable) console.log(new TextDecoder().decode(chunk));
 * await socket.closed;
 * ```
 *
 * @module
 */
// mod.ts names the runtime's adapter (and is where the npm package's conditions differ).
import { detectAdapter } from "./mod.ts";
import { createSockets } from "./src/sockets/connect.ts";
import type { Socket, SocketOptions } from "./src/sockets/socket.ts";
import type { AnySocketAddress } from "./src/sockets/_address.ts";

export { createSockets, type Sockets } from "./src/sockets/connect.ts";
export { Socket } from "./src/sockets/socket.ts";
export type { SecureTransportKind, SocketInfo, SocketOptions, TlsOptions } from "./src/sockets/socket.ts";
export type { AnySocketAddress, SocketAddress } from "./src/sockets/_address.ts";
// The adapter contract, as `createSockets(adapter)` takes it (also exported by the main entry).
export type * from "./src/contract.ts";

const sockets = createSockets(detectAdapter);

/**
 * Open a TCP connection to `"host:port"` or `{ hostname, port }`: returns the Socket at
 * once; `opened` resolves when connected (and, with `secureTransport: "on"`, when the TLS
 * handshake is done). A malformed address or option throws; a failed connection rejects
 * `opened` and `closed` with Node's error (`ECONNREFUSED`, `ENOTFOUND` …).
 *
 * @example
 * ```ts
 * import { connect } from "@omninet/net/sockets";
 *
 * const socket = connect("127.0.0.1:7", { allowHalfOpen: false });
 * try {
 *   console.log(await socket.opened); // { remoteAddress: "127.0.0.1:7", localAddress: "127.0.0.1:…" }
 * } catch (err) {
 *   console.log((err as { code?: string }).code); // "ECONNREFUSED" if nothing listens
 * }
 * await socket.close();
 * ```
 */
export function connect(address: AnySocketAddress, options?: SocketOptions): Socket {
  return sockets.connect(address, options);
}
