/**
 * `Server`: Node's `net.Server` state machine over one RawListener: every listen form,
 * `'listening'`, `'connection'`, `maxConnections` with `'drop'`, `blockList`, and
 * `close()` that waits for every connection and for the port's release.
 *
 * @module
 */
import { EventEmitter } from "node:events";
import type { InetAddress, RuntimeAdapter } from "../contract.ts";
import { kAdapter, kPipe, kRawConn, kServerHooks } from "../_symbols.ts";
import type { Socket, SocketConstructorOpts } from "../socket/socket.ts";
import { normalizeArgs } from "../normalize_args.ts";
import type { AnyListener, ServerEventMap } from "../events.ts";
import {
  ERR_FEATURE_UNAVAILABLE_ON_PLATFORM,
  ERR_SERVER_ALREADY_LISTEN,
  ERR_SERVER_NOT_RUNNING,
} from "../errors/errors.ts";
import { pipePathExceeds, pipePathTooLong, uvSystemError } from "../errors/system_errors.ts";
import { validateAbortSignal, validateFunction } from "../errors/validators.ts";
import { isIP } from "../address/ip.ts";
import type { BlockListLike } from "../address/blocklist.ts";
import { type ServerOpts, serverSettings } from "./_options.ts";
import { admit, refuse } from "./_accept.ts";
import { Binding } from "./_binding.ts";
import { defineLegacyServerMembers } from "./_legacy.ts";
import type { Accepted } from "../_direct.ts";
import { backlogFromArgs, listenFdInvalid, type ListenOpts, listenTarget, rejectHandles } from "./listen.ts";

export type { ListenOpts } from "./listen.ts";
export type { DropData } from "./_accept.ts";
export type { ServerOpts } from "./_options.ts";

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
  /** @internal The RuntimeAdapter this class is bound to (on the prototype). */
  declare [kAdapter]: RuntimeAdapter;
  /** @internal The Socket class of the same net (set by createNet). */
  declare socketClass: SocketClass;
  /** Refuse connections beyond this many (they are closed, with a `'drop'` event). @default undefined */
  declare maxConnections: number;
  /** The `blockList` option: its blocked peers are closed before `'connection'`. */
  declare blockList: BlockListLike | undefined;
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

  #binding: Binding = new Binding(this, () => this[kAdapter]);
  #pipeName: string | undefined = undefined;
  /** Told when an accepted socket is destroyed (one object for every socket). */
  #hooks = { onDestroy: (): void => this.#onSocketDestroyed() };
  /** @internal Node's legacy field: the open connections (use `getConnections()`). */
  _connections = 0;
  /** @internal Node's legacy field: counts listen() and close() calls (a newer call voids an older one). */
  _listeningId = 1;
  /** @internal Node's cluster bookkeeping: always false here (no cluster handles). */
  _usingWorkers = false;
  /** @internal Node's cluster bookkeeping: always empty here. */
  _workers: unknown[] = [];

  /** Create a server; `connectionListener` is added as a `'connection'` listener. */
  constructor(options?: ServerOpts | ((socket: Socket) => void), connectionListener?: (socket: Socket) => void) {
    super();
    const [settings, listener] = serverSettings<(socket: Socket) => void>(options, connectionListener);
    if (listener) this.on("connection", listener);
    this.allowHalfOpen = settings.allowHalfOpen;
    this.pauseOnConnect = settings.pauseOnConnect;
    this.noDelay = settings.noDelay;
    this.keepAlive = settings.keepAlive;
    this.keepAliveInitialDelay = settings.keepAliveInitialDelay;
    this.highWaterMark = settings.highWaterMark;
    if (settings.blockList) this.blockList = settings.blockList;
  }

  /**
   * Start listening: `([port][, host][, backlog][, cb])`, `(path[, backlog][, cb])` or
   * `(options[, cb])`. `'listening'` (and `cb`) follow asynchronously, or `'error'`.
   */
  listen(port?: number | string | null, host?: string, backlog?: number, listeningListener?: () => void): this;
  /** Listen on TCP `port` (0 or none: a free one) of `host` (none: every address). */
  listen(port?: number | string | null, host?: string, listeningListener?: () => void): this;
  /** Listen on TCP `port` of every address, with a connection queue of `backlog`. */
  listen(port?: number | string | null, backlog?: number, listeningListener?: () => void): this;
  /** Listen on TCP `port` of every address. */
  listen(port?: number | string | null, listeningListener?: () => void): this;
  /** Listen on the Unix socket `path`, with a connection queue of `backlog`. */
  listen(path: string, backlog?: number, listeningListener?: () => void): this;
  /** Listen on the Unix socket `path`. */
  listen(path: string, listeningListener?: () => void): this;
  /** Listen as `options` say: TCP (`port`, `host`, …) or a Unix socket (`path`). */
  listen(options: ListenOpts, listeningListener?: () => void): this;
  /** Listen on a free TCP port of every address. */
  listen(listeningListener?: () => void): this;
  listen(...args: unknown[]): this {
    const [normalized, cb] = normalizeArgs(args);
    if (this.#binding.bound) throw ERR_SERVER_ALREADY_LISTEN();
    if (cb !== null) this.once("listening", cb);
    const fromArgs = backlogFromArgs(args);
    const adapter = this[kAdapter];
    // A new call makes any earlier one that is still resolving or binding void (Node's _listeningId).
    const id = ++this._listeningId;
    this.#binding.dropPending();
    const options = rejectHandles(normalized, adapter.name);
    if (options.signal !== undefined) {
      validateAbortSignal(options.signal, "options.signal");
      this.#watchSignal(options.signal as AbortSignal);
    }
    if (listenFdInvalid(options)) {
      // Node's handle creation fails and reports it a tick later, even after an abort.
      const err = uvSystemError(adapter.platform, "EINVAL", "listen");
      queueMicrotask(() => this.emit("error", err));
      return this;
    }
    const target = listenTarget(options, args, fromArgs);
    const caps = adapter.capabilities;
    if ("path" in target) {
      if (!caps.unix) throw ERR_FEATURE_UNAVAILABLE_ON_PLATFORM("options.path", adapter.name);
      this.#pipeName = target.path;
      this.#binding.connectionKey = `-1:${target.path}:-1`;
      if (pipePathExceeds(adapter.platform, target.path)) {
        // Node 24's uv_pipe_bind2 refuses the path at once; 'error' follows a tick later.
        const err = pipePathTooLong(adapter.platform, "listen", target.path);
        queueMicrotask(() => {
          if (id === this._listeningId) this.emit("error", err);
        });
        return this;
      }
      this.#binding.bind(target);
      return this;
    }
    if (target.reusePort && !caps.reusePort) {
      throw ERR_FEATURE_UNAVAILABLE_ON_PLATFORM("options.reusePort", adapter.name);
    }
    const literal = target.host === undefined ? 6 : isIP(target.host);
    if (target.ipv6Only && literal === 6 && !caps.ipv6Only) {
      throw ERR_FEATURE_UNAVAILABLE_ON_PLATFORM("options.ipv6Only", adapter.name);
    }
    if (target.host === undefined) {
      this.#binding.bindTcp(target, "::", 6, () => this.#binding.bindTcp(target, "0.0.0.0", 4));
    } else if (literal) {
      // Node resolves even a literal through dns.lookup: the bind happens a tick later.
      const host = target.host;
      queueMicrotask(() => {
        if (id === this._listeningId) this.#binding.bindTcp(target, host, literal as 4 | 6);
      });
    } else {
      this.#binding.lookupAndBind(target, target.host, () => id === this._listeningId);
    }
    return this;
  }

  /** @internal An accepted connection of the current listener (see `_binding.ts`). */
  acceptConnection(accepted: Accepted): void {
    const verdict = admit(accepted.conn, this._connections, this.maxConnections, this.blockList);
    if (verdict.kind !== "accept") {
      refuse(accepted);
      if (verdict.kind === "drop") {
        if (verdict.data) this.emit("drop", verdict.data);
        else this.emit("drop");
      }
      return;
    }
    const socket = new this.socketClass({
      [kRawConn]: accepted,
      [kPipe]: this.#pipeName !== undefined,
      pauseOnCreate: this.pauseOnConnect,
      allowHalfOpen: this.allowHalfOpen,
      readableHighWaterMark: this.highWaterMark,
      writableHighWaterMark: this.highWaterMark,
      noDelay: this.noDelay,
      keepAlive: this.keepAlive,
      keepAliveInitialDelay: this.keepAliveInitialDelay * 1000,
    });
    this._connections++;
    socket.server = this;
    socket._server = this;
    socket[kServerHooks] = this.#hooks;
    this.emit("connection", socket);
  }

  #onSocketDestroyed(): void {
    this._connections--;
    this._emitCloseIfDrained();
  }

  /**
   * @internal Node's name: emit `'close'` once no listener and no connection is left (one
   * per call that finds none); here it also waits until every given-up listener has
   * released its port.
   */
  _emitCloseIfDrained(): void {
    if (this.#binding.listener || this._connections) return;
    this.#binding.released.then(() => queueMicrotask(() => this.emit("close")));
  }

  #watchSignal(signal: AbortSignal): void {
    const onAbort = () => this.close();
    if (signal.aborted) {
      queueMicrotask(onAbort);
      return;
    }
    signal.addEventListener("abort", onAbort, { once: true });
    this.once("close", () => signal.removeEventListener("abort", onAbort));
  }

  /**
   * Stop accepting now; `'close'` (and `callback`) follow once every connection has
   * ended. The callback gets `ERR_SERVER_NOT_RUNNING` when the server was not listening.
   */
  close(callback?: (err?: Error) => void): this {
    this._listeningId++;
    if (typeof callback === "function") {
      if (!this.listening) this.once("close", () => callback(ERR_SERVER_NOT_RUNNING()));
      else this.once("close", callback);
    }
    this.#binding.close();
    this._emitCloseIfDrained();
    return this;
  }

  /**
   * The bound address: `{ address, family, port }` for TCP, the path for a Unix socket
   * (kept after close, as Node does), or null.
   */
  address(): InetAddress | string | null {
    const a = this.#binding.bound ? this.#binding.listener!.address() : undefined;
    if (a && "port" in a) return { address: a.address, family: a.family, port: a.port };
    if (this.#pipeName) return this.#pipeName;
    return null;
  }

  /** True while bound and accepting. */
  get listening(): boolean {
    return this.#binding.bound;
  }

  /** Calls back (asynchronously) with the number of open connections. */
  getConnections(cb: (err: Error | null, count: number) => void): this {
    validateFunction(cb, "callback");
    const count = this._connections;
    queueMicrotask(() => cb(null, count));
    return this;
  }

  /** Let this server keep the process alive (the default). */
  ref(): this {
    this.#binding.unref = false;
    this.#binding.listener?.ref();
    return this;
  }

  /** Let the process exit even while this server listens. */
  unref(): this {
    this.#binding.unref = true;
    this.#binding.listener?.unref();
    return this;
  }

  /**
   * Typed as @types/node still types it; Node 24 has no such property (undefined).
   * @deprecated Use `getConnections()`.
   */
  declare readonly connections: number;

  static {
    defineLegacyServerMembers(this.prototype, (server: Server) => server.#binding);
  }

  /** `await using server = …`: closes the server and waits for `'close'`. */
  async [Symbol.asyncDispose](): Promise<void> {
    if (!this.#binding.listener) return;
    await new Promise<void>((resolve) => {
      this.once("close", () => resolve());
      this.close();
    });
  }

  /** With `captureRejections`: a rejected `'connection'` listener destroys its socket. */
  override [EventEmitter.captureRejectionSymbol](err: Error, event: string, ...args: unknown[]): void {
    if (event === "connection") (args[0] as Socket).destroy(err);
    else this.emit("error", err);
  }
}

// Typed listeners for Server's events (declaration merging with the class above).
/** Server's event methods, typed for its own events ({@link ServerEventMap}). */
export interface Server {
  /** Call `listener` on every `event`. */
  on<K extends keyof ServerEventMap<Socket>>(event: K, listener: (...args: ServerEventMap<Socket>[K]) => void): this;
  /** Call `listener` on every `event` (an event of no declared type). */
  on(event: string | symbol, listener: AnyListener): this;
  /** Call `listener` on the next `event` only. */
  once<K extends keyof ServerEventMap<Socket>>(event: K, listener: (...args: ServerEventMap<Socket>[K]) => void): this;
  /** Call `listener` on the next `event` only (an event of no declared type). */
  once(event: string | symbol, listener: AnyListener): this;
  /** Alias of `on`. */
  addListener<K extends keyof ServerEventMap<Socket>>(
    event: K,
    listener: (...args: ServerEventMap<Socket>[K]) => void,
  ): this;
  /** Alias of `on` (an event of no declared type). */
  addListener(event: string | symbol, listener: AnyListener): this;
  /** As `on`, but `listener` runs before the listeners added earlier. */
  prependListener<K extends keyof ServerEventMap<Socket>>(
    event: K,
    listener: (...args: ServerEventMap<Socket>[K]) => void,
  ): this;
  /** As `on`, but `listener` runs before the listeners added earlier (an event of no declared type). */
  prependListener(event: string | symbol, listener: AnyListener): this;
  /** As `once`, but `listener` runs before the listeners added earlier. */
  prependOnceListener<K extends keyof ServerEventMap<Socket>>(
    event: K,
    listener: (...args: ServerEventMap<Socket>[K]) => void,
  ): this;
  /** As `once`, but `listener` runs before the listeners added earlier (an event of no declared type). */
  prependOnceListener(event: string | symbol, listener: AnyListener): this;
  /** Stop calling `listener` on `event` (removes one registration). */
  off<K extends keyof ServerEventMap<Socket>>(event: K, listener: (...args: ServerEventMap<Socket>[K]) => void): this;
  /** Stop calling `listener` on `event` (an event of no declared type). */
  off(event: string | symbol, listener: AnyListener): this;
  /** Alias of `off`. */
  removeListener<K extends keyof ServerEventMap<Socket>>(
    event: K,
    listener: (...args: ServerEventMap<Socket>[K]) => void,
  ): this;
  /** Alias of `off` (an event of no declared type). */
  removeListener(event: string | symbol, listener: AnyListener): this;
}
