// Calls from an adapter into the core, shared by every adapter: an exception thrown there
// (a user's listener threw) surfaces as an uncaught error, as a throwing Node listener
// does, instead of cutting the adapter's bookkeeping short or passing for a socket error.

/** Call into the core; an exception there is rethrown from a fresh microtask. */
export function deliver(call: () => void): void {
  try {
    call();
  } catch (err) {
    rethrow(err);
  }
}

/**
 * `deliver` for a write's or shutdown's `done`, without a closure; `accepted` is a
 * write's count of chunks accepted (see the contract's `WriteDone`).
 */
export function callDone(
  done: (err: Error | null | undefined, accepted: number) => void,
  err: Error | null | undefined,
  accepted = 0,
): void {
  try {
    done(err, accepted);
  } catch (e) {
    rethrow(e);
  }
}

/** Throw `err` from a fresh microtask: an uncaught error, as a throwing Node listener is. */
export function rethrow(err: unknown): void {
  queueMicrotask(() => {
    throw err;
  });
}
