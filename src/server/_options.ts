// `createServer([options][, connectionListener])`: Node's option handling for net.Server,
// with its validation errors and stored forms (keep-alive delay in seconds, a negative
// highWaterMark meaning the default).
import { ERR_INVALID_ARG_TYPE } from "../errors/errors.ts";
import { validateNumber } from "../errors/validators.ts";
import { type BlockListLike, isBlockListLike } from "../address/blocklist.ts";
import { defaultHighWaterMark } from "../socket/_options.ts";

/** Options for `createServer()` / `new Server()`. */
export interface ServerOpts {
  /** Accepted sockets keep their writable side open after the peer ends. @default false */
  allowHalfOpen?: boolean;
  /** Accepted sockets start paused (no reading until `resume()`). @default false */
  pauseOnConnect?: boolean;
  /** Turn Nagle's algorithm off on accepted sockets. @default false */
  noDelay?: boolean;
  /** Enable keep-alive on accepted sockets. @default false */
  keepAlive?: boolean;
  /** Keep-alive initial delay in milliseconds. @default 0 */
  keepAliveInitialDelay?: number;
  /** Buffer size of accepted sockets (negative: the default). @default 65536 (Node 24's stream default) */
  highWaterMark?: number;
  /** Close connections from peers this list blocks before `'connection'`, without any event. */
  blockList?: BlockListLike;
}

/** The options as a Server stores them. */
export interface ServerSettings {
  allowHalfOpen: boolean;
  pauseOnConnect: boolean;
  noDelay: boolean;
  keepAlive: boolean;
  /** In seconds, as Node stores it. */
  keepAliveInitialDelay: number;
  highWaterMark: number;
  blockList: BlockListLike | undefined;
}

/**
 * Validate `(options, connectionListener)` as Node's Server constructor does; returns the
 * settings and the `'connection'` listener to add.
 */
export function serverSettings<L>(options: unknown, connectionListener: unknown): [ServerSettings, L | undefined] {
  let opts: ServerOpts;
  let listener: L | undefined;
  if (typeof options === "function") {
    listener = options as L;
    opts = {};
  } else if (options == null || typeof options === "object") {
    opts = { ...options as ServerOpts };
    if (typeof connectionListener === "function") listener = connectionListener as L;
  } else {
    throw ERR_INVALID_ARG_TYPE("options", "Object", options);
  }
  let delay = opts.keepAliveInitialDelay;
  if (delay !== undefined) {
    validateNumber(delay, "options.keepAliveInitialDelay");
    if (delay < 0) delay = 0;
  }
  let highWaterMark = opts.highWaterMark;
  if (highWaterMark !== undefined) {
    validateNumber(highWaterMark, "options.highWaterMark");
    if (highWaterMark < 0) highWaterMark = defaultHighWaterMark();
  }
  if (opts.blockList && !isBlockListLike(opts.blockList)) {
    throw ERR_INVALID_ARG_TYPE("options.blockList", "net.BlockList", opts.blockList);
  }
  const settings: ServerSettings = {
    allowHalfOpen: opts.allowHalfOpen || false,
    pauseOnConnect: Boolean(opts.pauseOnConnect),
    noDelay: Boolean(opts.noDelay),
    keepAlive: Boolean(opts.keepAlive),
    keepAliveInitialDelay: ~~((delay ?? 0) / 1000),
    // Node 24's 64 KiB also where the runtime's streams default to Node 20's 16 KiB: an
    // accepted socket stops reading where node:net's does.
    highWaterMark: highWaterMark ?? defaultHighWaterMark(),
    blockList: opts.blockList || undefined,
  };
  return [settings, listener];
}
