// Small helpers shared by the Bun adapter's connection and listener (those shared with
// other adapters are in ../_shared/).
import type { RawAddress } from "../../src/contract.ts";
import { familyOf } from "../_shared/address.ts";

export { deliver, rethrow } from "../_shared/deliver.ts";

/** An address as the contract spells it (Bun's is already without brackets). */
export function inetAddress(address: string | undefined, port: number | undefined): RawAddress | undefined {
  if (address === undefined || address === "" || port === undefined) return undefined;
  return { address, family: familyOf(address), port };
}
