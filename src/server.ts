/**
 * `Server`: Node's `net.Server` state machine over one RawListener: listen forms,
 * `'listening'`, `'connection'`, `maxConnections` with `'drop'`, and `close()` that waits
 * for every connection.
 *
 * @module
 */
import { EventEmitter } from "node:events";
import type { InetAddress, ListenOptions, RawConn, RawListener, RuntimeAdapter } from "./types.ts";
import { kAdapter, kRawConn, kServerHooks } from "./_symbols.ts";
import type { Socket, SocketConstructorOpts } from "./socket.ts";
import { normalizeArgs } from "./normalize_args.ts";
import {
  ERR_FEATURE_UNAVAILABLE_ON_PLATFORM,
  ERR_INVALID_ARG_TYPE,
  ERR_INVALID_ARG_VALUE,
  ERR_SERVER_ALREADY_LISTEN,
  ERR_SERVER_NOT_RUNNING,
} from "./errors.ts";
import { validateNumber, validatePort, validateString } from "./validators.ts";
import { isIP } from "./ip.ts";

/** Options for `createServer()` / `new Server()`. */
export interface ServerOpts {
  /** Accepted sockets keep their writable side open after the peer ends. @default false */
  allowHalfOpen?: boolean;
  /** Accepted sockets start paused (no reading until `resume()`). @default false */
  pauseOnConnect?: boolean;
  /** Turn Nagle's algorithm off on accepted sockets. @default false */
  noDelay?: boolean;
  /** Enable keep-alive on accepted sockets. @default false */
  keepAlive?: boolean;
  /** Keep-alive initial delay in milliseconds. @default 0 */
  keepAliveInitialDelay?: number;
  /** Buffer size of accepted sockets. @default 16384 */
  highWaterMark?: number;
}

/** Options for `server.listen(options)`. */
export interface ListenOpts {
  /** TCP port; 0 or omitted picks a free one. */
  port?: number | string | null;
  /** Host to bind; omitted binds every address (`::` with dual stack, else `0.0.0.0`). */
  host?: string;
  /** Unix domain socket path. */
  path?: string;
  /** Pending-connection queue length. @default 511 */
  backlog?: number;
  /** Accepted for compatibility; there is no cluster here. @default false */
  exclusive?: boolean;
  /** Bind IPv6 only (no dual stack). @default false */
  ipv6Only?: boolean;
  /** Let several listeners share the port (SO_REUSEPORT). @default false */
  reusePort?: boolean;
  /** Make the Unix socket readable by all users. @default false */
  readableAll?: boolean;
  /** Make the Unix socket writable by all users. @default false */
  writableAll?: boolean;
  /** Close the server when this signal aborts. */
  signal?: AbortSignal;
  [key: string]: unknown;
}

type SocketClass = new (options: SocketConstructorOpts & Record<string, unknown>) => Socket;

/**
 * A TCP or IPC server, as Node's `net.Server`.
 *
 * @example
 * ```ts
 * import { createServer } from "@omninet/net";
 * const server = createServer((socket) => socket.pipe(socket));
 * server.listen(0, "127.0.0.1", () => console.log(server.address()));
 * ```
 */
export class Server extends EventEmitter {
  declare [kAdapter]: RuntimeAdapter;
  /** @internal The Socket class of the same net (set by createNet). */
  declare socketClass: SocketClass;
  /** Refuse connections beyond this many (they are dropped with a `'drop'` event). */
  maxConnections: number | undefined = undefined;
  /** Accepted sockets allow half-open. */
  allowHalfOpen: boolean;
  /** Accepted sockets start paused. */
  pauseOnConnect: boolean;
  /** Accepted sockets get TCP_NODELAY. */
  noDelay: boolean;
  /** Accepted sockets get keep-alive. */
  keepAlive: boolean;
  /** Keep-alive initial delay in seconds (as Node stores it). */
  keepAliveInitialDelay: number;
  /** Buffer size of accepted sockets. */
  highWaterMark: number;

  #listener: RawListener | null = null;
  #bound = false;
  #pipeName: string | undefined = undefined;
  #connections = 0;
  #unref = false;
  #releasing = 0;
  #listeningId = 0;

  constructor(options?: ServerOpts | ((socket: Socket) => void), connectionListener?: (socket: Socket) => void) {
    super();
    let opts: ServerOpts;
    if (typeof options === "function") {
      this.on("connection", options);
      opts = {};
    } else if (options == null || typeof options === "object") {
      opts = { ...options };
      if (typeof connectionListener === "function") this.on("connection", connectionListener);
    } else {
      throw ERR_INVALID_ARG_TYPE("options", "Object", options);
    }
    if (opts.keepAliveInitialDelay !== undefined) {
      validateNumber(opts.keepAliveInitialDelay, "options.keepAliveInitialDelay");
      if (opts.keepAliveInitialDelay < 0) opts.keepAliveInitialDelay = 0;
    }
    if (opts.highWaterMark !== undefined) validateNumber(opts.highWaterMark, "options.highWaterMark");
    this.allowHalfOpen = opts.allowHalfOpen || false;
    this.pauseOnConnect = Boolean(opts.pauseOnConnect);
    this.noDelay = Boolean(opts.noDelay);
    this.keepAlive = Boolean(opts.keepAlive);
    this.keepAliveInitialDelay = ~~((opts.keepAliveInitialDelay ?? 0) / 1000);
    this.highWaterMark = opts.highWaterMark ?? 16384;
  }

  /** Start listening: `(port[, host][, backlog][, cb])`, `(path[, backlog][, cb])`, `(options[, cb])`. */
  listen(port?: number, host?: string, backlog?: number, listeningListener?: () => void): this;
  listen(port?: number, host?: string, listeningListener?: () => void): this;
  listen(port?: number, listeningListener?: () => void): this;
  listen(path: string, listeningListener?: () => void): this;
  listen(options: ListenOpts, listeningListener?: () => void): this;
  listen(listeningListener?: () => void): this;
  listen(...args: unknown[]): this {
    const [normalized, cb] = normalizeArgs(args);
    const options = normalized as ListenOpts;
    if (this.#listener) throw ERR_SERVER_ALREADY_LISTEN();
    if (cb !== null) this.once("listening", cb);
    const backlogFromArgs = toNumber(args.length > 1 && args[1]) || toNumber(args.length > 2 && args[2]);
    const id = ++this.#listeningId;
    if (options.handle !== undefined || options._handle !== undefined || typeof options.fd === "number") {
      throw ERR_FEATURE_UNAVAILABLE_ON_PLATFORM(
        options.fd !== undefined ? "options.fd" : "options.handle",
        this[kAdapter].name,
      );
    }
    if (
      args.length === 0 || typeof args[0] === "function" ||
      (options.port === undefined && "port" in options) || options.port === null
    ) {
      options.port = 0;
    }
    if (options.signal) this.#watchSignal(options.signal as AbortSignal);
    const backlog = (options.backlog as number | undefined) || backlogFromArgs || 511;
    if (typeof options.port === "number" || typeof options.port === "string") {
      const port = validatePort(options.port, "options.port");
      const flags = { ipv6Only: Boolean(options.ipv6Only), reusePort: Boolean(options.reusePort) };
      if (options.host) this.#lookupAndListen(id, port, options.host, backlog, flags);
      else this.#listenDefault(id, port, backlog, flags);
      return this;
    }
    if (options.path !== undefined) {
      validateString(options.path, "options.path");
      this.#pipeName = options.path;
      this.#bind(id, {
        path: options.path,
        backlog,
        readableAll: Boolean(options.readableAll),
        writableAll: Boolean(options.writableAll),
      });
      return this;
    }
    if (!("port" in options) && !("path" in options)) {
      throw ERR_INVALID_ARG_VALUE("options", options, 'must have the property "port" or "path"');
    }
    throw ERR_INVALID_ARG_VALUE("options", options);
  }

  #lookupAndListen(id: number, port: number, host: string, backlog: number, flags: ListenFlags): void {
    const family = isIP(host);
    if (family) {
      this.#bind(id, { host, port, family: family as 4 | 6, backlog, ...flags });
      return;
    }
    this[kAdapter].lookup(host, { family: 0, hints: 0 }).then(
      (addresses) => {
        if (id !== this.#listeningId) return;
        const a = addresses[0];
        this.#bind(id, { host: a.address, port, family: a.family, backlog, ...flags });
      },
      (err) => {
        if (id === this.#listeningId) this.emit("error", err);
      },
    );
  }

  // No host: `::` (dual stack) where IPv6 works, else `0.0.0.0`, as Node does.
  #listenDefault(id: number, port: number, backlog: number, flags: ListenFlags): void {
    this.#bind(id, { host: "::", port, family: 6, backlog, ...flags }, (err) => {
      const code = (err as { code?: string }).code;
      if (code !== "EAFNOSUPPORT" && code !== "EADDRNOTAVAIL") return false;
      this.#bind(id, { host: "0.0.0.0", port, family: 4, backlog, ...flags });
      return true;
    });
  }

  #bind(id: number, options: ListenOptions, retry?: (err: Error) => boolean): void {
    const listener = this[kAdapter].listen(options, {
      onListening: () => {
        if (id !== this.#listeningId || this.#listener !== listener) return;
        this.#bound = true;
        this.emit("listening");
      },
      onConnection: (conn) => this.#onConnection(conn),
      onError: (err) => {
        if (id !== this.#listeningId || this.#listener !== listener) return;
        if (!this.#bound) {
          this.#listener = null;
          listener.close(() => {});
          if (retry?.(err)) return;
          this.#pipeName = undefined;
        }
        this.emit("error", err);
      },
    });
    this.#listener = listener;
    if (this.#unref) listener.unref();
  }

  #onConnection(conn: RawConn): void {
    if (this.maxConnections != null && this.#connections >= this.maxConnections) {
      const local = conn.localAddress();
      const remote = conn.remoteAddress();
      if (local && "port" in local) {
        const data: Record<string, unknown> = Object.create(null);
        data.localAddress = local.address;
        data.localPort = local.port;
        data.localFamily = local.family;
        if (remote && "port" in remote) {
          data.remoteAddress = remote.address;
          data.remotePort = remote.port;
          data.remoteFamily = remote.family;
        }
        this.emit("drop", data);
      } else {
        this.emit("drop");
      }
      conn.attach(ignoreSink);
      conn.close();
      return;
    }
    const socket = new this.socketClass({
      [kRawConn]: conn,
      pauseOnCreate: this.pauseOnConnect,
      allowHalfOpen: this.allowHalfOpen,
      readableHighWaterMark: this.highWaterMark,
      writableHighWaterMark: this.highWaterMark,
      noDelay: this.noDelay,
      keepAlive: this.keepAlive,
      keepAliveInitialDelay: this.keepAliveInitialDelay * 1000,
    });
    this.#connections++;
    (socket as Socket & { server: Server; _server: Server }).server = this;
    socket[kServerHooks] = { onDestroy: () => this.#onSocketDestroyed() };
    this.emit("connection", socket);
  }

  #onSocketDestroyed(): void {
    this.#connections--;
    this.#emitCloseIfDrained();
  }

  #emitCloseIfDrained(): void {
    if (this.#listener || this.#releasing || this.#connections) return;
    queueMicrotask(() => this.emit("close"));
  }

  #watchSignal(signal: AbortSignal): void {
    const onAbort = () => this.close();
    if (signal.aborted) queueMicrotask(onAbort);
    else {
      signal.addEventListener("abort", onAbort, { once: true });
      this.once("close", () => signal.removeEventListener("abort", onAbort));
    }
  }

  /** Stop accepting; `'close'` follows once every connection has ended. */
  close(callback?: (err?: Error) => void): this {
    if (typeof callback === "function") {
      if (!this.#listener) this.once("close", () => callback(ERR_SERVER_NOT_RUNNING()));
      else this.once("close", callback);
    }
    if (this.#listener) {
      // 'close' waits until the runtime has released the port, as Node's handle close does.
      this.#releasing++;
      this.#listener.close(() => {
        this.#releasing--;
        this.#emitCloseIfDrained();
      });
      this.#listener = null;
      this.#bound = false;
      this.#listeningId++;
    }
    this.#emitCloseIfDrained();
    return this;
  }

  /** The bound address: `{ address, family, port }`, the pipe path, or null. */
  address(): InetAddress | string | null {
    if (this.#listener) {
      const a = this.#listener.address();
      if (a && "port" in a) return { address: a.address, family: a.family, port: a.port };
      if (a && "path" in a) return a.path;
      if (this.#pipeName !== undefined) return this.#pipeName;
      return {} as InetAddress;
    }
    if (this.#pipeName !== undefined) return this.#pipeName;
    return null;
  }

  /** True while bound and accepting. */
  get listening(): boolean {
    return this.#bound && this.#listener !== null;
  }

  /** Calls back (asynchronously) with the number of open connections. */
  getConnections(cb: (err: Error | null, count: number) => void): this {
    const count = this.#connections;
    queueMicrotask(() => cb(null, count));
    return this;
  }

  /** Let this server keep the process alive (the default). */
  ref(): this {
    this.#unref = false;
    this.#listener?.ref();
    return this;
  }

  /** Let the process exit even while this server listens. */
  unref(): this {
    this.#unref = true;
    this.#listener?.unref();
    return this;
  }

  /** `await using server = …`: closes the server. */
  [Symbol.asyncDispose](): Promise<void> {
    if (!this.#listener) return Promise.resolve();
    return new Promise((resolve, reject) => this.close((err) => err ? reject(err) : resolve()));
  }
}

interface ListenFlags {
  ipv6Only: boolean;
  reusePort: boolean;
}

function toNumber(x: unknown): number | false {
  const n = Number(x);
  return n >= 0 ? n : false;
}

const ignoreSink = {
  onConnect() {},
  onData() {},
  onEnd() {},
  onError() {},
  onClose() {},
};
