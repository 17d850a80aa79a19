// The slice of the `Bun` namespace the Bun adapter uses (Bun 1.4.5), declared here so the
// adapter type-checks under `deno check` and under tsc without bun-types, and reached only
// inside functions so the module loads on Node and Deno too.

/** A TCP or Unix socket from `Bun.connect` / `Bun.listen`, as far as the adapter uses it. */
export interface BunSocket<Data = unknown> {
  /** The per-socket value: the adapter's connection. */
  data: Data;
  /**
   * Write without buffering: returns the bytes taken (maybe fewer, maybe 0), or -1 when the
   * socket is closed or shut down. Pass `byteOffset` and `byteLength` together: with an
   * offset alone Bun 1.4.5 still takes the whole length and throws.
   */
  write(data: Uint8Array, byteOffset?: number, byteLength?: number): number;
  /** Close both directions (FIN); the `close` handler runs synchronously inside. */
  end(): void;
  /** `shutdown(2)`: with no argument SHUT_WR (FIN), reading goes on. */
  shutdown(halfClose?: boolean): void;
  /** SO_LINGER 0 then `close(2)`: the peer sees RST; `close` runs synchronously inside. */
  terminate(): void;
  /** Stop polling for readable: no `data`, `end` or clean `close` until `resume()`. */
  pause(): void;
  resume(): void;
  setNoDelay(noDelay?: boolean): boolean;
  setKeepAlive(enable?: boolean, initialDelayMs?: number): boolean;
  ref(): void;
  unref(): void;
  /** -1 once closed (detached), 1 while established. */
  readonly readyState: number;
  readonly localAddress?: string;
  readonly localPort?: number;
  readonly localFamily?: "IPv4" | "IPv6";
  readonly remoteAddress?: string;
  readonly remotePort?: number;
  readonly remoteFamily?: "IPv4" | "IPv6";
}

/** Socket handlers. Without an `error` handler a throwing handler is an uncaught error. */
export interface BunSocketHandlers<Data> {
  open?(socket: BunSocket<Data>): void;
  data?(socket: BunSocket<Data>, chunk: Uint8Array): void;
  drain?(socket: BunSocket<Data>): void;
  end?(socket: BunSocket<Data>): void;
  close?(socket: BunSocket<Data>, error?: Error): void;
  connectError?(socket: BunSocket<Data>, error: Error): void;
}

/** Options shared by `Bun.connect` and `Bun.listen`. */
interface BunSocketOptions<Data> {
  socket: BunSocketHandlers<Data>;
  data?: Data;
  allowHalfOpen?: boolean;
}

/** `Bun.connect` options: TCP (`localAddress`/`localPort` work, undocumented) or Unix. */
export type BunConnectOptions<Data> =
  & BunSocketOptions<Data>
  & ({ hostname: string; port: number; localAddress?: string; localPort?: number } | { unix: string });

/** `Bun.listen` options: TCP or Unix. Bun has no backlog option. */
export type BunListenOptions<Data> =
  & BunSocketOptions<Data>
  & ({ hostname: string; port: number; reusePort?: boolean; ipv6Only?: boolean } | { unix: string });

/** A listening socket. `stop()` releases the port (and unlinks a Unix path) at once. */
export interface BunListener {
  stop(closeActiveConnections?: boolean): void;
  ref(): void;
  unref(): void;
  readonly hostname?: string;
  readonly port?: number;
  readonly unix?: string;
  /** Undocumented: fills `out` with `{ address, family, port }` for TCP. */
  getsockname?(out: Record<string, unknown>): void;
}

/** One `Bun.dns.lookup` result. */
export interface BunLookupResult {
  address: string;
  family: 4 | 6;
  ttl?: number;
}

/** The `Bun` functions the adapter calls. */
export interface BunNamespace {
  connect<Data>(options: BunConnectOptions<Data>): Promise<BunSocket<Data>>;
  listen<Data>(options: BunListenOptions<Data>): BunListener;
  dns: {
    lookup(
      hostname: string,
      options: { family?: 0 | 4 | 6; flags?: number; socketType?: "tcp" | "udp"; backend?: string },
    ): Promise<BunLookupResult[]>;
  };
}

/** The running Bun's namespace (call only on Bun). */
export function bunApi(): BunNamespace {
  return (globalThis as unknown as { Bun: BunNamespace }).Bun;
}
