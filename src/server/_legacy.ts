// Node's underscore members of net.Server that code in the wild reads or calls, defined on
// the prototype here so the class shows only the documented API. They answer from the
// server's Binding as Node's do in the same phase (tests/surface_test.ts checks them).
import type { RawListener, RuntimeAdapter } from "../contract.ts";
import { kAdapter } from "../_symbols.ts";
import { ERR_FEATURE_UNAVAILABLE_ON_PLATFORM } from "../errors/errors.ts";
import type { Binding } from "./_binding.ts";

/** What the legacy members reach on a server. */
interface LegacyServer {
  readonly [kAdapter]: RuntimeAdapter;
}

/** Install the legacy members on `proto` (Server.prototype); `bindingOf` reads a server's Binding. */
export function defineLegacyServerMembers<S extends LegacyServer>(proto: S, bindingOf: (server: S) => Binding): void {
  const unavailable = (what: string) =>
    function (this: S): never {
      throw ERR_FEATURE_UNAVAILABLE_ON_PLATFORM(what, this[kAdapter].name);
    };
  Object.defineProperties(proto, {
    // The listening handle while bound, else null.
    _handle: {
      get(this: S): RawListener | null {
        const binding = bindingOf(this);
        return binding.bound ? binding.listener : null;
      },
      configurable: true,
    },
    // `unref()` was called last (not `ref()`).
    _unref: {
      get(this: S): boolean {
        return bindingOf(this).unref;
      },
      configurable: true,
    },
    // `"<family>:<address>:<port>"` as the server was asked to bind (`"6::::0"`,
    // `"4:127.0.0.1:8080"`), `"-1:<path>:-1"` for a pipe; undefined before.
    _connectionKey: {
      get(this: S): string | undefined {
        return bindingOf(this).connectionKey;
      },
      configurable: true,
    },
    // Node's listen step over a native handle and its cluster hook: neither exists here.
    _listen2: { value: unavailable("server._listen2()"), writable: true, configurable: true },
    _setupWorker: { value: unavailable("server._setupWorker()"), writable: true, configurable: true },
  });
}
