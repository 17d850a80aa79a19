/**
 * The Bun adapter: omninet's contract over Bun's own sockets (`Bun.connect`, `Bun.listen`,
 * TCP and Unix, with `allowHalfOpen`) and getaddrinfo through `Bun.dns.lookup` (or the
 * application's replacement of `dns.lookup`).
 *
 * The module loads on any runtime (the library's entry point imports every adapter); it
 * touches `Bun` only when called.
 *
 * Bun can do everything the contract asks for, so every capability is `true`: half-close
 * with `socket.shutdown()`, RST with `socket.terminate()` (SO_LINGER 0), reading stopped
 * at the socket with `pause()`/`resume()`, `localAddress`/`localPort`, `reusePort`,
 * `ipv6Only`. What Bun lacks that no flag covers: a listen `backlog` (Bun uses its own),
 * and `unref()` on a connection that is still connecting (applied once it opens).
 *
 * @example
 * ```ts
 * import { adapter } from "./adapters/bun/mod.ts";
 * import { createNet } from "./src/net.ts";
 *
 * const net = createNet(adapter);
 * ```
 *
 * @module
 */
import dns from "node:dns";
import { isIP } from "../../src/address/ip.ts";
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
import { bunApi } from "./_bun_types.ts";
import { BunRawConn } from "./conn.ts";
import { lookupError } from "./errors.ts";
import { emitWarning, runtimeHints, runtimePlatform } from "../_shared/runtime_platform.ts";
import { BunRawListener } from "./listener.ts";
import { connectUpgradable } from "../_shared/node_tls.ts";

const capabilities: Capabilities = {
  unix: true,
  halfOpen: true,
  noDelay: true,
  keepAlive: true,
  keepAliveDelay: true,
  reusePort: true,
  ipv6Only: true,
  reset: true,
  localBind: true,
  syncWrite: true,
  // The connection keeps the re-entrancy rule itself (_gate.ts): no guard per connection.
  reentrySafe: true,
};

function connect(options: ConnectOptions, sink: ConnSink): RawConn {
  return BunRawConn.connect(options, sink);
}

function listen(options: ListenOptions, sink: ListenerSink): RawListener {
  const listener = new BunRawListener(sink);
  listener.listen(options);
  return listener;
}

// Bun's own `node:dns` `lookup`, as loaded: a different one is the application's (or a
// test's) replacement, which node:net would call.
const bunDnsLookup = dns.lookup;

// getaddrinfo(3): Bun's "system" backend is getaddrinfo on Linux and the system resolver
// (getaddrinfo_async_start) on macOS; Bun's default on Linux, c-ares, would skip parts of
// the system's configuration (nsswitch, mDNS), and Bun's `node:dns` `lookup` uses that
// default. So `dns.lookup` is read at each call, as node:net does: while it is Bun's own,
// `Bun.dns.lookup` answers with the system backend; once replaced, the replacement is
// called and its answer and errors are taken as they are (Node does the same).
// `socketType: "tcp"` is Node's SOCK_STREAM hint (one entry per address), and `hints`
// pass through as ai_flags, the same values as Node's `dns.ADDRCONFIG`… on the platform.
// IP literals resolve to themselves as in Node's `dns.lookup` (Bun rejects `::1` with
// family 4), and `""` to nothing (Bun throws).
function lookup(hostname: string, options: LookupOptions): Promise<LookupAddress[]> {
  const current = dns.lookup;
  if (current !== bunDnsLookup) return replacedLookup(current, hostname, options);
  return systemLookup(hostname, options);
}

function replacedLookup(fn: typeof dns.lookup, hostname: string, options: LookupOptions): Promise<LookupAddress[]> {
  return new Promise((resolve, reject) => {
    fn(
      hostname,
      { all: true, family: options.family, hints: runtimeHints(options.hints) },
      (err: NodeJS.ErrnoException | null, addresses: { address: string; family: number }[]) => {
        if (err) reject(err);
        else resolve(addresses.map((a) => ({ address: a.address, family: a.family === 6 ? 6 : 4 })));
      },
    );
  });
}

async function systemLookup(hostname: string, options: LookupOptions): Promise<LookupAddress[]> {
  const literal = isIP(hostname);
  if (literal !== 0) return [{ address: hostname, family: literal as 4 | 6 }];
  if (hostname === "") return [];
  let results;
  try {
    results = await bunApi().dns.lookup(hostname, {
      family: options.family,
      flags: runtimeHints(options.hints),
      socketType: "tcp",
      backend: "system",
    });
  } catch (err) {
    throw lookupError(err, hostname);
  }
  return results.map((r) => ({ address: r.address, family: r.family === 6 ? 6 : 4 }));
}

/**
 * omninet's adapter for Bun (`Bun.connect` / `Bun.listen`).
 *
 * @example
 * ```ts
 * import { adapter } from "./adapters/bun/mod.ts";
 *
 * console.log(adapter.capabilities.reset); // true: socket.terminate() sends RST
 * ```
 */
export const adapter: RuntimeAdapter = {
  name: "bun",
  capabilities,
  platform: runtimePlatform,
  emitWarning,
  connect,
  listen,
  lookup,
  connectUpgradable,
};
