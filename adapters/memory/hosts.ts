/**
 * The memory network's resolver: an IP literal resolves to itself, a name through the
 * network's hosts table (as `/etc/hosts` and nothing else), anything else fails with
 * `getaddrinfo ENOTFOUND`. The default table is {@link DEFAULT_HOSTS}, the one entry every
 * system has (`localhost` → `127.0.0.1`); whether `localhost` also has `::1` depends on
 * the machine's `/etc/hosts`, so it is the user's to add:
 * `createMemoryAdapter({ hosts: { localhost: ["127.0.0.1", "::1"] } })`.
 *
 * Family 4 or 6 picks that family's addresses; 0 gives all, in the table's order (Node's
 * default `verbatim` order). With the `v4mapped` hint, family 6 with no IPv6 address gives
 * the IPv4 ones as `::ffff:a.b.c.d` (with `all`, after the IPv6 ones), as glibc does;
 * `addrconfig` is ignored (the machine has both families on loopback).
 *
 * @module
 */
import { isIP } from "../../src/address/ip.ts";
import type { LookupAddress, LookupOptions } from "../../src/contract.ts";
import { hostNotFound } from "./errors.ts";

/** A hosts table: each name (case-insensitive) with its addresses, in order. */
export type HostsTable = Readonly<Record<string, readonly string[]>>;

/** The memory network's hosts table unless `createMemoryAdapter({ hosts })` gives one. */
export const DEFAULT_HOSTS: HostsTable = Object.freeze({ localhost: Object.freeze(["127.0.0.1"]) });

/** A resolver over `hosts`; throws a TypeError for an entry that is not an IP address. */
export function resolver(hosts: HostsTable): (hostname: string, options: LookupOptions) => Promise<LookupAddress[]> {
  const table = new Map<string, LookupAddress[]>();
  for (const [name, addresses] of Object.entries(hosts)) {
    const list = table.get(name.toLowerCase()) ?? [];
    for (const address of addresses) {
      const family = isIP(address);
      if (family === 0) throw new TypeError(`hosts: ${JSON.stringify(address)} (for ${name}) is not an IP address`);
      list.push({ address, family: family as 4 | 6 });
    }
    table.set(name.toLowerCase(), list);
  }
  return (hostname, { family, hints }) => {
    const literal = isIP(hostname);
    if (literal !== 0) return Promise.resolve([{ address: hostname, family: literal as 4 | 6 }]);
    const all = table.get(hostname.toLowerCase()) ?? [];
    let found = family === 0 ? all : all.filter((a) => a.family === family);
    if (family === 6 && hints.v4mapped && (found.length === 0 || hints.all)) {
      const mapped = all.filter((a) => a.family === 4).map((a): LookupAddress => ({
        address: `::ffff:${a.address}`,
        family: 6,
      }));
      found = [...found, ...mapped];
    }
    return found.length > 0 ? Promise.resolve(found.map((a) => ({ ...a }))) : Promise.reject(hostNotFound(hostname));
  };
}
