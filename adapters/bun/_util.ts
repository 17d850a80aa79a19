// Small helpers shared by the Bun adapter's connection and listener.

/**
 * Call into the core from a Bun handler or a deferred microtask. An exception there (a
 * user's listener threw) is rethrown on its own, as an uncaught error as in Node, instead
 * of cutting the adapter's bookkeeping short.
 */
export function deliver(call: () => void): void {
  try {
    call();
  } catch (err) {
    queueMicrotask(() => {
      throw err;
    });
  }
}
