// Small helpers shared by the Deno adapter's connection and listener (those shared with
// other adapters are in ../_shared/).
import type { RawAddress } from "../../src/contract.ts";
import { familyOf } from "../_shared/address.ts";
import type { DenoAddr } from "./_deno_api.ts";

export { callDone, deliver, rethrow } from "../_shared/deliver.ts";

/** Deno's address as the contract spells it: IPv6 without brackets, `{ path }` for Unix. */
export function toRawAddress(addr: DenoAddr): RawAddress {
  if (addr.transport === "unix") return { path: addr.path ?? "" };
  const address = addr.hostname!;
  return { address, family: familyOf(address), port: addr.port! };
}
