// A Server's listening socket over time: the current RawListener and whether it is bound
// (Node's `_handle`), how it binds (name resolution, the `::` then `0.0.0.0` fallback,
// Node's listen errors), and the release of every listener given up, which the server's
// 'close' waits for.
import type { EventEmitter } from "node:events";
import type { ListenOptions, RawListener, RuntimeAdapter } from "../contract.ts";
import { ERR_FEATURE_UNAVAILABLE_ON_PLATFORM } from "../errors/errors.ts";
import { listenError, systemError } from "../errors/system_errors.ts";
import { acceptConn, type Accepted } from "../_direct.ts";
import { guardedListen } from "../_reentry_listener.ts";
import { resolveName } from "../socket/lookup.ts";
import { refuse } from "./_accept.ts";
import { pickListenAddress, type TcpTarget } from "./listen.ts";

// The default host's fallback: `::` is tried first, `0.0.0.0` where IPv6 is missing.
const NO_IPV6 = new Set(["EAFNOSUPPORT", "EADDRNOTAVAIL", "EPROTONOSUPPORT"]);

/** What a binding reports to its server besides the events it emits on it. */
export interface BindingOwner extends EventEmitter {
  /** An accepted connection of the current listener. */
  acceptConnection(accepted: Accepted): void;
}

/** The server's current listener, bound or binding, and those it gave up. */
export class Binding {
  /** The current listener (binding or bound), or null. */
  listener: RawListener | null = null;
  /** The current listener is bound: Node's `_handle` exists. */
  bound = false;
  /** Node's `_connectionKey`: the address as the server was asked to bind it. */
  connectionKey: string | undefined = undefined;
  /** New listeners start unref'd. */
  unref = false;
  // Settles once every listener given up so far has released its port or path.
  #released: Promise<void> = Promise.resolve();
  #owner: BindingOwner;
  #adapter: () => RuntimeAdapter;

  constructor(owner: BindingOwner, adapter: () => RuntimeAdapter) {
    this.#owner = owner;
    this.#adapter = adapter;
  }

  /** Resolves once every listener given up so far has released its port or path. */
  get released(): Promise<void> {
    return this.#released;
  }

  /** Resolve `host` (Node resolves even a literal), then bind; `current()` false drops the result. */
  lookupAndBind(target: TcpTarget, host: string, current: () => boolean): void {
    const adapter = this.#adapter();
    resolveName(adapter, host, 0, {}).then(
      (addresses) => {
        if (!current()) return;
        const chosen = pickListenAddress(addresses);
        if (!chosen) {
          this.#owner.emit("error", systemError(adapter.platform, "ENOTFOUND", "getaddrinfo", { hostname: host }));
        } else this.bindTcp(target, chosen.address, chosen.family);
      },
      (err) => {
        if (current()) this.#owner.emit("error", err);
      },
    );
  }

  /** Bind `target` on the IP address `host`; `fallback` runs instead of an IPv6-missing error. */
  bindTcp(target: TcpTarget, host: string, family: 4 | 6, fallback?: () => void): void {
    const adapter = this.#adapter();
    const ipv6Only = target.ipv6Only && family === 6;
    if (ipv6Only && !adapter.capabilities.ipv6Only) {
      this.#owner.emit("error", ERR_FEATURE_UNAVAILABLE_ON_PLATFORM("options.ipv6Only", adapter.name));
      return;
    }
    const { port, backlog, reusePort } = target;
    this.connectionKey = `${family}:${host}:${port}`;
    this.bind({ host, port, family, backlog, ipv6Only, reusePort }, fallback);
  }

  /** Bind and listen; 'listening' or 'error' (in Node's listen form) follows on the server. */
  bind(options: ListenOptions, fallback?: () => void): void {
    const adapter = this.#adapter();
    const owner = this.#owner;
    let announced = false;
    const listener: RawListener = guardedListen(adapter, options, {
      onListening: () => {
        if (this.listener !== listener) return;
        announced = this.bound = true;
        owner.emit("listening");
      },
      onConnection: (raw, attach) =>
        acceptConn(adapter, raw, attach, (accepted) => {
          if (this.listener === listener) owner.acceptConnection(accepted);
          else refuse(accepted);
        }),
      onError: (err) => {
        if (this.listener !== listener) return;
        if (announced) {
          owner.emit("error", err); // accept failed; the listener goes on
          return;
        }
        // Before onListening, an error means the bind or listen failed.
        this.listener = null;
        this.bound = false;
        this.#release(listener);
        if (fallback && NO_IPV6.has((err as { code?: string }).code!)) fallback();
        else owner.emit("error", listenError(adapter.platform, err, options));
      },
    });
    this.listener = listener;
    // Runtimes that bind synchronously (as Node does for an IP or a path) know it now.
    this.bound = listener.address() !== undefined;
    if (this.unref) listener.unref();
  }

  /** Give up a listener whose bind has not completed (listen() or close() was called again). */
  dropPending(): void {
    if (this.listener && !this.bound) {
      this.#release(this.listener);
      this.listener = null;
    }
  }

  /** Give up the current listener (close()). */
  close(): void {
    if (this.listener) {
      this.#release(this.listener);
      this.listener = null;
      this.bound = false;
    }
  }

  #release(listener: RawListener): void {
    const released = new Promise<void>((resolve) => listener.close(resolve));
    // `.then` drops Promise.all's array, which would hold the previous one: nested one level
    // deeper on every listen/close cycle.
    this.#released = Promise.all([this.#released, released]).then(() => {});
  }
}
