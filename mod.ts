/**
 * omninet: Node's `net` module as one runtime-neutral core, running the same socket code
 * on Node, Deno and Bun.
 *
 * The runtime is detected at first use (Bun, then Deno, then Node) and its adapter
 * picked; `createNet(adapter)` binds the same API to any adapter you choose.
 *
 * @example
 * ```ts
 * import net, { type AddressInfo } from "@omninet/net";
 *
 * const server = net.createServer((socket) => socket.pipe(socket));
 * server.listen(0, "127.0.0.1", () => {
 *   const { port } = server.address() as AddressInfo;
 *   const client = net.connect(port, "127.0.0.1", () => client.end("ping"));
 *   client.on("data", (data) => console.log(String(data)));
 *   client.on("close", () => server.close());
 * });
 * ```
 *
 * @module
 */
import type { RuntimeAdapter } from "./src/types.ts";
import { createNet, type Net } from "./src/net.ts";
import type { Socket as CoreSocket } from "./src/socket.ts";
import type { Server as CoreServer } from "./src/server.ts";
import { adapter as nodeAdapter } from "./adapters/node/mod.ts";
import { adapter as denoAdapter } from "./adapters/deno/mod.ts";
import { adapter as bunAdapter } from "./adapters/bun/mod.ts";
import {
  getDefaultAutoSelectFamily,
  getDefaultAutoSelectFamilyAttemptTimeout,
  setDefaultAutoSelectFamily,
  setDefaultAutoSelectFamilyAttemptTimeout,
} from "./src/auto_select_family.ts";

/** The adapter for the runtime this code runs on: Bun, then Deno, then Node. */
export function detectAdapter(): RuntimeAdapter {
  if ("Bun" in globalThis) return bunAdapter;
  if ("Deno" in globalThis) return denoAdapter;
  return nodeAdapter;
}

const net: Net = createNet(detectAdapter());

/** `net.Socket` on the running runtime. */
export const Socket: Net["Socket"] = net.Socket;
/** A `net.Socket` instance. */
export type Socket = CoreSocket;
/** `net.Server` on the running runtime. */
export const Server: Net["Server"] = net.Server;
/** A `net.Server` instance. */
export type Server = CoreServer;
/** `net.createServer([options][, connectionListener])`. */
export const createServer: Net["createServer"] = net.createServer;
/** `net.connect(...)`. */
export const connect: Net["connect"] = net.connect;
/** `net.createConnection(...)` (alias of `connect`). */
export const createConnection: Net["createConnection"] = net.createConnection;

export { createNet };
export {
  getDefaultAutoSelectFamily,
  getDefaultAutoSelectFamilyAttemptTimeout,
  setDefaultAutoSelectFamily,
  setDefaultAutoSelectFamilyAttemptTimeout,
};
export type { Net } from "./src/net.ts";
export type { ListenOpts, ServerOpts, SocketConnectOpts, SocketConstructorOpts } from "./src/net.ts";
export type { InetAddress as AddressInfo } from "./src/types.ts";
export type * from "./src/types.ts";

/** The whole API as one object, shaped like `node:net`'s default export. */
const defaultExport: {
  Socket: Net["Socket"];
  Server: Net["Server"];
  createServer: Net["createServer"];
  connect: Net["connect"];
  createConnection: Net["createConnection"];
  createNet: typeof createNet;
  getDefaultAutoSelectFamily: typeof getDefaultAutoSelectFamily;
  setDefaultAutoSelectFamily: typeof setDefaultAutoSelectFamily;
  getDefaultAutoSelectFamilyAttemptTimeout: typeof getDefaultAutoSelectFamilyAttemptTimeout;
  setDefaultAutoSelectFamilyAttemptTimeout: typeof setDefaultAutoSelectFamilyAttemptTimeout;
} = {
  Socket,
  Server,
  createServer,
  connect,
  createConnection,
  createNet,
  getDefaultAutoSelectFamily,
  setDefaultAutoSelectFamily,
  getDefaultAutoSelectFamilyAttemptTimeout,
  setDefaultAutoSelectFamilyAttemptTimeout,
};
export default defaultExport;
