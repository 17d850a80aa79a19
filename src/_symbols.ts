// Hooks shared between the core's modules (not part of the public API).

/** The RuntimeAdapter a Socket or Server class is bound to (on its prototype). */
export const kAdapter: unique symbol = Symbol("omninet.adapter");
/** Socket: begin connecting a RawConn to a resolved target. */
export const kConnectTo: unique symbol = Symbol("omninet.connectTo");
/** Socket: the server that accepted it, told when the socket is destroyed. */
export const kServerHooks: unique symbol = Symbol("omninet.serverHooks");
/** Socket: the host name given to connect (for errors and Happy Eyeballs). */
export const kHost: unique symbol = Symbol("omninet.host");
/** Marks an args array already normalized by normalizeArgs. */
export const kNormalized: unique symbol = Symbol("omninet.normalizedArgs");
/** Socket constructor option: the accepted RawConn is a Unix socket (internal, used by Server). */
export const kPipe: unique symbol = Symbol("omninet.pipe");
/** Socket constructor option: an accepted RawConn (internal, used by Server). */
export const kRawConn: unique symbol = Symbol("omninet.rawConn");
/** Socket: its current RawConn (shared between the Socket's modules). */
export const kConn: unique symbol = Symbol("omninet.conn");
