// The part of `cloudflare:sockets` this adapter uses, typed here (no @cloudflare/workers-types
// dependency), and its lazy loader: the module exists only inside workerd, so it is
// imported on first connect, never at module load (omninet's entry imports every adapter).

/** `connect()`'s address argument. */
export interface SocketAddress {
  /** A host name or IP address; an IPv6 address in brackets (`[::1]`). */
  hostname: string;
  /** The port. */
  port: number;
}

/** `connect()`'s options. */
export interface SocketOptions {
  /** `"off"` (plain TCP), `"on"` or `"starttls"`. */
  secureTransport?: "off" | "on" | "starttls";
  /** Keep the writable side open after the readable side ended (the peer's FIN). */
  allowHalfOpen?: boolean;
}

/** What `socket.opened` resolves with. */
export interface SocketInfo {
  /** `"127.0.0.1:8080"`, `"[::1]:8080"` or the name as given (`"localhost:8080"`). */
  remoteAddress?: string;
  /** Not given by workerd at the time of writing. */
  localAddress?: string;
}

/** A `cloudflare:sockets` Socket. */
export interface CfSocket {
  /** Bytes from the peer. */
  readonly readable: ReadableStream<Uint8Array>;
  /** Bytes to the peer; closing it sends FIN. */
  readonly writable: WritableStream<Uint8Array>;
  /** Resolves once connected. */
  readonly opened: Promise<SocketInfo>;
  /** Resolves once closed (rejects on an error). */
  readonly closed: Promise<void>;
  /** Close both directions. */
  close(): Promise<void>;
}

/** `connect` from `cloudflare:sockets`. */
export type CfConnect = (address: SocketAddress | string, options?: SocketOptions) => CfSocket;

let loading: Promise<CfConnect> | undefined;

/**
 * `connect` of `cloudflare:sockets`, imported on first use (only workerd resolves it;
 * Worker bundlers such as wrangler keep `cloudflare:*` external; elsewhere the import
 * rejects and the connect fails with `UNKNOWN`, the reason as `cause`).
 */
export function loadConnect(): Promise<CfConnect> {
  // @ts-ignore: tsc has no declaration for workerd's built-in module (Deno leaves it unresolved); typed by CfConnect
  loading ??= (import("cloudflare:sockets") as Promise<{ connect: CfConnect }>).then((m) => m.connect);
  return loading;
}
