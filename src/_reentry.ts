// The one owner of the contract's re-entrancy rule: the core never runs a sink call (or a
// write's `done`) while one of its own calls into the adapter is on the stack. Adapters
// may call a sink, or `done`, synchronously inside `connect()`, `listen()` or any RawConn
// method; the guard sits between the core and the adapter and defers such a call to a
// microtask. Once one call waits, every later one queues behind it, so the order the
// adapter made them in is kept. A call the adapter makes from its runtime's own callback
// (nothing of the core's on the stack, nothing waiting) runs at once: no cost on the path
// bytes take.
//
// One exception, libuv's try_write: a write's `done` called synchronously inside that
// write's own `RawConn.write` means the runtime took those chunks at once. The guard holds
// that report until the adapter's `write` has returned, then hands it to the core still
// inside the core's `write` call (unless a call made before it still waits: it then
// queues behind that), so the core can complete the Writable's write synchronously, as Node's
// `afterWriteDispatched` does when `req.async` is false. The adapter is never re-entered
// from inside its own `write`, and every other call made there (onData, onError, onClose, the
// `done` of another write) waits as before.
//
// One guard object per connection: it is the RawConn the core holds and the ConnSink the
// adapter calls. A waiting call is three slots of one array (kind, two arguments), not a
// closure; the kinds, and how a kept call is made later, are in _reentry_calls.ts. After
// the core's close() or reset(), only `done`s and the one onClose reach it.
//
// Accepting: an adapter that passes `onConnection` its `attach` (its connection takes calls
// at once, as node:net's accepted socket does) gets the guard as its sink first, and the
// core's calls made inside `onConnection` (the Socket's options, its first readStart, the
// user's writes and end() in 'connection') reach it right then: a write the kernel takes
// completes inside 'connection', as on Node. Without `attach`, until `onConnection` has
// returned the sink the adapter has nothing to call, so those calls wait and reach the
// adapter at the next microtask, in order; only the address getters pass through at once.
//
// Listeners have their guard in _reentry_listener.ts.
import type { ConnectOptions, ConnSink, RawAddress, RawConn, RuntimeAdapter, WriteDone } from "./contract.ts";
import {
  callConn,
  callSink,
  CLOSE,
  CLOSE_CALL,
  CONNECT,
  DATA,
  DONE,
  type Done,
  END,
  ERROR,
  KEEP_ALIVE,
  keptAfterClose,
  NO_DELAY,
  READ_START,
  READ_STOP,
  REF,
  RESET,
  SHUTDOWN,
  UNREF,
  WRITE,
  WRITTEN,
} from "./_reentry_calls.ts";

/** Throw from a fresh microtask: a user's listener threw, an uncaught error as in Node. */
export function rethrow(err: unknown): void {
  queueMicrotask(() => {
    throw err;
  });
}

/** A connection as the core holds it: the adapter's RawConn behind the guard. */
export class GuardedConn implements RawConn, ConnSink {
  #conn: RawConn = null!;
  #sink: ConnSink | null;
  /** Core calls into the adapter on the stack. */
  #depth = 0;
  /** Sink calls waiting, three slots each from `#head` on; null when none wait. */
  #waiting: unknown[] | null = null;
  #head = 0;
  #flushQueued = false;
  /** Core calls made before the adapter got its sink (accepting); null once released. */
  #held: unknown[] | null = null;
  /** The core called close() or reset(). */
  #closed = false;
  #closeSent = false;
  /** The `done` the adapter got from the write whose `RawConn.write` is on the stack. */
  #syncDone: WriteDone | null = null;
  /** What that write's adapter reported inside its call: called, chunks, error. */
  #syncCalled = false;
  #syncAccepted = 0;
  #syncError: Error | null | undefined = undefined;

  private constructor(sink: ConnSink | null) {
    this.#sink = sink;
  }

  /** `adapter.connect` behind a guard: what the adapter calls inside it waits. */
  static connect(adapter: RuntimeAdapter, options: ConnectOptions, sink: ConnSink): GuardedConn {
    const guard = new GuardedConn(sink);
    guard.#depth++;
    try {
      guard.#conn = adapter.connect(options, guard);
    } finally {
      guard.#leave();
    }
    return guard;
  }

  /**
   * An accepted `conn`: `take` gets the guard (and attaches the core's sink) at once; the
   * guard is the ConnSink `onConnection` returns to the adapter. With the adapter's
   * `attach` (see `ListenerSink.onConnection`), the adapter gets the guard first and the
   * core's calls inside `take` reach it at once; without, they are held until it returned.
   */
  static accept(conn: RawConn, take: (conn: GuardedConn) => void, attach?: (sink: ConnSink) => void): ConnSink {
    const guard = new GuardedConn(null);
    guard.#conn = conn;
    let held: unknown[] | null = null;
    if (attach !== undefined) attach(guard);
    else held = guard.#held = [];
    try {
      take(guard);
    } catch (err) {
      // A 'connection' listener threw: uncaught, as in Node; the adapter still gets its sink.
      rethrow(err);
    } finally {
      if (held === null || held.length === 0) guard.#held = null;
      else queueMicrotask(() => guard.#release());
    }
    return guard;
  }

  /** The core's sink for an accepted connection. */
  attach(sink: ConnSink): void {
    this.#sink = sink;
  }

  /** As an accepted connection (`Accepted`, src/_direct.ts): the guard is the conn the core holds. */
  get conn(): RawConn {
    return this;
  }

  // ---- the core's calls, into the adapter

  readStart(): void {
    if (this.#held !== null) this.#hold(READ_START);
    else this.#call(READ_START, undefined, undefined);
  }

  readStop(): void {
    if (this.#held !== null) this.#hold(READ_STOP);
    else this.#call(READ_STOP, undefined, undefined);
  }

  write(chunks: Uint8Array[], done: WriteDone): void {
    if (this.#held !== null) this.#hold(WRITE, chunks, done);
    else this.#write(chunks, done);
  }

  shutdown(done: Done): void {
    if (this.#held !== null) this.#hold(SHUTDOWN, done);
    else this.#call(SHUTDOWN, done, undefined);
  }

  close(): void {
    this.#closing();
    if (this.#held !== null) this.#hold(CLOSE_CALL);
    else this.#call(CLOSE_CALL, undefined, undefined);
  }

  reset(): void {
    this.#closing();
    if (this.#held !== null) this.#hold(RESET);
    else this.#call(RESET, undefined, undefined);
  }

  setNoDelay(enable: boolean): void {
    if (this.#held !== null) this.#hold(NO_DELAY, enable);
    else this.#call(NO_DELAY, enable, undefined);
  }

  setKeepAlive(enable: boolean, initialDelayMs: number): void {
    if (this.#held !== null) this.#hold(KEEP_ALIVE, enable, initialDelayMs);
    else this.#call(KEEP_ALIVE, enable, initialDelayMs);
  }

  ref(): void {
    if (this.#held !== null) this.#hold(REF);
    else this.#call(REF, undefined, undefined);
  }

  unref(): void {
    if (this.#held !== null) this.#hold(UNREF);
    else this.#call(UNREF, undefined, undefined);
  }

  localAddress(): RawAddress | undefined {
    return this.#conn.localAddress();
  }

  remoteAddress(): RawAddress | undefined {
    return this.#conn.remoteAddress();
  }

  /** One core call into the adapter; sink calls made inside it wait. */
  #call(kind: number, a: unknown, b: unknown): void {
    const conn = this.#conn;
    this.#depth++;
    try {
      if (kind === SHUTDOWN) conn.shutdown((err) => this.#done(a as Done, err));
      else callConn(conn, kind, a, b);
    } finally {
      this.#leave();
    }
  }

  /**
   * The core's write: what the adapter reports inside its `write` call (the runtime took
   * the chunks at once) reaches `done` right after that call returned, synchronously.
   */
  #write(chunks: Uint8Array[], done: WriteDone): void {
    const report: WriteDone = (err, accepted) => this.#written(report, done, err, accepted);
    // Kept for a write inside a write (none today: the core runs nothing inside an adapter call).
    const outer = this.#syncDone;
    const outerCalled = this.#syncCalled;
    const outerAccepted = this.#syncAccepted;
    const outerError = this.#syncError;
    this.#syncDone = report;
    this.#syncCalled = false;
    this.#syncAccepted = 0;
    this.#syncError = undefined;
    let called = false;
    let accepted = 0;
    let error: Error | null | undefined;
    this.#depth++;
    try {
      this.#conn.write(chunks, report);
    } finally {
      called = this.#syncCalled;
      accepted = this.#syncAccepted;
      error = this.#syncError;
      this.#syncDone = outer;
      this.#syncCalled = outerCalled;
      this.#syncAccepted = outerAccepted;
      this.#syncError = outerError;
      this.#leave();
    }
    if (!called) return;
    // What waits now was made after this report (see #written): it goes first.
    if (this.#depth === 0) done(error, accepted);
    else this.#wait(WRITTEN, done, [error, accepted]);
  }

  #hold(kind: number, a?: unknown, b?: unknown): void {
    this.#held!.push(kind, a, b);
  }

  /** Accepting is over (the adapter has its sink): the held calls reach it, in order. */
  #release(): void {
    const held = this.#held!;
    for (let i = 0; i < held.length; i += 3) {
      try {
        const kind = held[i] as number;
        if (kind === WRITE) this.#write(held[i + 1] as Uint8Array[], held[i + 2] as WriteDone);
        else this.#call(kind, held[i + 1], held[i + 2]);
      } catch (err) {
        rethrow(err);
      }
    }
    this.#held = null;
  }

  #closing(): void {
    if (this.#closed) return;
    this.#closed = true;
    // What waits for the core, other than `done`s and onClose, is dropped.
    const waiting = this.#waiting;
    if (waiting === null) return;
    this.#waiting = keptAfterClose(waiting, this.#head);
    this.#head = 0;
  }

  #leave(): void {
    if (--this.#depth === 0 && this.#waiting !== null && !this.#flushQueued) {
      this.#flushQueued = true;
      queueMicrotask(() => this.#flushWaiting());
    }
  }

  // ---- the adapter's calls, into the core

  onConnect(): void {
    if (this.#closed) return;
    if (this.#depth === 0 && this.#waiting === null) this.#sink!.onConnect();
    else this.#wait(CONNECT, undefined, undefined);
  }

  onData(chunk: Uint8Array): void {
    if (this.#closed) return;
    if (this.#depth === 0 && this.#waiting === null) this.#sink!.onData(chunk);
    else this.#wait(DATA, chunk, undefined);
  }

  onEnd(): void {
    if (this.#closed) return;
    if (this.#depth === 0 && this.#waiting === null) this.#sink!.onEnd();
    else this.#wait(END, undefined, undefined);
  }

  onError(err: Error): void {
    if (this.#closed) return;
    if (this.#depth === 0 && this.#waiting === null) this.#sink!.onError(err);
    else this.#wait(ERROR, err, undefined);
  }

  onClose(): void {
    if (this.#closeSent) return;
    this.#closeSent = true;
    if (this.#depth === 0 && this.#waiting === null) this.#sink!.onClose();
    else this.#wait(CLOSE, undefined, undefined);
  }

  #done(done: Done, err: Error | null | undefined): void {
    if (this.#depth === 0 && this.#waiting === null) done(err);
    else this.#wait(DONE, done, err);
  }

  #written(report: WriteDone, done: WriteDone, err: Error | null | undefined, accepted: number): void {
    if (report === this.#syncDone && this.#waiting === null) {
      // Inside its own write's call, nothing made before it waiting: held until that call
      // returned (see #write). What the adapter calls after it waits, so stays behind it.
      this.#syncCalled = true;
      this.#syncAccepted += accepted;
      if (err) this.#syncError = err;
      return;
    }
    if (this.#depth === 0 && this.#waiting === null) done(err, accepted);
    else this.#wait(WRITTEN, done, [err, accepted]);
  }

  #wait(kind: number, a: unknown, b: unknown): void {
    (this.#waiting ??= []).push(kind, a, b);
    if (this.#depth === 0 && !this.#flushQueued) {
      this.#flushQueued = true;
      queueMicrotask(() => this.#flushWaiting());
    }
  }

  #flushWaiting(): void {
    this.#flushQueued = false;
    for (;;) {
      const waiting = this.#waiting;
      if (waiting === null || this.#depth !== 0) return;
      const i = this.#head;
      if (i >= waiting.length) {
        this.#waiting = null;
        this.#head = 0;
        return;
      }
      this.#head = i + 3;
      try {
        callSink(this.#sink!, this.#closed, waiting[i] as number, waiting[i + 1], waiting[i + 2]);
      } catch (err) {
        rethrow(err);
      }
    }
  }
}
