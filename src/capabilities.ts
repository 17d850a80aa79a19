/**
 * What an adapter's runtime can do, and the promises an adapter makes about when it calls
 * the core: part of the adapter contract (`src/contract.ts`, which re-exports it).
 *
 * @module
 */

/** What an adapter's runtime can do; the core refuses loudly what is missing. */
export interface Capabilities {
  /** Unix domain sockets, client and server. */
  unix: boolean;
  /** Half-close: sending FIN while still reading. */
  halfOpen: boolean;
  /** `setNoDelay` reaches the socket. */
  noDelay: boolean;
  /** `setKeepAlive` reaches the socket. */
  keepAlive: boolean;
  /** `setKeepAlive`'s initial delay reaches the socket (TCP_KEEPIDLE). */
  keepAliveDelay: boolean;
  /** Several listeners on one port (`SO_REUSEPORT`). */
  reusePort: boolean;
  /** `ipv6Only` listeners. */
  ipv6Only: boolean;
  /** `reset()` sends RST. */
  reset: boolean;
  /** `connect` honours `localAddress`/`localPort`. */
  localBind: boolean;
  /**
   * `RawConn.write` reports a write the runtime took at once inside the call (see
   * `WriteDone` in `src/contract.ts`), so `write()` completes synchronously as Node's does (true past the
   * high-water mark, no `'drain'`). Absent or false: the runtime only tells later (Deno's
   * `conn.write` settles a promise), so such a write is queued and `'drain'` follows.
   */
  syncWrite?: boolean;
  /**
   * Closing a Unix socket with bytes the core has not read makes the peer's next read fail
   * with `ECONNRESET`, as with libuv: the runtime leaves unread bytes in the kernel. Absent
   * or false: the runtime reads ahead of the core (Bun takes up to 512 KiB per read), so
   * such a close looks clean to the peer ('end').
   */
  pipeReset?: boolean;
  /**
   * The adapter keeps the re-entrancy rule itself, so the core holds its connections
   * without a guard (`src/_reentry.ts`): one object and a closure per write less. It then
   * makes no sink call and calls no `done` inside a call of the core's (`connect`, any
   * `RawConn` method) but a write's own `done` inside its `write` (see `WriteDone` in `src/contract.ts`),
   * once the core called `close()`/`reset()` nothing but `done`s and the one `onClose`, and
   * passes `attach` when accepting. Absent or false: the core guards every connection.
   */
  reentrySafe?: boolean;
  /**
   * `onClose` after `close()`/`reset()` comes from the event loop's close phase (libuv's
   * close callback), where Node emits `'close'`: the core emits it right then. Absent or
   * false: the core waits a `setImmediate` first, so that immediates queued earlier in the
   * turn run before `'close'` as they do in Node.
   */
  closePhase?: boolean;
}
