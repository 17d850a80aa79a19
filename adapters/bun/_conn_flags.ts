// BunRawConn's sink call kinds (DONE, WRITTEN and CLOSE are the gate's, DATA and END
// HeldReads') and the flags of its one number of state, `#bits` (conn.ts).

// The connection's own sink calls.
export const CONNECT = 1;
export const ERROR = 4;

// A connection's flags (BunRawConn's #bits).
/** close()/reset() was called or the connection failed: nothing but onClose follows. */
export const CLOSING = 1;
/** Bun's `close` handler ran (or the connect failed): the socket is gone. */
export const GONE = 2;
export const CLOSE_SENT = 4;
/** The close asked for is a reset. */
export const RESET = 8;
/** The core asked for a shutdown (Bun got it, or it waits behind writes). */
export const SHUTDOWN_ASKED = 16;
/**
 * Bun closed the socket because the peer closed both directions before our FIN (a Unix
 * socket's hang-up: Bun closes it after `end` even with allowHalfOpen). libuv keeps the
 * handle open: the core decides when to close, and writes fail with EPIPE.
 */
export const HUNG_UP = 32;
/** unref() asked for before the socket opened (the core holds the other options). */
export const UNREF_EARLY = 64;
/**
 * TCP_NODELAY as the socket has it (Bun turns it on for every TCP socket) and as the core
 * wants it (off, Node's default, until it asks). The socket gets the core's choice before
 * anything is written, or once the first handler is over (SETTLED): a core that turns it
 * on at once (an echo server in 'connection', `noDelay: true`) costs no setsockopt.
 */
export const NODELAY_ON = 128;
export const NODELAY_WANTED = 256;
/** Bun's `open` handler, with the core's onConnect or onConnection inside it, is over. */
export const SETTLED = 512;
