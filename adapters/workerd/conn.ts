// One outgoing connection over `cloudflare:sockets`: the contract's RawConn over a Web
// Streams socket (a reader pumped while the core reads, a writer fed in order).
import type { ConnSink, InetAddress, RawAddress, RawConn, TcpConnectOptions, WriteDone } from "../../src/contract.ts";
import { deliver } from "../_shared/deliver.ts";
import type { CfConnect, CfSocket } from "./_sockets.ts";
import { workerdError } from "./errors.ts";
import { WriteQueue } from "./_write_queue.ts";

/** A connection opened by `connect()` of `cloudflare:sockets`. */
export class WorkerdRawConn implements RawConn {
  #sink: ConnSink;
  #target: TcpConnectOptions;
  #socket: CfSocket | undefined;
  #reader: ReadableStreamDefaultReader<Uint8Array> | undefined;
  #writes: WriteQueue | undefined;
  #connected = false;
  #reading = false;
  #pumping = false;
  #eof = false;
  /** close() was called or the connection failed: nothing but onClose follows. */
  #closing = false;

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
        this.#writes = new WriteQueue(socket.writable.getWriter(), (err) => this.#fail(workerdError(err, "write")));
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
    // The core writes only once connected; each chunk is accepted once workerd took it
    // (see _write_queue.ts).
    this.#writes!.write(chunks, done);
  }

  shutdown(done: (err?: Error | null) => void): void {
    this.#writes!.shutdown(done, (err) => workerdError(err, "shutdown"));
  }

  close(): void {
    if (this.#closing) return;
    this.#closing = true;
    // Chunks not yet handed to workerd are never sent: ECANCELED, as libuv's write requests.
    this.#writes?.cancel();
    const socket = this.#socket;
    const closed = socket ? socket.close().catch(() => {}) : Promise.resolve();
    try {
      this.#reader?.releaseLock();
    } catch { /* a read is pending: socket.close() ends it */ }
    // workerd's close() resolves once the written bytes are out, which a peer that does not
    // read delays for ever. As a kernel does for a closed socket, workerd sends them on its
    // own: the handle is closed for the core at once then, as Node's is.
    const flushing = (this.#writes?.inFlight ?? 0) > 0;
    (flushing ? Promise.resolve() : closed).then(() => deliver(() => this.#sink.onClose()));
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
