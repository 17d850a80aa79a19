// The re-entrancy guard (see _reentry.ts) for listeners: what an adapter calls on a
// ListenerSink inside `listen()` runs after it returned, in order, and a `close(done)`
// whose `done` comes inside `close()` has it at the next microtask.
import type { ConnSink, ListenerSink, ListenOptions, RawConn, RawListener, RuntimeAdapter } from "./contract.ts";
import { rethrow } from "./_reentry.ts";

/** A listener's sink behind the guard: what the adapter calls inside `listen()` or `close()` waits. */
class GuardedListenerSink implements ListenerSink {
  #sink: ListenerSink;
  #depth = 0;
  #waiting: (() => void)[] | null = null;

  constructor(sink: ListenerSink) {
    this.#sink = sink;
  }

  enter(): void {
    this.#depth++;
  }

  leave(): void {
    if (--this.#depth === 0 && this.#waiting !== null) queueMicrotask(() => this.#flush());
  }

  onListening(): void {
    if (this.#depth === 0 && this.#waiting === null) this.#sink.onListening();
    else this.#wait(() => this.#sink.onListening());
  }

  onError(err: Error): void {
    if (this.#depth === 0 && this.#waiting === null) this.#sink.onError(err);
    else this.#wait(() => this.#sink.onError(err));
  }

  onConnection(conn: RawConn, attach?: (sink: ConnSink) => void): ConnSink {
    // Accepting is one step: the sink is returned, so it cannot wait. The connection's own
    // guard (GuardedConn.accept) keeps the core's calls on `conn` off the adapter until it
    // has its sink: from `attach`, or once this returned.
    return this.#sink.onConnection(conn, attach);
  }

  #wait(call: () => void): void {
    (this.#waiting ??= []).push(call);
  }

  #flush(): void {
    const waiting = this.#waiting;
    if (waiting === null || this.#depth !== 0) return;
    // Calls made meanwhile join the same list, behind the others.
    for (let i = 0; i < waiting.length; i++) {
      try {
        waiting[i]();
      } catch (err) {
        rethrow(err);
      }
    }
    this.#waiting = null;
  }
}

/** `adapter.listen` behind a guard: sink calls inside `listen()` and `close()` wait. */
export function guardedListen(adapter: RuntimeAdapter, options: ListenOptions, sink: ListenerSink): RawListener {
  const guard = new GuardedListenerSink(sink);
  guard.enter();
  let listener: RawListener;
  try {
    listener = adapter.listen(options, guard);
  } finally {
    guard.leave();
  }
  return {
    address: () => listener.address(),
    close(done: () => void): void {
      let inside = true;
      listener.close(() => {
        if (inside) queueMicrotask(done);
        else done();
      });
      inside = false;
    },
    ref: () => listener.ref(),
    unref: () => listener.unref(),
  };
}
