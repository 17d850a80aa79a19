// Address helpers shared by the adapters.
import type { Family } from "../../src/contract.ts";

/** The family of an IP address as the contract spells it: `"IPv6"` when it has a `:`. */
export function familyOf(address: string): Family {
  return address.includes(":") ? "IPv6" : "IPv4";
}
