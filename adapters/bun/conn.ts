// A Bun socket seen through the RawConn contract. Bun pushes reads through handlers; the
// socket runs with allowHalfOpen. Reads go through HeldReads (_read.ts: what arrives while
// the core is not reading waits there), writes through WriteQueue (_write.ts): both are
// base classes, so a connection is one object. Bun runs some handlers inside
// the calls made for the core (`close` inside `end()`), so sink calls may come inside a
// core call: the root class, Gate (_gate.ts), defers those itself, as the core's guard
// would (capability `reentrySafe`).
import { setImmediate } from "node:timers";
import type { ConnectOptions, ConnSink, RawAddress, RawConn, WriteDone } from "../../src/contract.ts";
import { bunApi, type BunSocket, type BunSocketHandlers } from "./_bun_types.ts";
import { bunConnectOptions, connectEndpoints } from "./_connect.ts";
import { inetAddress, rethrow } from "./_util.ts";
import { CLOSE, DONE, WRITTEN } from "./_gate.ts";
import { DATA, END, HeldReads } from "./_read.ts";
import { brokenPipeError, canceledError, closeError, connectError, nodeCodeOf, writeError } from "./errors.ts";

import {
  CLOSE_SENT,
  CLOSING,
  CONNECT,
  ERROR,
  GONE,
  HUNG_UP,
  NODELAY_ON,
  NODELAY_WANTED,
  RESET,
  SETTLED,
  SHUTDOWN_ASKED,
  UNREF_EARLY,
} from "./_conn_flags.ts";

type Done = WriteDone;

/** The handler of `Bun.connect`'s promise: its failures come through `connectError`. */
const ignore = () => {};

/** Wraps one Bun socket, outgoing (connecting) or accepted. */
export class BunRawConn extends HeldReads implements RawConn {
  #socket: BunSocket<BunRawConn> | null = null;
  #sink: ConnSink | null;
  /** A failure Bun reported while the core neither read nor wrote (see #onClose), as Bun gave it. */
  #heldFailure: Error | null = null;
  /** Connecting: the core's options (the endpoints a connect error names). */
  #connecting: ConnectOptions | null = null;
  /** The flags below, one number (every field costs each connection). */
  #bits = NODELAY_ON;
  /** The addresses, once known (set at once for Unix sockets: `{ path }`). */
  #local: RawAddress | undefined;
  #remote: RawAddress | undefined;

  private constructor(sink: ConnSink | null) {
    super();
    this.#sink = sink;
  }

  #is(flag: number): boolean {
    return (this.#bits & flag) !== 0;
  }

  #set(flag: number, on: boolean): void {
    this.#bits = on ? this.#bits | flag : this.#bits & ~flag;
  }

  /** Start an outgoing connection; `onConnect`, or `onError` then `onClose`, follow. */
  static connect(options: ConnectOptions, sink: ConnSink): BunRawConn {
    const conn = new BunRawConn(sink);
    // The gate inline (no closure per connection): enter, the call, leave.
    conn.enter();
    try {
      conn.#connect(options);
    } finally {
      conn.leave();
    }
    return conn;
  }

  /**
   * Wrap a socket `Bun.listen` accepted (not read until readStart); `settle()` once the
   * core's onConnection returned. `path`: the listener's.
   */
  static accept(socket: BunSocket<BunRawConn>, path: string | null): BunRawConn {
    const conn = new BunRawConn(null);
    socket.data = conn;
    conn.#socket = socket;
    if (path !== null) {
      conn.#local = { path };
      conn.#remote = { path: "" };
      conn.#set(NODELAY_ON, false); // no TCP_NODELAY on a Unix socket: nothing to apply
    }
    return conn;
  }

  /**
   * Bun's `open` handler is over (the core's onConnect or onConnection ran inside it):
   * the socket gets Node's TCP_NODELAY default unless the core changed it, and is paused
   * unless the core reads. Bun delivers no data inside its `open` handler, so pausing
   * only now (not when it opened, then resuming for the core's readStart) holds the same
   * bytes, without the two calls for a core that reads at once.
   */
  settle(): void {
    this.#set(SETTLED, true);
    if (this.#is(CLOSING)) return;
    this.#applyNoDelay();
    this.holdUntilRead(); // a socket the core does not read yet: libuv has not read
  }

  /** Bun's handlers for every socket of the adapter; `socket.data` is the connection. */
  static readonly handlers: BunSocketHandlers<BunRawConn> = {
    open: (socket) => socket.data.#onOpen(socket),
    data: (socket, chunk) => socket.data.received(chunk),
    end: (socket) => socket.data.peerEnd(),
    drain: (socket) => socket.data.#onDrain(socket),
    close: (socket, error) => socket.data.#onClose(error),
    connectError: (socket, error) => socket.data.#onConnectError(error),
  };

  #connect(options: ConnectOptions): void {
    if ("path" in options) {
      this.#local = { path: "" };
      this.#remote = { path: options.path };
      this.#set(NODELAY_ON, false); // no TCP_NODELAY on a Unix socket: nothing to apply
    }
    this.#connecting = options;
    let pending: Promise<unknown>;
    try {
      pending = bunApi().connect(bunConnectOptions(options, BunRawConn.handlers, this as BunRawConn));
    } catch (err) {
      // Bun's own argument checks (the core validates first, so a bug if ever seen)
      this.#onConnectError(err);
      return;
    }
    pending.catch(ignore); // reported through connectError
  }

  #onOpen(socket: BunSocket<BunRawConn>): void {
    this.#socket = socket;
    this.#connecting = null;
    if (this.#is(CLOSING)) {
      // close() or reset() came while connecting
      if (this.#is(RESET)) socket.terminate();
      else socket.end();
      return;
    }
    if (this.#is(UNREF_EARLY)) socket.unref();
    this.emit(CONNECT);
    this.settle();
    if (this.#is(CLOSING)) return;
    if (this.writesWaiting) this.flushWrites(socket);
  }

  #onConnectError(err: unknown): void {
    this.#set(GONE, true);
    if (this.#is(CLOSING)) return; // close() during connect: its onClose is on the way
    const options = this.#connecting;
    this.#connecting = null;
    if (this.#isUnix() && nodeCodeOf(err) === "ECONNRESET") {
      // A Unix connect(2) completes at once (libuv reports success); Bun polls for it and,
      // when the server accepted and closed in between, calls that a reset. For Node the
      // connection opened and the peer hung up: 'connect', then 'end'.
      this.emit(CONNECT);
      if (!this.#is(CLOSING)) this.#peerHungUp();
      return;
    }
    const { target, bindTo } = options !== null ? connectEndpoints(options) : { target: {}, bindTo: undefined };
    this.#fail(connectError(err, target, bindTo));
  }

  #onDrain(socket: BunSocket<BunRawConn>): void {
    if (!this.#is(CLOSING)) this.drainWrites(socket);
  }

  #onClose(error: Error | undefined): void {
    this.#set(GONE, true);
    if (this.#is(CLOSING)) return;
    if (error !== undefined) {
      // Bun reports a peer's reset at once; libuv learns of it only on the next write or
      // read. A read finds it while the core reads (and the peer has not ended): `read
      // ECONNRESET`. Else a pending write finds it: that write fails with it, `write
      // ECONNRESET`, as Node's does. With neither, it is held for whichever comes first.
      if (this.reading && !this.peerEnded) this.#fail(closeError(error));
      else if (this.writesPending) {
        this.failFirstWrite((syscall) => this.#writeFailure(error, syscall));
        this.#finishClose();
      } else this.#heldFailure = error;
      return;
    }
    if (this.#is(SHUTDOWN_ASKED) && !this.writesWaiting) this.cleanClose(); // our FIN went out
    else this.#peerHungUp();
  }

  /**
   * Bun closed a socket the peer closed both ways while ours was still open for writing
   * (a Unix socket: Bun takes the hang-up for a close; TCP keeps it open with
   * allowHalfOpen). Node's handle stays open: 'end' comes, then the write libuv is working
   * on (or the next one) fails with `write EPIPE`, and a shutdown still succeeds
   * (shutdown(2) is local); the core closes it when it wants.
   */
  #peerHungUp(): void {
    this.#set(HUNG_UP, true);
    this.peerEnd();
    if (this.writesPending) {
      this.failFirstWrite((syscall) => brokenPipeError(syscall));
      this.#finishClose();
    }
  }

  /**
   * onClose after a clean close, one macrotask after onEnd. Bun reports the last FIN and
   * the handle's close in one callback, where libuv's handle stays open until Node's
   * socket, having emitted 'end', closes it: the core gets the same turn to emit 'end'
   * on a live socket (or to call close() itself, which sends the one onClose instead).
   */
  protected override closeSoon(): void {
    setTimeout(() => {
      if (!this.#is(CLOSING)) this.#finishClose();
    }, 0);
  }

  /** The held failure reaches the core: as the write's `done` (`write ECONNRESET`), else the read's; then onClose. */
  #failHeld(done: Done | null): void {
    const error = this.#heldFailure!;
    this.#heldFailure = null;
    if (done !== null) {
      this.emit(DONE, done, this.#writeFailure(error, "write"));
      this.#finishClose();
    } else {
      this.#fail(closeError(error));
    }
  }

  /**
   * What a write finds after Bun reported `error`: the error itself (`write ECONNRESET`),
   * but on a Unix socket always EPIPE, as sendmsg(2) on a Unix socket whose peer is gone
   * says, whatever the reset left for a read.
   */
  #writeFailure(error: Error, syscall: string): Error {
    return this.#isUnix() ? brokenPipeError(syscall) : writeError(error, syscall);
  }

  /** A failure: onError, then the handle is closed; the core's close() is a no-op. */
  #fail(err: Error): void {
    this.emit(ERROR, err);
    this.#finishClose();
  }

  /** Everything pending is cancelled and one onClose follows. */
  #finishClose(later = false): void {
    this.#set(CLOSING, true);
    this.dropReads();
    this.failWrites();
    if (later) setImmediate(() => this.emit(CLOSE));
    else this.emit(CLOSE);
  }

  /** Make one sink call; a user's listener that throws is an uncaught error, as in Node. */
  /** Make one sink call (the gate decides when: _gate.ts). */
  protected override dispatch(kind: number, a: unknown, b: unknown): void {
    switch (kind) {
      case DATA:
        this.#sink!.onData(a as Uint8Array);
        return;
      case DONE:
        (a as WriteDone)(b as Error | undefined, 0);
        return;
      case WRITTEN:
        (a as WriteDone)(undefined, b as number);
        return;
      case CONNECT:
        this.#sink!.onConnect();
        return;
      case END:
        this.#sink!.onEnd();
        return;
      case ERROR:
        this.#sink?.onError(a as Error);
        return;
      case CLOSE:
        if (this.#is(CLOSE_SENT)) return;
        this.#set(CLOSE_SENT, true);
        this.#sink?.onClose();
        return;
    }
  }

  protected override dataNow(piece: Uint8Array): void {
    try {
      this.#sink!.onData(piece);
    } catch (err) {
      rethrow(err);
    }
  }

  protected override get closing(): boolean {
    return this.#is(CLOSING);
  }

  protected override get pausable(): BunSocket<BunRawConn> | null {
    return this.#is(GONE) ? null : this.#socket;
  }

  protected override get failureHeld(): boolean {
    return this.#heldFailure !== null;
  }

  /** readStart() found nothing before the held failure (see #onClose): the read's error. */
  protected override failRead(): void {
    this.#failHeld(null);
  }

  /** The core's callbacks for an accepted connection, from `onConnection`'s `attach`. */
  setSink(sink: ConnSink): void {
    this.#sink = sink;
  }

  write(chunks: Uint8Array[], done: Done): void {
    this.beginWrite(done);
    try {
      this.#write(chunks, done);
    } finally {
      this.endWrite(done);
    }
  }

  #write(chunks: Uint8Array[], done: Done): void {
    const socket = this.#socket;
    if (this.#is(NODELAY_WANTED) !== this.#is(NODELAY_ON)) this.#applyNoDelay();
    if (this.#is(CLOSING)) this.emit(DONE, done, canceledError("write"));
    else if (this.#heldFailure !== null) this.#failHeld(done);
    else if (this.#is(HUNG_UP)) this.emit(DONE, done, brokenPipeError("write"));
    else if (socket === null || chunks.length !== 1) this.queueWrite(socket, chunks, done);
    else this.writeOne(socket, chunks[0], done);
  }

  shutdown(done: Done): void {
    this.enter();
    try {
      this.#shutdown(done);
    } finally {
      this.leave();
    }
  }

  #shutdown(done: Done): void {
    const socket = this.#socket;
    if (this.#is(NODELAY_WANTED) !== this.#is(NODELAY_ON)) this.#applyNoDelay();
    this.#set(SHUTDOWN_ASKED, true);
    if (this.#is(CLOSING)) this.emit(DONE, done, canceledError("shutdown"));
    // Bun's socket is gone; libuv's shutdown(2) would fail on a reset socket, but Node's
    // afterShutdown ignores its status: the FIN "went out" and the failure stays for a
    // read or write to find.
    else if (this.#heldFailure !== null || this.#is(HUNG_UP)) this.emit(DONE, done);
    else if (socket === null) this.queueWrite(null, null, done);
    else this.writeOne(socket, null, done);
  }

  close(): void {
    this.coreClosed();
    if (this.#is(CLOSING)) return;
    this.#set(RESET, false);
    this.#gatedShut();
  }

  reset(): void {
    this.coreClosed();
    if (this.#is(CLOSING)) return;
    this.#set(RESET, true);
    this.#gatedShut();
  }

  /** #shut() as one core call whose sink calls wait (see _gate.ts); no closure per call. */
  #gatedShut(): void {
    this.enter();
    try {
      this.#shut();
    } finally {
      this.leave();
    }
  }

  /** close() and reset(): close the socket, one onClose. */
  #shut(): void {
    // Bytes held unread are, for libuv, still in the kernel: closing then sends RST.
    const unread = this.holdsBytes;
    // libuv reports the close in its close phase, after the loop's poll for I/O; Bun runs
    // an immediate made now before its next poll, so onClose waits one: what the peer
    // sees of this close (its 'end') comes first, as on Node.
    this.#finishClose(true);
    const socket = this.#socket;
    if (socket !== null && !this.#is(GONE)) {
      if (this.#is(RESET) || unread) socket.terminate();
      else socket.end();
    }
    // else still connecting: #onOpen closes it when it opens
  }

  // The core holds setNoDelay/setKeepAlive until connected; only ref/unref come earlier.
  setNoDelay(enable: boolean): void {
    if (this.#isUnix()) return;
    this.#set(NODELAY_WANTED, enable);
    if (this.#is(SETTLED)) this.#applyNoDelay();
  }

  /** Give the socket the TCP_NODELAY the core wants, if it has not got it (TCP only). */
  #applyNoDelay(): void {
    const wanted = this.#is(NODELAY_WANTED);
    const socket = this.#socket;
    if (wanted === this.#is(NODELAY_ON) || socket === null || this.#is(GONE)) return;
    this.#set(NODELAY_ON, wanted);
    socket.setNoDelay(wanted);
  }

  setKeepAlive(enable: boolean, initialDelayMs: number): void {
    if (this.#isUnix()) return;
    // Bun takes milliseconds (TCP_KEEPIDLE = delay / 1000 s, as Node) but throws for
    // anything not an integer in [0, 2 ** 31).
    const delay = Math.min(Math.max(Math.trunc(initialDelayMs) || 0, 0), 0x7fffffff);
    const socket = this.#socket;
    if (socket !== null && !this.#is(GONE)) socket.setKeepAlive(enable, delay);
  }

  ref(): void {
    const socket = this.#socket;
    if (socket === null) this.#set(UNREF_EARLY, false);
    else if (!this.#is(GONE)) socket.ref();
  }

  unref(): void {
    const socket = this.#socket;
    if (socket === null) this.#set(UNREF_EARLY, true);
    else if (!this.#is(GONE)) socket.unref();
  }

  #isUnix(): boolean {
    const remote = this.#remote;
    return remote !== undefined && "path" in remote;
  }

  localAddress(): RawAddress | undefined {
    const socket = this.#socket;
    if (this.#local === undefined && socket !== null && !this.#is(GONE)) {
      this.#local = inetAddress(socket.localAddress, socket.localPort);
    }
    return this.#local;
  }

  remoteAddress(): RawAddress | undefined {
    const socket = this.#socket;
    if (this.#remote === undefined && socket !== null && !this.#is(GONE)) {
      this.#remote = inetAddress(socket.remoteAddress, socket.remotePort);
    }
    return this.#remote;
  }
}
