/**
 * State that Node keeps once per process, kept once per process here even when a process
 * loads two copies of omninet: the npm package's ES module and CommonJS builds, when one
 * part of an app imports it and another requires it. Each copy finds the same object under
 * a registered symbol on `globalThis`.
 *
 * The only module of the core that touches `globalThis` (the one file a neutrality check
 * should allow to). The object's shape is part of the package's contract with its other
 * copies, which may be other versions: add fields, never rename or retype one.
 *
 * @module
 */

/**
 * The process-wide object named `name`, made by `init` in the first copy that asks.
 *
 * @example
 * ```ts
 * import { processState } from "./_process_state.ts";
 * const a = processState("example", () => ({ count: 0 }));
 * const b = processState("example", () => ({ count: 0 }));
 * a === b; // true
 * ```
 */
export function processState<T extends object>(name: string, init: () => T): T {
  const key = Symbol.for(`omninet.${name}`);
  const store = globalThis as unknown as Record<symbol, T | undefined>;
  const existing = store[key];
  if (existing !== undefined) return existing;
  const state = init();
  Object.defineProperty(globalThis, key, { value: state, enumerable: false, writable: false, configurable: false });
  return state;
}
