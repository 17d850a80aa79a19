// TCP on Deno through Deno's own node:net, wrapped by the Node adapter's code
// (adapters/node/conn.ts, listener.ts). One correction: Deno's node:net reports a failed
// bind(2) it cannot name as `EINVAL` (an address this host does not have is
// EADDRNOTAVAIL in the system and in Node). On that error only, the bind is asked again
// through `Deno.listen`, which reports the system's code, and that code is taken.
import type {
  ConnSink,
  ListenerSink,
  RawConn,
  RawListener,
  TcpConnectOptions,
  TcpListenOptions,
} from "../../src/contract.ts";
import { connectNodeNet } from "../node/conn.ts";
import { listenNodeNet } from "../node/listener.ts";
import { denoApi } from "./_deno_api.ts";
import { fromDenoError } from "./errors.ts";

/** The system's error for binding `hostname:port`, as Deno.listen reports it; undefined if it binds. */
function bindFailure(hostname: string, port: number, syscall: string): Error | undefined {
  try {
    denoApi().listen({ transport: "tcp", hostname, port }).close();
    return undefined;
  } catch (err) {
    return fromDenoError(err, syscall, port === 0 ? { address: hostname } : { address: hostname, port });
  }
}

/** `err`, or the system's own error where Deno's node:net said EINVAL for a bind. */
function corrected(err: Error, hostname: string, port: number): Error {
  const e = err as Error & { code?: unknown; syscall?: unknown };
  if (e.code !== "EINVAL" || (e.syscall !== "bind" && e.syscall !== "listen")) return err;
  const real = bindFailure(hostname, port, e.syscall);
  if (real === undefined || (real as { code?: unknown }).code === "UNKNOWN") return err;
  return real;
}

/** A TCP connection through Deno's node:net. */
export function connectTcp(options: TcpConnectOptions, sink: ConnSink): RawConn {
  const local = options.localAddress;
  if (local === undefined) return connectNodeNet(options, sink);
  return connectNodeNet(options, {
    onConnect: () => sink.onConnect(),
    onData: (chunk) => sink.onData(chunk),
    onEnd: () => sink.onEnd(),
    onError: (err) => sink.onError(corrected(err, local, options.localPort ?? 0)),
    onClose: () => sink.onClose(),
  });
}

/** A TCP listener through Deno's node:net. */
export function listenTcp(options: TcpListenOptions, sink: ListenerSink): RawListener {
  return listenNodeNet(options, {
    onListening: () => sink.onListening(),
    onConnection: (conn) => sink.onConnection(conn),
    onError: (err) => sink.onError(corrected(err, options.host, options.port)),
  }, true);
}
