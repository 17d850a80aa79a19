/**
 * `createNet(adapter)`: the `node:net` API bound to one RuntimeAdapter.
 *
 * @module
 */
import type { RuntimeAdapter } from "./contract.ts";
import { kAdapter } from "./_symbols.ts";
import { Socket as CoreSocket, type SocketConstructorOpts } from "./socket/socket.ts";
import type { SocketConnectOpts } from "./socket/connect.ts";
import { type ListenOpts, Server as CoreServer, type ServerOpts } from "./server/server.ts";
import { normalizeArgs } from "./normalize_args.ts";

/** The `node:net`-shaped API that {@link createNet} returns. */
export interface Net {
  /** The adapter this API runs on. */
  readonly adapter: RuntimeAdapter;
  /** `net.Socket` bound to the adapter. */
  Socket: typeof CoreSocket;
  /** `net.Server` bound to the adapter. */
  Server: typeof CoreServer;
  /** Node's old name of `net.Socket`. */
  Stream: typeof CoreSocket;
  /** `net.createServer([options][, connectionListener])`. */
  createServer(
    options?: ServerOpts | ((socket: CoreSocket) => void),
    connectionListener?: (socket: CoreSocket) => void,
  ): CoreServer;
  /** `net.connect(...)`: a new Socket, connecting. */
  connect: ConnectFunction;
  /** Alias of `connect`. */
  createConnection: ConnectFunction;
}

/** The overloads of `net.connect` / `net.createConnection`. */
export interface ConnectFunction {
  (options: SocketConnectOpts & SocketConstructorOpts, connectListener?: () => void): CoreSocket;
  (port: number, host?: string, connectListener?: () => void): CoreSocket;
  (port: number, connectListener?: () => void): CoreSocket;
  (path: string, connectListener?: () => void): CoreSocket;
}

/**
 * Bind the `node:net` API to an adapter: a runtime's (`adapters/node`, `adapters/deno`,
 * `adapters/bun`) or your own, such as an in-memory network for tests.
 *
 * @example
 * ```ts
 * import { createNet } from "@omninet/net";
 * import { adapter } from "@omninet/net/adapters/node";
 * const net = createNet(adapter);
 * net.createServer((s) => s.end("hi")).listen(0);
 * ```
 */
export function createNet(adapter: RuntimeAdapter): Net {
  class Socket extends CoreSocket {}
  class Server extends CoreServer {}
  Object.defineProperty(Socket, "name", { value: "Socket" });
  Object.defineProperty(Server, "name", { value: "Server" });
  return bindNet(adapter, Socket, Server);
}

/**
 * @internal The API over a Socket and a Server class: binds both to `adapter` (on their
 * prototypes) and the Server to the Socket class it accepts into. `createNet` passes new
 * subclasses; `src/api.ts` the core classes themselves, so that the default API's
 * `Socket` and `Server` are real class declarations.
 */
export function bindNet(adapter: RuntimeAdapter, Socket: typeof CoreSocket, Server: typeof CoreServer): Net {
  Object.defineProperty(Socket.prototype, kAdapter, { value: adapter });
  Object.defineProperty(Server.prototype, kAdapter, { value: adapter });
  Object.defineProperty(Server.prototype, "socketClass", { value: Socket });

  function createServer(
    options?: ServerOpts | ((socket: CoreSocket) => void),
    connectionListener?: (socket: CoreSocket) => void,
  ): CoreServer {
    return new Server(options, connectionListener);
  }

  const connect = function connect(...args: unknown[]): CoreSocket {
    const normalized = normalizeArgs(args);
    const options = normalized[0] as SocketConstructorOpts & SocketConnectOpts;
    const socket = new Socket(options);
    if (options.timeout) socket.setTimeout(options.timeout);
    // deno-lint-ignore no-explicit-any
    return (socket.connect as any)(normalized);
  } as ConnectFunction;

  const SocketCallable = callable(Socket);
  return {
    adapter,
    Socket: SocketCallable,
    Server: callable(Server),
    Stream: SocketCallable,
    createServer,
    connect,
    createConnection: connect,
  };
}

/**
 * The class, also callable without `new` as Node's constructors are (`net.Socket()`,
 * `net.Server()`): a proxy whose call makes an instance. `instanceof`, `extends`, the
 * prototype and static members all reach the class itself.
 */
// deno-lint-ignore no-explicit-any
function callable<T extends new (...args: any[]) => object>(Class: T): T {
  return new Proxy(Class, {
    apply: (target, _thisArg, args) => Reflect.construct(target, args),
  });
}

export type { ListenOpts, ServerOpts, SocketConnectOpts, SocketConstructorOpts };
