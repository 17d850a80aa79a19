// One outgoing connection over `cloudflare:sockets`: the contract's RawConn over a Web
// Streams socket (a reader pumped while the core reads, a writer fed in order).
import type { ConnSink, InetAddress, RawAddress, RawConn, TcpConnectOptions, WriteDone } from "../../src/contract.ts";
import { callDone, deliver } from "../_shared/deliver.ts";
import type { CfConnect, CfSocket } from "./_sockets.ts";
import { workerdError } from "./errors.ts";

/** A connection opened by `connect()` of `cloudflare:sockets`. */
export class WorkerdRawConn implements RawConn {
  #sink: ConnSink;
  #target: TcpConnectOptions;
  #socket: CfSocket | undefined;
  #reader: ReadableStreamDefaultReader<Uint8Array> | undefined;
  #writer: WritableStreamDefaultWriter<Uint8Array> | undefined;
  #connected = false;
  #reading = false;
  #pumping = false;
  #eof = false;
  /** close() was called or the connection failed: nothing but onClose follows. */
  #closing = false;
  #writes: Promise<void> = Promise.resolve();

  constructor(target: TcpConnectOptions, sink: ConnSink) {
    this.#target = target;
    this.#sink = sink;
  }

  /** Start connecting with `connect`; `onConnect`, or `onError` then `onClose`, follow. */
  start(connect: Promise<CfConnect>): void {
    const { host, port, family } = this.#target;
    connect.then((cfConnect) => {
      if (this.#closing) return;
      // allowHalfOpen: the peer's FIN ends only the readable side; the core decides when we
      // send ours (Node's allowHalfOpen policy lives in the core).
      const socket = cfConnect({ hostname: family === 6 ? `[${host}]` : host, port }, {
        secureTransport: "off",
        allowHalfOpen: true,
      });
      this.#socket = socket;
      return socket.opened.then(() => {
        if (this.#closing) return;
        this.#reader = socket.readable.getReader();
        this.#writer = socket.writable.getWriter();
        this.#connected = true;
        deliver(() => this.#sink.onConnect());
        if (this.#reading) this.#pump();
      });
    }).catch((err) => this.#fail(workerdError(err, "connect", host, port)));
  }

  readStart(): void {
    this.#reading = true;
    if (this.#connected) this.#pump();
  }

  readStop(): void {
    this.#reading = false;
  }

  async #pump(): Promise<void> {
    if (this.#pumping || this.#eof || this.#closing) return;
    this.#pumping = true;
    try {
      while (this.#reading && !this.#closing) {
        const { done, value } = await this.#reader!.read();
        if (this.#closing) return;
        if (done) {
          this.#eof = true;
          deliver(() => this.#sink.onEnd());
          return;
        }
        // A chunk read from the stream is ours: no other reference is kept.
        if (value.byteLength > 0) deliver(() => this.#sink.onData(value));
      }
    } catch (err) {
      if (!this.#closing) this.#fail(workerdError(err, "read"));
    } finally {
      this.#pumping = false;
    }
  }

  write(chunks: Uint8Array[], done: WriteDone): void {
    // Each chunk counts as accepted once the writer's write() resolved (workerd took it).
    this.#writes = this.#writes.then(async () => {
      for (const chunk of chunks) {
        await this.#writer!.write(chunk);
        callDone(done, undefined, 1);
      }
    }).then(
      () => {},
      (err) => callDone(done, workerdError(err, "write")),
    );
  }

  shutdown(done: (err?: Error | null) => void): void {
    this.#writes = this.#writes.then(() => this.#writer!.close()).then(
      () => callDone(done, undefined),
      (err) => callDone(done, workerdError(err, "shutdown")),
    );
  }

  close(): void {
    if (this.#closing) return;
    this.#closing = true;
    const socket = this.#socket;
    const closed = socket ? socket.close().catch(() => {}) : Promise.resolve();
    try {
      this.#reader?.releaseLock();
    } catch { /* a read is pending: socket.close() ends it */ }
    closed.then(() => deliver(() => this.#sink.onClose()));
  }

  /** workerd cannot send RST (capabilities.reset is false): the core never calls this. */
  reset(): void {
    this.close();
  }

  // cloudflare:sockets has no socket options: capabilities.noDelay/keepAlive are false.
  setNoDelay(_enable: boolean): void {}
  setKeepAlive(_enable: boolean, _initialDelayMs: number): void {}
  // A Worker's pending I/O is tied to its request, not to a process: nothing to ref.
  ref(): void {}
  unref(): void {}

  /** cloudflare:sockets does not tell the local end. */
  localAddress(): RawAddress | undefined {
    return undefined;
  }

  /** The address connected to (the core resolved it: it is an IP). */
  remoteAddress(): InetAddress | undefined {
    if (!this.#connected) return undefined;
    const { host, port, family } = this.#target;
    return { address: host, port, family: family === 6 ? "IPv6" : "IPv4" };
  }

  #fail(err: Error): void {
    if (this.#closing) return;
    deliver(() => this.#sink.onError(err));
    this.close();
  }
}
