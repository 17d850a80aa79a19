// Small helpers shared by the Deno adapter's connection and listener.
import type { RawAddress } from "../../src/contract.ts";
import type { DenoAddr } from "./_deno_api.ts";

/**
 * Call into the core from a loop of ours. An exception there (a user's listener threw)
 * is rethrown on its own, as an uncaught error, instead of killing the loop or passing
 * for a socket error.
 */
export function deliver(call: () => void): void {
  try {
    call();
  } catch (err) {
    rethrow(err);
  }
}

/** `deliver` for a write's `done`, without a closure. */
export function callDone(done: (err?: Error | null) => void, err: Error | undefined): void {
  try {
    done(err);
  } catch (e) {
    rethrow(e);
  }
}

/** Throw `err` from a fresh microtask: an uncaught error, as a throwing Node listener is. */
export function rethrow(err: unknown): void {
  queueMicrotask(() => {
    throw err;
  });
}

/** Deno's address as the contract spells it: IPv6 without brackets, `{ path }` for Unix. */
export function toRawAddress(addr: DenoAddr): RawAddress {
  if (addr.transport === "unix") return { path: addr.path ?? "" };
  const address = addr.hostname!;
  return { address, family: address.includes(":") ? "IPv6" : "IPv4", port: addr.port! };
}
