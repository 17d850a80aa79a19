// `Bun.connect` options for the contract's connect options, and the endpoints a connect
// error names (the target, and the local end when one was asked for).
import type { ConnectOptions } from "../../src/contract.ts";
import type { BunConnectOptions, BunSocketHandlers } from "./_bun_types.ts";
import type { Endpoint } from "./errors.ts";

/** What `Bun.connect` gets, and what its errors are reported against. */
export interface ConnectPlan<Data> {
  bun: BunConnectOptions<Data>;
  target: Endpoint;
  /** The local endpoint asked for (`localAddress`/`localPort`), if any. */
  bindTo?: Endpoint;
}

/** Half-open TCP or Unix connect options with `handlers` and `data` for the socket. */
export function connectPlan<Data>(
  options: ConnectOptions,
  handlers: BunSocketHandlers<Data>,
  data: Data,
): ConnectPlan<Data> {
  if ("path" in options) {
    return {
      bun: { socket: handlers, data, allowHalfOpen: true, unix: options.path },
      target: { address: options.path },
    };
  }
  const { localAddress, localPort } = options;
  return {
    bun: {
      socket: handlers,
      data,
      allowHalfOpen: true,
      hostname: options.host,
      port: options.port,
      ...(localAddress !== undefined ? { localAddress } : {}),
      ...(localPort !== undefined ? { localPort } : {}),
    },
    target: { address: options.host, port: options.port },
    bindTo: localAddress !== undefined || localPort !== undefined
      ? { address: localAddress, port: localPort }
      : undefined,
  };
}
