// The slice of the `Deno` namespace the Deno adapter uses, declared here so the adapter
// type-checks under `deno check` and under tsc (the npm build has no `Deno` types), and
// reached only inside functions so the module loads on Node and Bun too.

/** `Deno.NetAddr` / `Deno.UnixAddr`, as far as the adapter reads them. */
export interface DenoAddr {
  transport: string;
  hostname?: string;
  port?: number;
  path?: string | null;
}

/** `Deno.TcpConn` / `Deno.UnixConn` (the TCP-only methods are absent on Unix ones). */
export interface DenoConn {
  read(buffer: Uint8Array): Promise<number | null>;
  write(data: Uint8Array): Promise<number>;
  close(): void;
  closeWrite(): Promise<void>;
  ref(): void;
  unref(): void;
  readonly localAddr: DenoAddr;
  readonly remoteAddr: DenoAddr;
  setNoDelay?(noDelay?: boolean): void;
  setKeepAlive?(keepAlive?: boolean): void;
}

/** `Deno.Listener`. */
export interface DenoListener {
  accept(): Promise<DenoConn>;
  close(): void;
  readonly addr: DenoAddr;
  ref(): void;
  unref(): void;
}

/** The `Deno` functions the adapter calls. */
export interface DenoNamespace {
  connect(
    options:
      | {
        transport: "tcp";
        hostname: string;
        port: number;
        signal?: AbortSignal;
        autoSelectFamily?: boolean;
      }
      | { transport: "unix"; path: string },
  ): Promise<DenoConn>;
  listen(
    options:
      | { transport: "tcp"; hostname: string; port: number; tcpBacklog?: number; reusePort?: boolean }
      | { transport: "unix"; path: string },
  ): DenoListener;
  statSync(path: string): { mode: number | null };
  chmodSync(path: string, mode: number): void;
  removeSync(path: string): void;
  readonly errors: Record<string, abstract new (...args: never[]) => Error>;
  readonly env?: { get(name: string): string | undefined };
  readonly permissions?: {
    querySync?(d: { name: "env"; variable: string } | { name: "net" | "read" | "write" }): { state: string };
  };
  /** Present only under `--unstable-net` (the flag `reusePort` needs too). */
  readonly listenDatagram?: unknown;
}

/** The running Deno's namespace (call only on Deno). */
export function denoApi(): DenoNamespace {
  return (globalThis as unknown as { Deno: DenoNamespace }).Deno;
}

/** Whether Deno runs with `--unstable-net`, without which `reusePort: true` aborts the process. */
export function hasUnstableNet(): boolean {
  const d = (globalThis as { Deno?: DenoNamespace }).Deno;
  return typeof d?.listenDatagram === "function";
}
