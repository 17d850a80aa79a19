// Name resolution for connect(): the adapter's lookup behind the `dns.lookup` callback
// shape a user `lookup` option has, with dns.lookup's own argument checks and defaults.
import type { LookupFunction, SocketCore as Socket } from "./_types.ts";
import type { LookupAddress, LookupFlags, LookupHints, RuntimeAdapter } from "../contract.ts";
import { kAdapter } from "../_symbols.ts";
import { ERR_INVALID_ARG_VALUE } from "../errors/errors.ts";
import { validateNumber, validateOneOf } from "../errors/validators.ts";
import { systemError } from "../errors/system_errors.ts";

/**
 * Node's default hints for a connect without a family, as the number a user `lookup`
 * gets: `dns.ADDRCONFIG` (none on Windows), in the adapter's runtime's numbers.
 */
export function defaultLookupHints(adapter: RuntimeAdapter): number {
  return hintsToNumber(adapter.platform.defaultLookupHints, adapter.platform.lookupFlags);
}

function hintsToNumber(hints: LookupHints, flags: LookupFlags): number {
  return (hints.addrconfig ? flags.addrconfig : 0) | (hints.v4mapped ? flags.v4mapped : 0) |
    (hints.all ? flags.all : 0);
}

/**
 * `dns.lookup` over the socket's adapter. Validates `family` and `hints` as dns.lookup
 * does, synchronously, so bad values throw from connect() exactly as in Node.
 */
export function adapterLookup(socket: Socket): LookupFunction {
  const adapter = socket[kAdapter];
  return (hostname, options, callback) => {
    const hints: LookupHints = {};
    let family: 0 | 4 | 6 = 0;
    if (options.hints != null) {
      validateNumber(options.hints, "options.hints");
      // The user's number is in the runtime's own `dns` constants; unknown bits are refused.
      const bits = options.hints >>> 0;
      const flags = adapter.platform.lookupFlags;
      if ((bits & ~(flags.addrconfig | flags.all | flags.v4mapped)) !== 0) throw ERR_INVALID_ARG_VALUE("hints", bits);
      if (bits & flags.addrconfig) hints.addrconfig = true;
      if (bits & flags.v4mapped) hints.v4mapped = true;
      if (bits & flags.all) hints.all = true;
    }
    if (options.family != null) {
      if (options.family === "IPv4") family = 4;
      else if (options.family === "IPv6") family = 6;
      else {
        validateOneOf(options.family, "options.family", [0, 4, 6]);
        family = options.family as 0 | 4 | 6;
      }
    }
    resolveName(adapter, hostname, family, hints).then(
      (addresses) => {
        if (options.all) callback(null, addresses);
        else if (addresses.length === 0) callback(null, undefined as unknown as string);
        else callback(null, addresses[0].address, addresses[0].family);
      },
      (err) => callback(err, undefined as unknown as string),
    );
  };
}

/**
 * The adapter's lookup as Node's `getaddrinfo` sees the name: a C string, so it ends at the
 * first NUL (`"localhost\0x"` resolves localhost), and at most 255 bytes once in ASCII
 * (libuv's IDNA buffer): an empty or longer name fails with `getaddrinfo EINVAL`. Errors
 * name the hostname as given.
 */
export function resolveName(
  adapter: RuntimeAdapter,
  hostname: string,
  family: 0 | 4 | 6,
  hints: LookupHints,
): Promise<LookupAddress[]> {
  const nul = hostname.indexOf("\0");
  const name = nul === -1 ? hostname : hostname.slice(0, nul);
  // Punycode keeps every ASCII character, so their count is a lower bound of the length.
  let ascii = 0;
  for (let i = 0; i < name.length; i++) if (name.charCodeAt(i) < 0x80) ascii++;
  if (name === "" || ascii > 255) {
    return Promise.reject(systemError(adapter.platform, "EINVAL", "getaddrinfo", { hostname }));
  }
  if (name === hostname) return adapter.lookup(hostname, { family, hints });
  return adapter.lookup(name, { family, hints }).catch((err: Error & { hostname?: string; syscall?: string }) => {
    if (err.hostname !== name || typeof err.syscall !== "string") throw err;
    const old = err.message;
    err.hostname = hostname;
    err.message = `${err.syscall} ${(err as { code?: string }).code} ${hostname}`;
    if (typeof err.stack === "string") err.stack = err.stack.replace(old, err.message);
    throw err;
  });
}
