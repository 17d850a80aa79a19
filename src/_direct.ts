// Opening and accepting connections with or without the re-entrancy guard (_reentry.ts).
// An adapter with the `reentrySafe` capability keeps the contract's re-entrancy rule
// itself, so the core holds its RawConn as it is: no guard object per connection, no
// closure per write, one call less on every path. Every other adapter gets the guard.
import type { ConnectOptions, ConnSink, RawConn, RuntimeAdapter } from "./contract.ts";
import { GuardedConn, rethrow } from "./_reentry.ts";

/** An accepted connection as the core passes it on: the conn and how it gets its sink. */
export interface Accepted {
  /** The connection the Socket holds. */
  conn: RawConn;
  /** Give the connection its sink; called before any other call on `conn`. */
  attach(sink: ConnSink): void;
}

/** A sink that takes nothing: for a connection refused (or one whose Socket never came). */
export const ignoreSink: ConnSink = {
  onConnect() {},
  onData() {},
  onEnd() {},
  onError() {},
  onClose() {},
};

/** `adapter.connect`, behind the guard unless the adapter keeps the rule itself. */
export function openConn(adapter: RuntimeAdapter, target: ConnectOptions, sink: ConnSink): RawConn {
  if (adapter.capabilities.reentrySafe) return adapter.connect(target, sink);
  return GuardedConn.connect(adapter, target, sink);
}

/**
 * The core's side of `ListenerSink.onConnection`: `take` gets the connection (it attaches
 * a sink or refuses it), and the sink it attached is returned to the adapter.
 */
export function acceptConn(
  adapter: RuntimeAdapter,
  raw: RawConn,
  attach: ((sink: ConnSink) => void) | undefined,
  take: (accepted: Accepted) => void,
): ConnSink {
  if (!adapter.capabilities.reentrySafe || attach === undefined) {
    return GuardedConn.accept(raw, take, attach);
  }
  const accepted = new DirectAccepted(raw, attach);
  try {
    take(accepted);
  } catch (err) {
    // A 'connection' listener threw: uncaught, as in Node; the adapter still gets its sink.
    rethrow(err);
  }
  return accepted.attached ?? ignoreSink;
}

/** An accepted connection of a `reentrySafe` adapter: one object, no closure per accept. */
class DirectAccepted implements Accepted {
  /** The sink attached, once it is. */
  attached: ConnSink | null = null;
  conn: RawConn;
  #attach: (sink: ConnSink) => void;

  constructor(conn: RawConn, attach: (sink: ConnSink) => void) {
    this.conn = conn;
    this.#attach = attach;
  }

  attach(sink: ConnSink): void {
    this.attached = sink;
    this.#attach(sink);
  }
}
