/**
 * The listening side of a memory network: a listener binds in its network (`network.ts`)
 * and hands the connections routed to it to the core.
 *
 * @module
 */
import { setImmediate } from "node:timers";
import type { ListenerSink, ListenOptions, RawAddress, RawListener } from "../../src/contract.ts";
import type { MemoryConn } from "./conn.ts";
import { deliver } from "./errors.ts";
import type { Acceptor, MemoryNetwork } from "./network.ts";

/**
 * One listener of a memory network. It binds in its constructor (as Node binds an IP
 * address or a path synchronously); `onListening` or `onError` follows on a later turn.
 */
export class MemoryListener implements RawListener, Acceptor {
  #network: MemoryNetwork;
  #sink: ListenerSink;
  #address: RawAddress | undefined;
  #closed = false;
  #refed = true;

  /** Bind to `options` in `network`. */
  constructor(network: MemoryNetwork, options: ListenOptions, sink: ListenerSink) {
    this.#network = network;
    this.#sink = sink;
    const bound = network.bind(this, options);
    if (bound instanceof Error) {
      setImmediate(() => {
        if (!this.#closed) deliver(() => sink.onError(bound));
      });
      return;
    }
    this.#address = bound;
    setImmediate(() => {
      if (!this.#closed) deliver(() => sink.onListening());
    });
  }

  /**
   * Hand an accepted connection to the core (called from the network's own turn). It is
   * linked to its peer already, so the core may write inside onConnection (`attach`).
   */
  accept(conn: MemoryConn): void {
    deliver(() => conn.setSink(this.#sink.onConnection(conn, (s) => conn.setSink(s))));
  }

  /** Whether `ref()` (the default) or `unref()` was called last; it has no effect here. */
  get refed(): boolean {
    return this.#refed;
  }

  address(): RawAddress | undefined {
    return this.#closed ? undefined : this.#address;
  }

  close(done: () => void): void {
    if (!this.#closed) {
      this.#closed = true;
      if (this.#address !== undefined) this.#network.unbind(this, this.#address);
    }
    setImmediate(() => deliver(done));
  }

  ref(): void {
    this.#refed = true; // remembered; nothing here holds the event loop open
  }

  unref(): void {
    this.#refed = false;
  }
}
