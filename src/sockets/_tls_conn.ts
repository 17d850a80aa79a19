// The RawConns behind the Sockets API's TLS, made of the contract's `connectUpgradable`:
// a connection that is TLS from the start (`secureTransport: "on"`), and the STARTTLS
// hand-over from a plaintext Socket to a new one (`startTls()`). Both sit between the core
// and the adapter as an adapter would, so the core Socket above them is the usual one.
import type {
  ConnSink,
  RawAddress,
  RawConn,
  RuntimeAdapter,
  TcpConnectOptions,
  TlsClientOptions,
  UpgradableConn,
  WriteDone,
} from "../contract.ts";

type Done = (err?: Error | null) => void;

/**
 * `secureTransport: "on"`: connects over TCP, then starts TLS at once; the core sees one
 * connection whose `onConnect` is the end of the handshake.
 */
export class ImplicitTlsConn implements RawConn, ConnSink {
  #sink: ConnSink;
  #options: TlsClientOptions;
  #plain: UpgradableConn;
  #tls: RawConn | null = null;
  #reading = false;
  #closed = false;

  constructor(adapter: RuntimeAdapter, target: TcpConnectOptions, sink: ConnSink, options: TlsClientOptions) {
    this.#sink = sink;
    this.#options = options;
    this.#plain = adapter.connectUpgradable!(target, this);
  }

  #current(): RawConn {
    return this.#tls ?? this.#plain;
  }

  // The plaintext connection's calls: until TLS starts, they are the core's.
  onConnect(): void {
    if (this.#closed) return;
    this.#tls = this.#plain.startTls(this.#options, this.#sink);
    if (this.#reading) this.#tls.readStart();
  }
  onData(): void {
    // Reading starts on the TLS side only: no plaintext byte reaches the core.
  }
  onEnd(): void {
    this.#sink.onEnd();
  }
  onError(err: Error): void {
    this.#sink.onError(err);
  }
  onClose(): void {
    this.#sink.onClose();
  }

  // The core's calls.
  readStart(): void {
    this.#reading = true;
    this.#tls?.readStart();
  }
  readStop(): void {
    this.#reading = false;
    this.#tls?.readStop();
  }
  write(chunks: Uint8Array[], done: WriteDone): void {
    this.#current().write(chunks, done);
  }
  shutdown(done: Done): void {
    this.#current().shutdown(done);
  }
  close(): void {
    this.#closed = true;
    this.#current().close();
  }
  reset(): void {
    this.#closed = true;
    this.#current().reset();
  }
  setNoDelay(enable: boolean): void {
    this.#current().setNoDelay(enable);
  }
  setKeepAlive(enable: boolean, initialDelayMs: number): void {
    this.#current().setKeepAlive(enable, initialDelayMs);
  }
  ref(): void {
    this.#current().ref();
  }
  unref(): void {
    this.#current().unref();
  }
  localAddress(): RawAddress | undefined {
    return this.#current().localAddress();
  }
  remoteAddress(): RawAddress | undefined {
    return this.#current().remoteAddress();
  }
}

/**
 * The sink of a TLS connection started before the Socket that takes it exists: holds the
 * adapter's calls until `attach` gives it that Socket's sink.
 */
export class PendingSink implements ConnSink {
  #sink: ConnSink | null = null;
  #held: [keyof ConnSink, unknown][] = [];

  attach(sink: ConnSink): void {
    this.#sink = sink;
    for (const [name, arg] of this.#held.splice(0)) (sink[name] as (a: unknown) => void)(arg);
  }
  #call(name: keyof ConnSink, arg?: unknown): void {
    if (this.#sink) (this.#sink[name] as (a: unknown) => void)(arg);
    else this.#held.push([name, arg]);
  }
  onConnect(): void {
    this.#call("onConnect");
  }
  onData(chunk: Uint8Array): void {
    this.#call("onData", chunk);
  }
  onEnd(): void {
    this.#call("onEnd");
  }
  onError(err: Error): void {
    this.#call("onError", err);
  }
  onClose(): void {
    this.#call("onClose");
  }
}

/**
 * The sink a `"starttls"` Socket's connection reports to: forwards to the core and
 * remembers which connection (of a Happy Eyeballs race) connected.
 */
export class UpgradableSink implements ConnSink {
  conn: UpgradableConn | null = null;
  #sink: ConnSink;
  #onConnected: (conn: UpgradableConn) => void;
  #connected = false;

  constructor(sink: ConnSink, onConnected: (conn: UpgradableConn) => void) {
    this.#sink = sink;
    this.#onConnected = onConnected;
  }
  /** The adapter returned the connection (it may have connected already). */
  setConn(conn: UpgradableConn): void {
    this.conn = conn;
    if (this.#connected) this.#onConnected(conn);
  }
  onConnect(): void {
    this.#connected = true;
    if (this.conn) this.#onConnected(this.conn);
    this.#sink.onConnect();
  }
  onData(chunk: Uint8Array): void {
    this.#sink.onData(chunk);
  }
  onEnd(): void {
    this.#sink.onEnd();
  }
  onError(err: Error): void {
    this.#sink.onError(err);
  }
  onClose(): void {
    this.#sink.onClose();
  }
}
