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
/** Socket: the state its function modules share (`SocketState` in socket/_types.ts). */
export const kState: unique symbol = Symbol("omninet.state");
