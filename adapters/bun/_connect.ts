// `Bun.connect` options for the contract's connect options, and the endpoints a connect
// error names (the target, and the local end when one was asked for). Made per connection,
// so without objects beyond Bun's own options: the endpoints only once a connect failed.
import type { ConnectOptions } from "../../src/contract.ts";
import type { BunConnectOptions, BunSocketHandlers } from "./_bun_types.ts";
import type { Endpoint } from "./errors.ts";

/** Half-open TCP or Unix connect options with `handlers` and `data` for the socket. */
export function bunConnectOptions<Data>(
  options: ConnectOptions,
  handlers: BunSocketHandlers<Data>,
  data: Data,
): BunConnectOptions<Data> {
  if ("path" in options) return { socket: handlers, data, allowHalfOpen: true, unix: options.path };
  const bun: BunConnectOptions<Data> = {
    socket: handlers,
    data,
    allowHalfOpen: true,
    hostname: options.host,
    port: options.port,
  };
  // Only when asked for: Bun takes a key that is present as a bind request.
  const { localAddress, localPort } = options;
  if (localAddress !== undefined) bun.localAddress = localAddress;
  if (localPort !== undefined) bun.localPort = localPort;
  return bun;
}

/** The endpoints a connect error names: the target, and the local end asked for, if any. */
export function connectEndpoints(options: ConnectOptions): { target: Endpoint; bindTo?: Endpoint } {
  if ("path" in options) return { target: { address: options.path } };
  const { localAddress, localPort } = options;
  return {
    target: { address: options.host, port: options.port },
    bindTo: localAddress !== undefined || localPort !== undefined
      ? { address: localAddress, port: localPort }
      : undefined,
  };
}
