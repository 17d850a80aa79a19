/**
 * The Deno adapter: omninet's contract over Deno's own `node:net` for TCP (wrapped by the
 * Node adapter's code, adapters/node/) and Deno's own sockets for Unix domain sockets
 * (`Deno.connect`, `Deno.listen`), getaddrinfo through Deno's `node:dns` `lookup`.
 *
 * The module loads on any runtime (the library's entry point imports every adapter); it
 * touches `Deno` only when called.
 *
 * Why TCP goes through `node:net`: Deno.connect/Deno.listen cannot send RST (no
 * SO_LINGER), bind a connection's local end, connect to port 0 or share a port without
 * `--unstable-net`; Deno's node:net does all four, and costs the same (bulk and
 * ping-pong measured alike). What Deno cannot do, and says so in {@link adapter}'s
 * capabilities: `ipv6Only` listeners (`ipv6Only: false`: Deno's node:net binds dual
 * stack regardless). `setKeepAlive` sets SO_KEEPALIVE but not its delay.
 *
 * @example
 * ```ts
 * import { adapter } from "./adapters/deno/mod.ts";
 * import { createNet } from "./src/net.ts";
 *
 * const net = createNet(adapter);
 * ```
 *
 * @module
 */
import dns from "node:dns";
import type {
  Capabilities,
  ConnectOptions,
  ConnSink,
  ListenerSink,
  ListenOptions,
  LookupAddress,
  LookupOptions,
  RawConn,
  RawListener,
  RuntimeAdapter,
} from "../../src/contract.ts";
import { DenoRawConn } from "./conn.ts";
import { connectTcp, listenTcp } from "./_node_net.ts";
import { emitWarning, runtimeHints, runtimePlatform } from "../_shared/runtime_platform.ts";
import { lookupError } from "./errors.ts";
import { DenoRawListener } from "./listener.ts";
import { connectUpgradable } from "../_shared/node_tls.ts";

let capabilities: Capabilities | undefined;

function capabilitiesOf(): Capabilities {
  capabilities ??= {
    unix: true,
    halfOpen: true,
    noDelay: true,
    keepAlive: true,
    // Deno.TcpConn.setKeepAlive takes no delay; Deno's node:net's is not known to set it.
    keepAliveDelay: false,
    // Deno's node:net sets SO_REUSEPORT without --unstable-net (Deno.listen needs the flag).
    reusePort: true,
    ipv6Only: false,
    reset: true,
    localBind: true,
  };
  return capabilities;
}

// TCP goes through Deno's own node:net, wrapped as the Node adapter wraps Node's: it can
// do what Deno.connect/Deno.listen cannot (send RST, bind a connection's local end,
// connect to port 0: Deno.connect refuses that port without trying, the system says
// ECONNREFUSED as Node reports), at the same cost (bulk and ping-pong measured alike).
// Unix sockets stay on Deno.connect/Deno.listen.
function connect(options: ConnectOptions, sink: ConnSink): RawConn {
  if (!("path" in options)) return connectTcp(options, sink);
  const conn = new DenoRawConn(null, sink);
  conn.connect(options);
  return conn;
}

function listen(options: ListenOptions, sink: ListenerSink): RawListener {
  if (!("path" in options)) return listenTcp(options, sink);
  const listener = new DenoRawListener(sink);
  listener.listen(options);
  return listener;
}

// getaddrinfo(3) through Deno's node:dns (Deno.resolveDns would query DNS servers and
// skip /etc/hosts). `order: "verbatim"` keeps the system's order. `hints` pass through
// untouched: they are Deno's own `dns.ADDRCONFIG`… values, which differ from Node's.
// `dns.lookup` is read at each call, as node:net does: applications and tests replace it.
function lookup(hostname: string, options: LookupOptions): Promise<LookupAddress[]> {
  return new Promise((resolve, reject) => {
    const done = (err: NodeJS.ErrnoException | null, addresses: { address: string; family: number }[]) => {
      if (err) reject(lookupError(err, hostname));
      else resolve(addresses.map((a) => ({ address: a.address, family: a.family === 6 ? 6 : 4 })));
    };
    try {
      dns.lookup(
        hostname,
        { all: true, family: options.family, hints: runtimeHints(options.hints), order: "verbatim" },
        done,
      );
    } catch (err) {
      reject(err); // Deno's argument validation (hints it does not know): an ERR_* error
    }
  });
}

/**
 * omninet's adapter for Deno (`Deno.connect` / `Deno.listen`).
 *
 * @example
 * ```ts
 * import { adapter } from "./adapters/deno/mod.ts";
 *
 * console.log(adapter.capabilities.ipv6Only); // false: no IPv6-only listeners
 * ```
 */
export const adapter: RuntimeAdapter = {
  name: "deno",
  get capabilities(): Capabilities {
    return capabilitiesOf();
  },
  platform: runtimePlatform,
  emitWarning,
  connect,
  listen,
  lookup,
  connectUpgradable,
};
