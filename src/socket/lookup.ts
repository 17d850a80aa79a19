// Name resolution for connect(): the adapter's lookup behind the `dns.lookup` callback
// shape a user `lookup` option has, with dns.lookup's own argument checks and defaults.
import type { LookupFunction, SocketCore as Socket } from "./_types.ts";
import { kAdapter } from "../_symbols.ts";
import { ERR_INVALID_ARG_VALUE } from "../errors/errors.ts";
import { validateNumber, validateOneOf } from "../errors/validators.ts";

const platform = (globalThis as { process?: { platform?: string } }).process?.platform;
const linux = platform === "linux" || platform === "android";
/** The platform's getaddrinfo flags, as `dns.ADDRCONFIG`, `dns.ALL`, `dns.V4MAPPED`. */
const AI = linux ? { ADDRCONFIG: 0x20, ALL: 0x10, V4MAPPED: 0x8 } : { ADDRCONFIG: 0x400, ALL: 0x100, V4MAPPED: 0x800 };

/**
 * Node's default hints for a connect without a family: `dns.ADDRCONFIG` (none on
 * Windows).
 */
export function defaultLookupHints(): number {
  return platform === "win32" ? 0 : AI.ADDRCONFIG;
}

/**
 * `dns.lookup` over the socket's adapter. Validates `family` and `hints` as dns.lookup
 * does, synchronously, so bad values throw from connect() exactly as in Node.
 */
export function adapterLookup(socket: Socket): LookupFunction {
  const adapter = socket[kAdapter];
  return (hostname, options, callback) => {
    let hints = 0;
    let family: 0 | 4 | 6 = 0;
    if (options.hints != null) {
      validateNumber(options.hints, "options.hints");
      hints = options.hints >>> 0;
      if ((hints & ~(AI.ADDRCONFIG | AI.ALL | AI.V4MAPPED)) !== 0) throw ERR_INVALID_ARG_VALUE("hints", hints);
    }
    if (options.family != null) {
      if (options.family === "IPv4") family = 4;
      else if (options.family === "IPv6") family = 6;
      else {
        validateOneOf(options.family, "options.family", [0, 4, 6]);
        family = options.family as 0 | 4 | 6;
      }
    }
    adapter.lookup(hostname, { family, hints }).then(
      (addresses) => {
        if (options.all) callback(null, addresses);
        else if (addresses.length === 0) callback(null, undefined as unknown as string);
        else callback(null, addresses[0].address, addresses[0].family);
      },
      (err) => callback(err, undefined as unknown as string),
    );
  };
}
