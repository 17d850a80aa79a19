// A Bun socket seen through the RawConn contract. Bun pushes reads through handlers; the
// socket runs with allowHalfOpen and is paused (`socket.pause()`: no polling for readable)
// whenever the core is not reading, so unread bytes stay in the kernel. Every sink call
// goes through a SinkGate, which defers those made inside a core call.
import type { ConnectOptions, ConnSink, RawAddress, RawConn } from "../../src/types.ts";
import { bunApi, type BunConnectOptions, type BunSocket, type BunSocketHandlers } from "./_bun_types.ts";
import { SinkGate } from "./_gate.ts";
import { deliver } from "./_util.ts";
import { WriteQueue } from "./_write.ts";
import { connectError, type Endpoint, fromBunError } from "./errors.ts";

/** Wraps one Bun socket, outgoing (connecting) or accepted. */
export class BunRawConn implements RawConn {
  #socket: BunSocket<BunRawConn> | null = null;
  #sink: ConnSink | null = null;
  /** close()/reset() was called or the connection failed: nothing but onClose follows. */
  #closing = false;
  /** Bun's `close` handler ran (or the connect failed): the socket is gone. */
  #gone = false;
  #closeSent = false;
  #reset = false;
  #reading = false;
  /** Bytes Bun delivered while the core was not reading (pause is not instantaneous). */
  #held: Uint8Array[] = [];
  /** The peer's FIN arrived (onEnd sent, or waiting behind held bytes). */
  #peerEnded = false;
  #endHeld = false;
  /** A clean close waiting behind held bytes. */
  #closeHeld = false;
  #gate = new SinkGate();
  #writes = new WriteQueue((done, err) => this.#gate.emit(() => done(err), true));
  #refed = true;
  #noDelay: boolean | undefined;
  #keepAlive: [boolean, number] | undefined;
  /** Unix: our path (accepted) or the peer's (outgoing); null for TCP. */
  #localPath: string | null = null;
  #remotePath: string | null = null;
  #local: RawAddress | undefined;
  #remote: RawAddress | undefined;

  private constructor(sink: ConnSink | null) {
    this.#sink = sink;
  }

  /** Start an outgoing connection; `onConnect`, or `onError` then `onClose`, follow. */
  static connect(options: ConnectOptions, sink: ConnSink): BunRawConn {
    const conn = new BunRawConn(sink);
    conn.#gate.run(() => conn.#connect(options));
    return conn;
  }

  /** Wrap a socket `Bun.listen` accepted (paused until readStart). `path`: the listener's. */
  static accept(socket: BunSocket<BunRawConn>, path: string | null): BunRawConn {
    const conn = new BunRawConn(null);
    socket.data = conn;
    socket.pause();
    conn.#socket = socket;
    if (path !== null) {
      conn.#localPath = path;
      conn.#remotePath = "";
    }
    return conn;
  }

  /** Bun's handlers for every socket of the adapter; `socket.data` is the connection. */
  static readonly handlers: BunSocketHandlers<BunRawConn> = {
    open: (socket) => socket.data.#onOpen(socket),
    data: (socket, chunk) => socket.data.#onData(chunk),
    end: (socket) => socket.data.#onEnd(),
    drain: (socket) => socket.data.#onDrain(socket),
    close: (socket, error) => socket.data.#onClose(error),
    connectError: (socket, error) => socket.data.#onConnectError(error),
  };

  #connect(options: ConnectOptions): void {
    let target: Endpoint;
    let local: Endpoint | undefined;
    let bunOptions: BunConnectOptions<BunRawConn>;
    const common = { socket: BunRawConn.handlers, data: this as BunRawConn, allowHalfOpen: true };
    if ("path" in options) {
      target = { address: options.path };
      this.#localPath = "";
      this.#remotePath = options.path;
      bunOptions = { ...common, unix: options.path };
    } else {
      target = { address: options.host, port: options.port };
      const { localAddress, localPort } = options;
      if (localAddress !== undefined || localPort !== undefined) local = { address: localAddress, port: localPort };
      bunOptions = {
        ...common,
        hostname: options.host,
        port: options.port,
        ...(localAddress !== undefined ? { localAddress } : {}),
        ...(localPort !== undefined ? { localPort } : {}),
      };
    }
    this.#connectError = (err) => connectError(err, target, local);
    let pending: Promise<unknown>;
    try {
      pending = bunApi().connect(bunOptions);
    } catch (err) {
      // Bun's own argument checks (the core validates first, so a bug if ever seen)
      this.#onConnectError(err);
      return;
    }
    pending.catch(() => {}); // reported through connectError
  }

  #connectError: (err: unknown) => Error = (err) => fromBunError(err, "connect");

  #onOpen(socket: BunSocket<BunRawConn>): void {
    this.#socket = socket;
    if (this.#closing) {
      // close() or reset() came while connecting
      if (this.#reset) socket.terminate();
      else socket.end();
      return;
    }
    if (!this.#reading) socket.pause();
    if (!this.#refed) socket.unref();
    if (this.#noDelay !== undefined) socket.setNoDelay(this.#noDelay);
    if (this.#keepAlive !== undefined) socket.setKeepAlive(...this.#keepAlive);
    this.#gate.emit(() => this.#sink!.onConnect());
    if (!this.#writes.idle) this.#writes.flush(socket);
  }

  #onConnectError(err: unknown): void {
    this.#gone = true;
    if (this.#closing) return; // close() during connect: its onClose is on the way
    this.#fail(this.#connectError(err));
  }

  #onData(chunk: Uint8Array): void {
    if (this.#closing) return;
    // Bun hands each `data` call a fresh buffer (checked on 1.4.5): owned, no copy needed.
    if (this.#reading && this.#held.length === 0) this.#gate.emit(() => this.#sink!.onData(chunk));
    else this.#held.push(chunk);
  }

  #onEnd(): void {
    if (this.#closing || this.#peerEnded) return;
    this.#peerEnded = true;
    if (this.#reading && this.#held.length === 0) this.#gate.emit(() => this.#sink!.onEnd());
    else this.#endHeld = true;
  }

  #onDrain(socket: BunSocket<BunRawConn>): void {
    if (!this.#closing) this.#writes.drain(socket);
  }

  #onClose(error: Error | undefined): void {
    this.#gone = true;
    if (this.#closing) return;
    if (error !== undefined) {
      this.#fail(fromBunError(error, readOrWrite(error)));
      return;
    }
    // A clean close: both sides sent FIN. When our FIN went first Bun skips the `end`
    // handler and only closes; the core still needs its onEnd.
    this.#onEnd();
    if (this.#endHeld) this.#closeHeld = true;
    else this.#closeSoon();
  }

  /**
   * onClose after a clean close, one macrotask after onEnd. Bun reports the last FIN and
   * the handle's close in one callback, where libuv's handle stays open until Node's
   * socket, having emitted 'end', closes it: the core gets the same turn to emit 'end'
   * on a live socket (or to call close() itself, which sends the one onClose instead).
   */
  #closeSoon(): void {
    setTimeout(() => {
      if (!this.#closing) this.#finishClose();
    }, 0);
  }

  /** A failure: onError, then the handle is closed; the core's close() is a no-op. */
  #fail(err: Error): void {
    this.#gate.emit(() => this.#sink?.onError(err));
    this.#finishClose();
  }

  /** Everything pending is cancelled and one onClose follows. */
  #finishClose(): void {
    this.#closing = true;
    this.#reading = false;
    this.#held = [];
    this.#writes.fail();
    this.#gate.emit(() => {
      if (this.#closeSent) return;
      this.#closeSent = true;
      this.#sink?.onClose();
    });
  }

  attach(sink: ConnSink): void {
    this.#sink = sink;
  }

  readStart(): void {
    if (this.#reading || this.#closing) return;
    this.#reading = true;
    if (this.#held.length > 0 || this.#endHeld) this.#gate.emit(() => this.#releaseHeld());
    const socket = this.#socket;
    if (socket === null || this.#gone) return;
    this.#gate.run(() => socket.resume());
  }

  readStop(): void {
    if (!this.#reading) return;
    this.#reading = false;
    const socket = this.#socket;
    if (socket !== null && !this.#gone) this.#gate.run(() => socket.pause());
  }

  /** Deliver what arrived while not reading, as long as the core keeps reading. */
  #releaseHeld(): void {
    const held = this.#held;
    while (this.#reading && held.length > 0 && !this.#closing) {
      const chunk = held.shift()!;
      deliver(() => this.#sink!.onData(chunk));
    }
    if (!this.#reading || held.length > 0 || this.#closing || !this.#endHeld) return;
    this.#endHeld = false;
    deliver(() => this.#sink!.onEnd());
    if (this.#closeHeld) this.#closeSoon();
  }

  write(chunks: Uint8Array[], done: (err?: Error | null) => void): void {
    this.#queue(chunks, done);
  }

  shutdown(done: (err?: Error | null) => void): void {
    this.#queue(null, done);
  }

  #queue(chunks: Uint8Array[] | null, done: (err?: Error | null) => void): void {
    this.#gate.run(() => {
      this.#writes.push(chunks, done);
      if (this.#closing) this.#writes.fail();
      else if (this.#socket !== null) this.#writes.flush(this.#socket);
    });
  }

  close(): void {
    if (this.#closing) return;
    this.#reset = false;
    this.#shut((socket) => socket.end());
  }

  reset(): void {
    if (this.#closing) return;
    this.#reset = true;
    this.#shut((socket) => socket.terminate());
  }

  /** close() and reset(): drop what waits for the core, close the socket, one onClose. */
  #shut(how: (socket: BunSocket<BunRawConn>) => void): void {
    this.#gate.run(() => {
      this.#gate.dropSinkCalls();
      this.#finishClose();
      const socket = this.#socket;
      if (socket !== null && !this.#gone) how(socket);
      // else still connecting: #onOpen closes it when it opens
    });
  }

  setNoDelay(enable: boolean): void {
    if (this.#remotePath !== null) return; // Unix socket
    const socket = this.#socket;
    if (socket === null) this.#noDelay = enable;
    else if (!this.#gone) this.#gate.run(() => socket.setNoDelay(enable));
  }

  setKeepAlive(enable: boolean, initialDelayMs: number): void {
    if (this.#remotePath !== null) return;
    // Bun takes milliseconds (TCP_KEEPIDLE = delay / 1000 s, as Node) but throws for
    // anything not an integer in [0, 2 ** 31).
    const delay = Math.min(Math.max(Math.trunc(initialDelayMs) || 0, 0), 0x7fffffff);
    const socket = this.#socket;
    if (socket === null) this.#keepAlive = [enable, delay];
    else if (!this.#gone) this.#gate.run(() => socket.setKeepAlive(enable, delay));
  }

  ref(): void {
    this.#refed = true;
    const socket = this.#socket;
    if (socket !== null && !this.#gone) this.#gate.run(() => socket.ref());
  }

  unref(): void {
    this.#refed = false;
    const socket = this.#socket;
    if (socket !== null && !this.#gone) this.#gate.run(() => socket.unref());
  }

  localAddress(): RawAddress | undefined {
    if (this.#local === undefined) {
      if (this.#localPath !== null) this.#local = { path: this.#localPath };
      else if (!this.#gone) this.#local = inetAddress(this.#socket?.localAddress, this.#socket?.localPort);
    }
    return this.#local;
  }

  remoteAddress(): RawAddress | undefined {
    if (this.#remote === undefined) {
      if (this.#remotePath !== null) this.#remote = { path: this.#remotePath };
      else if (!this.#gone) this.#remote = inetAddress(this.#socket?.remoteAddress, this.#socket?.remotePort);
    }
    return this.#remote;
  }
}

/**
 * The syscall Node names for an error Bun's `close` handler reports. Bun says `read` for
 * every one, EPIPE included (a failed write that Bun noticed); EPIPE only ever comes from
 * writing, and Node reports it as `write EPIPE`.
 */
function readOrWrite(error: Error): string {
  const { code, syscall } = error as { code?: unknown; syscall?: unknown };
  return code === "EPIPE" || syscall === "write" ? "write" : "read";
}

/** An address as the contract spells it (Bun's is already without brackets). */
function inetAddress(address: string | undefined, port: number | undefined): RawAddress | undefined {
  if (address === undefined || address === "" || port === undefined) return undefined;
  return { address, family: address.includes(":") ? "IPv6" : "IPv4", port };
}
