// Hooks shared between the core's modules (not part of the public API).

/** The RuntimeAdapter a Socket or Server class is bound to (on its prototype). */
export const kAdapter: unique symbol = Symbol("omninet.adapter");
/** Socket: the server that accepted it, told when the socket is destroyed. */
export const kServerHooks: unique symbol = Symbol("omninet.serverHooks");
/** Marks an args array already normalized by normalizeArgs. */
export const kNormalized: unique symbol = Symbol("omninet.normalizedArgs");
/** Socket constructor option: the accepted RawConn is a Unix socket (internal, used by Server). */
export const kPipe: unique symbol = Symbol("omninet.pipe");
/** Socket constructor option: an accepted RawConn (internal, used by Server). */
export const kRawConn: unique symbol = Symbol("omninet.rawConn");
/** Socket: its current RawConn (shared between the Socket's modules). */
export const kConn: unique symbol = Symbol("omninet.conn");
/** Socket: its current RawConn connected (called by its SocketSink). */
export const kSinkConnect: unique symbol = Symbol("omninet.sinkConnect");
/** Socket: connecting its current RawConn failed (called by its SocketSink). */
export const kSinkConnectError: unique symbol = Symbol("omninet.sinkConnectError");
/** Socket: its current RawConn's handle closed (called by its SocketSink). */
export const kSinkClose: unique symbol = Symbol("omninet.sinkClose");
/** Socket: bytes arrived on its current RawConn (called by its SocketSink). */
export const kSinkData: unique symbol = Symbol("omninet.sinkData");
/** Socket: the peer's FIN arrived on its current RawConn (called by its SocketSink). */
export const kSinkEnd: unique symbol = Symbol("omninet.sinkEnd");
/** Socket: the state its function modules share (`SocketState` in socket/_types.ts). */
export const kState: unique symbol = Symbol("omninet.state");
