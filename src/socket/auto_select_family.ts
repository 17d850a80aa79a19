/**
 * Happy Eyeballs defaults (`net.getDefaultAutoSelectFamily` and friends), process-wide
 * as in Node.
 *
 * @module
 */
import { validateBoolean, validateInt32 } from "../errors/validators.ts";
import { processState } from "../_process_state.ts";

/** The current defaults, read by every connect; one object per process, however many copies of omninet it loads. */
export const autoSelectFamilyDefaults: { enabled: boolean; attemptTimeout: number } = processState(
  "autoSelectFamilyDefaults",
  () => ({ enabled: true, attemptTimeout: 250 }),
);

/**
 * Whether `connect()` uses Happy Eyeballs when `autoSelectFamily` is not given.
 *
 * @example
 * ```ts
 * import { getDefaultAutoSelectFamily } from "@omninet/net";
 * console.log(getDefaultAutoSelectFamily()); // true
 * ```
 */
export function getDefaultAutoSelectFamily(): boolean {
  return autoSelectFamilyDefaults.enabled;
}

/**
 * Set the default of `autoSelectFamily`.
 *
 * @example
 * ```ts
 * import { setDefaultAutoSelectFamily } from "@omninet/net";
 * setDefaultAutoSelectFamily(false);
 * ```
 */
export function setDefaultAutoSelectFamily(value: boolean): void {
  validateBoolean(value, "value");
  autoSelectFamilyDefaults.enabled = value;
}

/**
 * The default per-attempt timeout of Happy Eyeballs, in milliseconds.
 *
 * @example
 * ```ts
 * import { getDefaultAutoSelectFamilyAttemptTimeout } from "@omninet/net";
 * console.log(getDefaultAutoSelectFamilyAttemptTimeout()); // 250
 * ```
 */
export function getDefaultAutoSelectFamilyAttemptTimeout(): number {
  return autoSelectFamilyDefaults.attemptTimeout;
}

/**
 * Set the default per-attempt timeout (values below 10 become 10, as in Node).
 *
 * @example
 * ```ts
 * import { setDefaultAutoSelectFamilyAttemptTimeout } from "@omninet/net";
 * setDefaultAutoSelectFamilyAttemptTimeout(100);
 * ```
 */
export function setDefaultAutoSelectFamilyAttemptTimeout(value: number): void {
  validateInt32(value, "value", 1);
  autoSelectFamilyDefaults.attemptTimeout = value < 10 ? 10 : value;
}
