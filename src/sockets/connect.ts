/**
 * `connect()` of the Sockets API over any adapter: `createSockets(adapter)`. A plaintext
 * socket is a core `net.Socket` on the adapter; TLS goes through the adapter's optional
 * `connectUpgradable` (the runtime's own TLS), which the core Socket reaches through a
 * per-connection view of the adapter whose `connect` makes the TLS connection.
 *
 * @module
 */
import type {
  ConnectOptions,
  ConnSink,
  RawConn,
  RuntimeAdapter,
  TcpConnectOptions,
  UpgradableConn,
} from "../contract.ts";
import { createNet, type Net } from "../net.ts";
import type { Socket as NetSocket } from "../socket/socket.ts";
import { ERR_FEATURE_UNAVAILABLE_ON_PLATFORM, ERR_INVALID_ARG_TYPE, ERR_INVALID_ARG_VALUE } from "../errors/errors.ts";
import { type AnySocketAddress, parseAddress } from "./_address.ts";
import { ImplicitTlsConn, PendingSink, UpgradableSink } from "./_tls_conn.ts";
import { createSocket, type SecureTransportKind, type Socket, type SocketOptions, type TlsOptions } from "./socket.ts";

/** The Sockets API bound to one adapter. */
export interface Sockets {
  /** Open a TCP connection: see {@link connect}. */
  connect(address: AnySocketAddress, options?: SocketOptions): Socket;
}

const DEFAULT_HIGH_WATER_MARK = 65536;
const nets = new WeakMap<RuntimeAdapter, Net>();

/** The adapter with another `connect`: what the core Socket of one TLS connection runs on. */
function withConnect(adapter: RuntimeAdapter, connect: (target: ConnectOptions, sink: ConnSink) => RawConn): Net {
  // The TLS connections made here keep none of the adapter's promises about when they call
  // the core (its guard-free and close-phase paths are for its own connections).
  const { reentrySafe: _r, closePhase: _c, ...capabilities } = adapter.capabilities;
  return createNet(Object.create(adapter, { connect: { value: connect }, capabilities: { value: capabilities } }));
}

function plainNet(adapter: RuntimeAdapter): Net {
  let net = nets.get(adapter);
  if (!net) nets.set(adapter, net = createNet(adapter));
  return net;
}

interface Settings {
  secureTransport: SecureTransportKind;
  allowHalfOpen: boolean;
  highWaterMark: number;
  ca: string[] | undefined;
}

function readOptions(options: SocketOptions | undefined): Settings {
  if (options === undefined || options === null) {
    return { secureTransport: "off", allowHalfOpen: false, highWaterMark: DEFAULT_HIGH_WATER_MARK, ca: undefined };
  }
  if (typeof options !== "object") throw ERR_INVALID_ARG_TYPE("options", "object", options);
  const { secureTransport = "off", allowHalfOpen = false, highWaterMark = DEFAULT_HIGH_WATER_MARK, ca } = options;
  if (secureTransport !== "off" && secureTransport !== "on" && secureTransport !== "starttls") {
    throw ERR_INVALID_ARG_VALUE("options.secureTransport", secureTransport, 'must be "off", "on" or "starttls"');
  }
  if (typeof allowHalfOpen !== "boolean") throw ERR_INVALID_ARG_TYPE("options.allowHalfOpen", "boolean", allowHalfOpen);
  if (typeof highWaterMark !== "number" || !(highWaterMark >= 0)) {
    throw ERR_INVALID_ARG_VALUE("options.highWaterMark", highWaterMark, "must be a number >= 0");
  }
  const list = ca === undefined ? undefined : Array.isArray(ca) ? ca : [ca];
  if (list?.some((c) => typeof c !== "string")) throw ERR_INVALID_ARG_TYPE("options.ca", ["string", "string[]"], ca);
  return { secureTransport, allowHalfOpen, highWaterMark, ca: list };
}

/**
 * The Sockets API over `adapter` (or over the adapter a function picks at each connect).
 *
 * @example
 * ```ts
 * import { createSockets } from "@omninet/net/sockets";
 * import { adapter } from "@omninet/net/adapters/memory";
 *
 * const { connect } = createSockets(adapter);
 * const socket = connect("127.0.0.1:7");
 * socket.closed.catch((err) => console.log(err.code)); // "ECONNREFUSED"
 * ```
 */
export function createSockets(adapter: RuntimeAdapter | (() => RuntimeAdapter)): Sockets {
  const pick = typeof adapter === "function" ? adapter : () => adapter;
  return { connect: (address, options) => connectOn(pick(), address, options) };
}

function connectOn(adapter: RuntimeAdapter, address: AnySocketAddress, options?: SocketOptions): Socket {
  const { hostname, port } = parseAddress(address);
  const settings = readOptions(options);
  const { secureTransport, allowHalfOpen, highWaterMark } = settings;
  if (secureTransport !== "off" && !adapter.connectUpgradable) {
    throw ERR_FEATURE_UNAVAILABLE_ON_PLATFORM(`secureTransport: "${secureTransport}"`, adapter.name);
  }
  const tls = { serverName: hostname, ca: settings.ca };
  let net: Net;
  let upgradable: UpgradableConn | null = null;
  if (secureTransport === "on") {
    net = withConnect(adapter, (target, sink) => new ImplicitTlsConn(adapter, target as TcpConnectOptions, sink, tls));
  } else if (secureTransport === "starttls") {
    net = withConnect(adapter, (target, sink) => {
      const relay = new UpgradableSink(sink, (conn) => upgradable = conn);
      const conn = adapter.connectUpgradable!(target as TcpConnectOptions, relay);
      relay.setConn(conn);
      return conn;
    });
  } else {
    net = plainNet(adapter);
  }
  const socket = new net.Socket({ allowHalfOpen });
  socket.connect({ host: hostname, port });
  const startTls = secureTransport !== "starttls" ? null : (tlsOptions: TlsOptions) => {
    const serverName = tlsOptions?.expectedServerHostname ?? hostname;
    if (typeof serverName !== "string") {
      throw ERR_INVALID_ARG_TYPE("options.expectedServerHostname", "string", serverName);
    }
    return upgrade(adapter, socket, () => upgradable, { serverName, ca: settings.ca }, settings);
  };
  return createSocket({ net: socket, secureTransport, highWaterMark, ready: null, startTls });
}

/**
 * `startTls()`: hand the plaintext socket's connection to TLS and give it to a new core
 * socket. The plaintext socket closes without touching the connection (a consumed
 * UpgradableConn only reports its close).
 */
function upgrade(
  adapter: RuntimeAdapter,
  plain: NetSocket,
  connection: () => UpgradableConn | null,
  tls: { serverName: string; ca: string[] | undefined },
  settings: Settings,
): Socket {
  const pending = new PendingSink();
  let conn: RawConn | null = null;
  const net = withConnect(adapter, (_target, sink) => {
    pending.attach(sink);
    return conn!;
  });
  const socket = new net.Socket({ allowHalfOpen: settings.allowHalfOpen });
  let ready: Promise<void> | null = null;
  const start = () => {
    conn = connection()!.startTls(tls, pending);
    socket.connect({ host: plain.remoteAddress!, port: plain.remotePort! });
    plain.destroy();
  };
  if (plain.connecting || !connection()) {
    // Called before the plaintext socket opened: TLS starts once it has.
    ready = new Promise<void>((resolve) => {
      const onConnect = () => {
        plain.off("close", onClose);
        start();
        resolve();
      };
      const onClose = () => {
        plain.off("connect", onConnect);
        socket.destroy(new Error("The plaintext socket closed before startTls() could start TLS"));
        resolve();
      };
      plain.once("connect", onConnect);
      plain.once("close", onClose);
    });
  } else {
    start();
  }
  return createSocket({
    net: socket,
    secureTransport: "on",
    highWaterMark: settings.highWaterMark,
    ready,
    startTls: null,
  });
}
