// Where a runtime's node:stream behaves unlike Node's in a way a Socket's user sees, the
// Socket corrects it here (as _read.ts corrects Deno's and Bun's `read()`). Each correction
// is found out by trying the runtime's node:stream, or is a no-op where the runtime already
// behaves as Node: no runtime is named. Today both are for workerd's node:stream (Cloudflare
// Workers), whose write callbacks get `undefined` and whose `process.nextTick` is an
// ordinary microtask instead of a queue drained before the microtasks.
import { Duplex, Writable } from "node:stream";
import type { SocketCore } from "./_types.ts";

type Callback = (err?: Error | null) => void;

/**
 * Whether this runtime's Writable calls a write's callback with `null` on success, as
 * Node's does (`afterWrite` calls `cb(null)`); workerd's calls it with `undefined`. Found
 * out once: a write whose `_write` completes later calls back synchronously there.
 */
const writeCallbackGetsNull: boolean = (() => {
  let complete: Callback | undefined;
  let got: unknown = "not called";
  const probe = new Writable({ write: (_chunk, _encoding, cb) => complete = cb });
  probe.write("x", (err) => got = err);
  complete?.();
  return got === null || got === "not called";
})();

/**
 * `Duplex.prototype.write`, or where the runtime calls write callbacks with `undefined` on
 * success, the same with the callback given Node's `null`. Socket's `write` (and
 * `writeAfterFIN`, which Node has call Duplex's `write` directly) is this.
 */
export const duplexWrite: Duplex["write"] = writeCallbackGetsNull ? Duplex.prototype.write : function (
  this: Duplex,
  chunk: unknown,
  encoding?: unknown,
  cb?: unknown,
): boolean {
  if (typeof encoding === "function") [encoding, cb] = [undefined, encoding];
  const callback = typeof cb === "function" ? cb as Callback : undefined;
  const corrected = callback && ((err?: Error | null) => callback(err ?? null));
  // deno-lint-ignore no-explicit-any
  return (Duplex.prototype.write as any).call(this, chunk, encoding, corrected);
} as Duplex["write"];

/**
 * On `'end'` of a socket without `allowHalfOpen`: end the writable side before any microtask
 * a listener of this `'end'` queues, as Node does. Node ends it from `process.nextTick`
 * (node:stream's `endWritableNT`), which runs before every microtask, so a write made in a
 * microtask after `'end'` fails with EPIPE, and `for await` over the socket, once its loop
 * resumes (a promise), finds the socket finished and destroys it without an AbortError.
 * Where nextTick is itself a microtask (workerd) it would run after the listeners' ones:
 * this microtask, queued from the socket's first `'end'` listener, runs before them. Where
 * nextTick is Node's, the runtime has ended the socket already and this does nothing.
 */
export function endWritableAfterEnd(socket: SocketCore): void {
  queueMicrotask(() => {
    if (socket.writable && !socket.writableEnded) socket.end();
  });
}

/** Give Socket's prototype the corrected `write` where the runtime needs it. */
export function defineStreamCorrections(proto: Duplex): void {
  if (duplexWrite !== Duplex.prototype.write) {
    Object.defineProperty(proto, "write", { value: duplexWrite, writable: true, configurable: true });
  }
}
