// Client TLS for the Sockets API (`RuntimeAdapter.connectUpgradable`), through the
// runtime's own `node:tls` over a `node:net` socket: `tls.connect({ socket })`, the STARTTLS
// route every runtime here ships. Node runs it on OpenSSL; Deno's node:tls is its rustls
// (`Deno.startTls` underneath), Bun's its BoringSSL (`socket.upgradeTLS` underneath). No
// crypto is written here (DESIGN.md, decision 8).
//
// Why node:net and not each adapter's own connection: a Deno connection's idle read keeps
// its resource busy, which `Deno.startTls` refuses, and a connection upgraded mid-read loses
// bytes. The node:net socket of each runtime already knows how to hand itself to its TLS.
import * as net from "node:net";
import * as tls from "node:tls";
import type {
  ConnSink,
  RawAddress,
  RawConn,
  TcpConnectOptions,
  TlsClientOptions,
  UpgradableConn,
  WriteDone,
} from "../../src/contract.ts";
import { NodeConn } from "../node/conn.ts";

/** Forwards to the core's sink until the connection is handed to TLS. */
class Relay implements ConnSink {
  sink: ConnSink | null;
  constructor(sink: ConnSink) {
    this.sink = sink;
  }
  onConnect(): void {
    this.sink?.onConnect();
  }
  onData(chunk: Uint8Array): void {
    this.sink?.onData(chunk);
  }
  onEnd(): void {
    this.sink?.onEnd();
  }
  onError(err: Error): void {
    this.sink?.onError(err);
  }
  onClose(): void {
    this.sink?.onClose();
  }
}

/** The TLS side: a NodeConn over the TLSSocket that keeps the TCP addresses it was given. */
class NodeTlsConn extends NodeConn {
  #local: RawAddress | undefined;
  #remote: RawAddress | undefined;
  constructor(socket: tls.TLSSocket, local: RawAddress | undefined, remote: RawAddress | undefined) {
    super(socket);
    this.#local = local;
    this.#remote = remote;
  }
  override localAddress(): RawAddress | undefined {
    return super.localAddress() ?? this.#local;
  }
  override remoteAddress(): RawAddress | undefined {
    return super.remoteAddress() ?? this.#remote;
  }
}

/** A node:net connection that `startTls` hands to node:tls. */
class NodeUpgradableConn implements UpgradableConn {
  #socket: net.Socket;
  #conn: NodeConn;
  #relay: Relay;
  #sink: ConnSink;
  /** Handed to TLS: nothing reaches the connection through this conn any more. */
  #consumed = false;
  #closeSent = false;

  constructor(options: TcpConnectOptions, sink: ConnSink) {
    this.#sink = sink;
    this.#socket = new net.Socket({ allowHalfOpen: true });
    this.#relay = new Relay(sink);
    this.#conn = new NodeConn(this.#socket, this.#relay);
    this.#socket.connect({
      host: options.host,
      port: options.port,
      family: options.family,
      localAddress: options.localAddress,
      localPort: options.localPort,
      autoSelectFamily: false,
    });
  }

  startTls(options: TlsClientOptions, sink: ConnSink): RawConn {
    if (this.#consumed) throw new Error("omninet: startTls() called twice on one connection");
    const local = this.#conn.localAddress();
    const remote = this.#conn.remoteAddress();
    this.#conn.readStop();
    this.#consumed = true;
    this.#relay.sink = null;
    const name = options.serverName;
    // allowHalfOpen reaches the TLSSocket (tls.connect passes it on; @types/node omits it).
    const tlsOptions: tls.ConnectionOptions & { allowHalfOpen: boolean } = {
      socket: this.#socket,
      // SNI takes no IP address (Node warns, DEP0123); the certificate check reads `host`.
      servername: net.isIP(name) ? undefined : name,
      host: name,
      ca: options.ca,
      allowHalfOpen: true,
    };
    const socket = tls.connect(tlsOptions);
    socket.pause();
    const conn = new NodeTlsConn(socket, local, remote);
    conn.setSink(sink);
    socket.once("secureConnect", () => sink.onConnect());
    return conn;
  }

  #sendClose(): void {
    if (this.#closeSent) return;
    this.#closeSent = true;
    this.#sink.onClose();
  }

  readStart(): void {
    if (!this.#consumed) this.#conn.readStart();
  }
  readStop(): void {
    if (!this.#consumed) this.#conn.readStop();
  }
  write(chunks: Uint8Array[], done: WriteDone): void {
    if (this.#consumed) done(new Error("omninet: the connection was handed to TLS"), 0);
    else this.#conn.write(chunks, done);
  }
  shutdown(done: (err?: Error | null) => void): void {
    if (this.#consumed) done(new Error("omninet: the connection was handed to TLS"));
    else this.#conn.shutdown(done);
  }
  close(): void {
    if (this.#consumed) this.#sendClose();
    else this.#conn.close();
  }
  reset(): void {
    if (this.#consumed) this.#sendClose();
    else this.#conn.reset();
  }
  setNoDelay(enable: boolean): void {
    if (!this.#consumed) this.#conn.setNoDelay(enable);
  }
  setKeepAlive(enable: boolean, initialDelayMs: number): void {
    if (!this.#consumed) this.#conn.setKeepAlive(enable, initialDelayMs);
  }
  ref(): void {
    if (!this.#consumed) this.#conn.ref();
  }
  unref(): void {
    if (!this.#consumed) this.#conn.unref();
  }
  localAddress(): RawAddress | undefined {
    return this.#conn.localAddress();
  }
  remoteAddress(): RawAddress | undefined {
    return this.#conn.remoteAddress();
  }
}

/** `RuntimeAdapter.connectUpgradable` over the runtime's node:net and node:tls. */
export function connectUpgradable(options: TcpConnectOptions, sink: ConnSink): UpgradableConn {
  return new NodeUpgradableConn(options, sink);
}
