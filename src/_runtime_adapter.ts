/**
 * The adapter the entry point chose for this process, resolved at first use.
 *
 * `src/api.ts` binds the public API to {@link runtimeAdapterProxy} when it is evaluated,
 * which is before any entry point's own code runs (it is one of their imports). The entry
 * point then names its adapter with {@link setRuntimeAdapter}: `mod.ts` a detector (Bun,
 * then Deno, then Node), the npm package's `runtime/bun.ts`, `runtime/deno.ts` and
 * `runtime/node.ts` (its `bun`, `deno` and `node` export conditions) their own adapter,
 * so that each runtime loads only the adapter it uses. The first connect, listen or
 * lookup resolves the choice once.
 *
 * @module
 */
import type { RuntimeAdapter } from "./contract.ts";

let pick: (() => RuntimeAdapter) | undefined;
let chosen: RuntimeAdapter | undefined;

/** Name the adapter for this process. The first entry point to call this wins. */
export function setRuntimeAdapter(choose: () => RuntimeAdapter): void {
  pick ??= choose;
}

/** The adapter for this process, resolved on the first call. */
export function runtimeAdapter(): RuntimeAdapter {
  if (chosen) return chosen;
  if (!pick) {
    throw new Error(
      "omninet: no runtime adapter was chosen: load omninet through an entry point (mod.ts, or the npm package's " +
        "exports); a bundler that drops it ignored the package's sideEffects",
    );
  }
  chosen = pick();
  return chosen;
}

/**
 * An adapter that forwards every member to {@link runtimeAdapter}. `Required<…>` makes
 * the compiler ask for a forwarder whenever the contract gains a member.
 */
export const runtimeAdapterProxy: Required<RuntimeAdapter> = {
  get name() {
    return runtimeAdapter().name;
  },
  get capabilities() {
    return runtimeAdapter().capabilities;
  },
  get platform() {
    return runtimeAdapter().platform;
  },
  emitWarning: (message, options) => runtimeAdapter().emitWarning(message, options),
  connect: (options, sink) => runtimeAdapter().connect(options, sink),
  listen: (options, sink) => runtimeAdapter().listen(options, sink),
  lookup: (hostname, options) => runtimeAdapter().lookup(hostname, options),
  // Present on the proxy whatever the adapter: check `runtimeAdapter().connectUpgradable`.
  connectUpgradable: (options, sink) => runtimeAdapter().connectUpgradable!(options, sink),
};
