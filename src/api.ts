/**
 * The public API, once: every entry point (`mod.ts`, and the npm package's per-runtime
 * entries in `runtime/`) re-exports this module after naming its adapter with
 * `setRuntimeAdapter` (see `src/_runtime_adapter.ts`). Add new public exports here.
 *
 * @module
 */
import type { RuntimeAdapter } from "./contract.ts";
import { bindNet, createNet, type Net } from "./net.ts";
import { Socket } from "./socket/socket.ts";
import { Server } from "./server/server.ts";
import { runtimeAdapter, runtimeAdapterProxy } from "./_runtime_adapter.ts";
import {
  getDefaultAutoSelectFamily,
  getDefaultAutoSelectFamilyAttemptTimeout,
  setDefaultAutoSelectFamily,
  setDefaultAutoSelectFamilyAttemptTimeout,
} from "./socket/auto_select_family.ts";
import { isIP, isIPv4, isIPv6 } from "./address/ip.ts";
import { BlockList } from "./address/blocklist.ts";
import { SocketAddress } from "./address/socket_address.ts";
import { normalizeArgs } from "./normalize_args.ts";
import { ERR_FEATURE_UNAVAILABLE_ON_PLATFORM } from "./errors/errors.ts";

/**
 * The adapter for the runtime this code runs on: Bun, then Deno, then Node (from the
 * npm package, the one its `bun`, `deno` or `node` export condition picked).
 *
 * @example
 * ```ts
 * import { detectAdapter } from "@omninet/net";
 * console.log(detectAdapter().name); // "deno" under Deno
 * ```
 */
export function detectAdapter(): RuntimeAdapter {
  return runtimeAdapter();
}

// The default API's classes are the core classes themselves, bound to the runtime's
// adapter (createNet subclasses them for other adapters): so `Socket` and `Server` are
// real class declarations, documented with all their members.
const net: Net = bindNet(runtimeAdapterProxy, Socket, Server);

/**
 * `net.createServer([options][, connectionListener])`.
 *
 * @example
 * ```ts
 * import { createServer } from "@omninet/net";
 * const server = createServer({ allowHalfOpen: false }, (socket) => socket.pipe(socket));
 * server.listen(0, "127.0.0.1", () => server.close());
 * ```
 */
export const createServer: Net["createServer"] = net.createServer;

/**
 * `net.connect(...)`: a new Socket, connecting to a port, a host and port, an options
 * object or a Unix socket path.
 *
 * @example
 * ```ts
 * import { connect } from "@omninet/net";
 * const socket = connect({ port: 7, host: "127.0.0.1" }, () => socket.end("ping"));
 * socket.on("error", (err) => console.error(err.message)); // connect ECONNREFUSED 127.0.0.1:7
 * ```
 */
export const connect: Net["connect"] = net.connect;

/**
 * `net.createConnection(...)` (alias of `connect`).
 *
 * @example
 * ```ts
 * import { createConnection } from "@omninet/net";
 * const socket = createConnection(7, "127.0.0.1");
 * socket.on("error", () => socket.destroy());
 * ```
 */
export const createConnection: Net["createConnection"] = net.createConnection;

export { createNet, Server, Socket };
/**
 * Node's old name of `net.Socket`: the same class.
 *
 * @example
 * ```ts
 * import { Socket, Stream } from "@omninet/net";
 * console.log(Stream === Socket); // true
 * ```
 */
export const Stream: typeof Socket = Socket;

/**
 * Node's internal argument normalizer behind `connect()` and `listen()`: `(port[, host][,
 * cb])`, `(path[, cb])` or `(options[, cb])` to `[options, cb]`. Exported as Node exports it.
 *
 * @example
 * ```ts
 * import { _normalizeArgs } from "@omninet/net";
 * console.log(_normalizeArgs([8080, "localhost"])); // [ { port: 8080, host: "localhost" }, null ]
 * ```
 */
export const _normalizeArgs: (args: unknown[]) => [Record<string, unknown>, ((...a: unknown[]) => void) | null] =
  normalizeArgs;

/**
 * Node's internal maker of a native listening handle: there are no native handles here, so
 * it throws `ERR_FEATURE_UNAVAILABLE_ON_PLATFORM`.
 *
 * @example
 * ```ts
 * import { _createServerHandle } from "@omninet/net";
 * try {
 *   _createServerHandle();
 * } catch (err) {
 *   console.log((err as { code?: string }).code); // "ERR_FEATURE_UNAVAILABLE_ON_PLATFORM"
 * }
 * ```
 */
export function _createServerHandle(): never {
  throw ERR_FEATURE_UNAVAILABLE_ON_PLATFORM("net._createServerHandle()", runtimeAdapter().name);
}
export { isIP, isIPv4, isIPv6 };
export { BlockList, SocketAddress };
export type { IPVersion, SocketAddressInitOptions, SocketAddressJSON } from "./address/socket_address.ts";
export {
  getDefaultAutoSelectFamily,
  getDefaultAutoSelectFamilyAttemptTimeout,
  setDefaultAutoSelectFamily,
  setDefaultAutoSelectFamilyAttemptTimeout,
};
export type { ConnectFunction, Net } from "./net.ts";
export type { LookupFunction } from "./socket/_types.ts";
export type { OnReadOpts } from "./socket/_onread.ts";
export type { AnyListener, ServerEventMap, SocketEventMap } from "./events.ts";
export type { DropData } from "./server/_accept.ts";
export type { ListenOpts, ServerOpts, SocketConnectOpts, SocketConstructorOpts } from "./net.ts";
export type { InetAddress as AddressInfo } from "./contract.ts";
export type { RuntimeAdapter } from "./contract.ts";
export type { BlockListLike } from "./address/blocklist.ts";
export type { SetKeepAliveOptions } from "./socket/_options.ts";
export type { LookupFunctionOptions, LookupResult } from "./socket/_types.ts";

/**
 * The whole API as one object, shaped like `node:net`'s default export.
 *
 * @example
 * ```ts
 * import net from "@omninet/net";
 * const server = net.createServer((socket) => socket.end("hi"));
 * server.listen(0, "127.0.0.1", () => server.close());
 * ```
 */
const defaultExport: {
  Socket: Net["Socket"];
  Server: Net["Server"];
  Stream: Net["Stream"];
  createServer: Net["createServer"];
  connect: Net["connect"];
  createConnection: Net["createConnection"];
  createNet: typeof createNet;
  getDefaultAutoSelectFamily: typeof getDefaultAutoSelectFamily;
  setDefaultAutoSelectFamily: typeof setDefaultAutoSelectFamily;
  getDefaultAutoSelectFamilyAttemptTimeout: typeof getDefaultAutoSelectFamilyAttemptTimeout;
  setDefaultAutoSelectFamilyAttemptTimeout: typeof setDefaultAutoSelectFamilyAttemptTimeout;
  isIP: typeof isIP;
  isIPv4: typeof isIPv4;
  isIPv6: typeof isIPv6;
  BlockList: typeof BlockList;
  SocketAddress: typeof SocketAddress;
  _normalizeArgs: typeof _normalizeArgs;
  _createServerHandle: typeof _createServerHandle;
} = {
  // Callable without `new`, as node:net's default export's constructors are.
  Socket: net.Socket,
  Server: net.Server,
  Stream: net.Stream,
  _normalizeArgs,
  _createServerHandle,
  createServer,
  connect,
  createConnection,
  createNet,
  getDefaultAutoSelectFamily,
  setDefaultAutoSelectFamily,
  getDefaultAutoSelectFamilyAttemptTimeout,
  setDefaultAutoSelectFamilyAttemptTimeout,
  isIP,
  isIPv4,
  isIPv6,
  BlockList,
  SocketAddress,
};
export default defaultExport;
