// Small helpers shared by the Bun adapter's connection and listener.
import type { RawAddress } from "../../src/contract.ts";

/**
 * Call into the core from a Bun handler or a deferred microtask. An exception there (a
 * user's listener threw) is rethrown on its own, as an uncaught error as in Node, instead
 * of cutting the adapter's bookkeeping short.
 */
export function deliver(call: () => void): void {
  try {
    call();
  } catch (err) {
    rethrow(err);
  }
}

/** Throw `err` from a fresh microtask: an uncaught error, as a throwing Node listener is. */
export function rethrow(err: unknown): void {
  queueMicrotask(() => {
    throw err;
  });
}

/** An address as the contract spells it (Bun's is already without brackets). */
export function inetAddress(address: string | undefined, port: number | undefined): RawAddress | undefined {
  if (address === undefined || address === "" || port === undefined) return undefined;
  return { address, family: address.includes(":") ? "IPv6" : "IPv4", port };
}
