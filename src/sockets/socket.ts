/**
 * The Sockets API's `Socket` (WinterTC, Cloudflare's `cloudflare:sockets`): a core
 * `net.Socket` seen as a byte `ReadableStream`, a `WritableStream` and promises.
 *
 * Backpressure runs both ways through the core socket: the readable stream pauses it
 * while the stream's queue is full (the core then stops reading at the adapter), and a
 * write's promise settles with the core's write callback, once the runtime accepted the
 * bytes.
 *
 * @module
 */
import type { Buffer } from "node:buffer";
import type { Socket as NetSocket } from "../socket/socket.ts";
import { ERR_INVALID_ARG_TYPE } from "../errors/errors.ts";
import { formatAddress } from "./_address.ts";

/** How the connection is secured. */
export type SecureTransportKind = "off" | "on" | "starttls";

/** Options of `connect()`. */
export interface SocketOptions {
  /**
   * `"off"`: plaintext; `"on"`: TLS from the start; `"starttls"`: plaintext until
   * `startTls()`.
   * @default {"off"}
   */
  secureTransport?: SecureTransportKind;
  /**
   * Keep the writable side open after the peer's FIN (`false`: closing it follows the
   * peer's, as Node's `allowHalfOpen: false`).
   * @default {false}
   */
  allowHalfOpen?: boolean;
  /**
   * Bytes the readable stream queues before the socket stops reading.
   * @default {65536}
   */
  highWaterMark?: number;
  /**
   * An omninet extension, not in the WinterTC API: CA certificates (PEM) that TLS trusts
   * instead of the runtime's default ones, for tests and private CAs.
   * @default {undefined} (the runtime's default CAs)
   */
  ca?: string | string[];
}

/** What `opened` resolves with. */
export interface SocketInfo {
  /** The peer's address, `"ip:port"` (`"[ipv6]:port"`). */
  remoteAddress: string;
  /** Our address, `"ip:port"` (`"[ipv6]:port"`). */
  localAddress: string;
}

/** Options of `startTls()`. */
export interface TlsOptions {
  /**
   * The name the server's certificate must be valid for.
   * @default {the hostname given to connect()}
   */
  expectedServerHostname?: string;
}

/** @internal What a Socket is made of (see `connect.ts`). */
export interface SocketInit {
  /** The core socket, connecting or about to. */
  net: NetSocket;
  secureTransport: SecureTransportKind;
  highWaterMark: number;
  /** Settles once `net` was told to connect (a `startTls()` before the plaintext socket opened). */
  ready: Promise<void> | null;
  /** Makes the TLS socket `startTls()` returns; null unless `secureTransport` is `"starttls"`. */
  startTls: ((options: TlsOptions) => Socket) | null;
}

const kCreate: unique symbol = Symbol("omninet.sockets.create");

/** @internal Make a Socket (the class has no public constructor). */
export function createSocket(init: SocketInit): Socket {
  return new Socket(kCreate, init);
}

interface Deferred<T> {
  promise: Promise<T>;
  resolve(value: T): void;
  reject(err: unknown): void;
  settled: boolean;
}

function deferred<T>(): Deferred<T> {
  const d = { settled: false } as Deferred<T>;
  d.promise = new Promise<T>((resolve, reject) => {
    d.resolve = (v) => {
      d.settled = true;
      resolve(v);
    };
    d.reject = (e) => {
      d.settled = true;
      reject(e);
    };
  });
  // The same error rejects `opened` and `closed`: awaiting either one is enough.
  d.promise.catch(() => {});
  return d;
}

function toBytes(chunk: unknown): Uint8Array {
  if (chunk instanceof Uint8Array) return chunk;
  if (ArrayBuffer.isView(chunk)) return new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.byteLength);
  if (chunk instanceof ArrayBuffer) return new Uint8Array(chunk);
  throw ERR_INVALID_ARG_TYPE("chunk", ["ArrayBuffer", "ArrayBufferView"], chunk);
}

/** A chunk the byte stream may own: transferring a view of a shared buffer would detach the rest. */
function owned(chunk: Buffer): Uint8Array<ArrayBuffer> {
  const buffer = chunk.buffer;
  if (buffer instanceof ArrayBuffer && chunk.byteOffset === 0 && chunk.byteLength === buffer.byteLength) {
    return new Uint8Array(buffer, 0, chunk.byteLength);
  }
  return new Uint8Array(chunk);
}

/**
 * A TCP connection as the Sockets API gives it: `readable`, `writable`, `opened`,
 * `closed`, `close()` and `startTls()`. Made by `connect()`.
 *
 * @example
 * ```ts ignore
 * import { connect } from "@omninet/net/sockets";
 *
 * const socket = connect("example.com:80");
 * const writer = socket.writable.getWriter();
 * await writer.write(new TextEncoder().encode("HEAD / HTTP/1.0\r\n\r\n"));
 * for await (const chunk of socket.readable) console.log(new TextDecoder().decode(chunk));
 * await socket.closed;
 * ```
 */
export class Socket {
  #net: NetSocket;
  #readable: ReadableStream<Uint8Array>;
  #writable: WritableStream<Uint8Array>;
  #readController!: ReadableByteStreamController;
  #writeController!: WritableStreamDefaultController;
  #opened = deferred<SocketInfo>();
  #closed = deferred<void>();
  #secureTransport: SecureTransportKind;
  #startTls: ((options: TlsOptions) => Socket) | null;
  #ready: Promise<void> | null;
  #upgraded = false;
  /** The readable stream got its end (closed, cancelled, errored or handed over). */
  #readDone = false;
  #closing = false;
  #error: Error | null = null;

  /** @internal Use `connect()`. */
  constructor(key: typeof kCreate, init: SocketInit) {
    if (key !== kCreate) throw new TypeError("Illegal constructor: use connect()");
    const net = this.#net = init.net;
    this.#secureTransport = init.secureTransport;
    this.#startTls = init.startTls;
    this.#ready = init.ready;
    this.#readable = new ReadableStream({
      type: "bytes",
      start: (controller) => {
        this.#readController = controller;
      },
      pull: () => {
        if (!this.#readDone) net.resume();
      },
      cancel: () => {
        // Keep reading and drop the bytes, so that the peer's FIN still closes the socket.
        this.#readDone = true;
        net.resume();
      },
    }, { highWaterMark: init.highWaterMark });
    this.#writable = new WritableStream<Uint8Array>({
      start: (controller) => {
        this.#writeController = controller;
      },
      write: async (chunk) => {
        const bytes = toBytes(chunk);
        if (this.#ready) await this.#ready;
        await new Promise<void>((resolve, reject) => net.write(bytes, (err) => err ? reject(err) : resolve()));
      },
      close: async () => {
        if (this.#ready) await this.#ready;
        await new Promise<void>((resolve, reject) => net.end((err?: Error | null) => err ? reject(err) : resolve()));
      },
      abort: () => {
        net.destroy();
      },
    });
    net.on("connect", () => {
      this.#opened.resolve({
        remoteAddress: formatAddress(net.remoteAddress, net.remotePort),
        localAddress: formatAddress(net.localAddress, net.localPort),
      });
    });
    net.on("data", (chunk: Buffer) => {
      if (this.#readDone) return;
      const controller = this.#readController;
      controller.enqueue(owned(chunk));
      if ((controller.desiredSize ?? 0) <= 0) net.pause();
    });
    net.on("end", () => {
      if (this.#readDone) return;
      this.#readDone = true;
      this.#readController.close();
    });
    net.on("error", (err: Error) => {
      this.#error ??= err;
      if (!this.#opened.settled) this.#opened.reject(err);
      this.#endStreams(err);
    });
    net.on("close", () => {
      const err = this.#error;
      if (!this.#opened.settled) this.#opened.reject(err ?? new Error("The socket closed before it opened"));
      this.#endStreams(err);
      if (err) this.#closed.reject(err);
      else this.#closed.resolve();
    });
  }

  /** The bytes the peer sends: a byte stream (BYOB readers work too). */
  get readable(): ReadableStream<Uint8Array> {
    return this.#readable;
  }

  /** Bytes to the peer; each write resolves once the runtime accepted the bytes. `close()` sends FIN. */
  get writable(): WritableStream<Uint8Array> {
    return this.#writable;
  }

  /** Resolves with the addresses once connected (for TLS: once the handshake is done); rejects if that failed. */
  get opened(): Promise<SocketInfo> {
    return this.#opened.promise;
  }

  /** Resolves once the socket closed cleanly; rejects with the error that closed it. */
  get closed(): Promise<void> {
    return this.#closed.promise;
  }

  /** `"off"`, `"on"` or `"starttls"`: how this socket was made (`"on"` for the one `startTls()` returns). */
  get secureTransport(): SecureTransportKind {
    return this.#secureTransport;
  }

  /** True once `startTls()` handed this socket's connection to a TLS socket. */
  get upgraded(): boolean {
    return this.#upgraded;
  }

  /** Close the connection at once (both streams end); resolves as `closed` does. */
  close(): Promise<void> {
    if (!this.#closing) {
      this.#closing = true;
      this.#endStreams(null);
      this.#net.destroy();
    }
    return this.#closed.promise;
  }

  /**
   * Start TLS on this connection (`secureTransport: "starttls"` only, once): returns the
   * TLS socket; this one's streams end and it closes, the connection living on in the new
   * one. Throws a TypeError otherwise.
   */
  startTls(options: TlsOptions = {}): Socket {
    if (this.#secureTransport !== "starttls") {
      throw new TypeError('startTls() needs a socket made with secureTransport: "starttls"');
    }
    if (this.#upgraded) throw new TypeError("startTls() was already called on this socket");
    if (this.#closing || this.#net.destroyed) throw new TypeError("startTls() on a closed socket");
    this.#upgraded = true;
    const next = this.#startTls!(options);
    this.#endStreams(null);
    return next;
  }

  /** `await using socket = connect(…)`: `close()`, waiting for it. */
  [Symbol.asyncDispose](): Promise<void> {
    return this.close();
  }

  /** End the streams the user holds: errored with `err`, or closed (readable) and errored as closed (writable). */
  #endStreams(err: Error | null): void {
    if (!this.#readDone) {
      this.#readDone = true;
      try {
        if (err) this.#readController.error(err);
        else this.#readController.close();
      } catch { /* already closed */ }
    }
    try {
      this.#writeController.error(err ?? new TypeError("The socket is closed"));
    } catch { /* already closed */ }
  }
}
