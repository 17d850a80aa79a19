// A call the re-entrancy guard (_reentry.ts) cannot make now, kept to make later: three
// slots of an array (its kind and two arguments), not a closure, so keeping one allocates
// nothing per call. This file knows the kinds of both directions and how to make a kept
// call; the guard decides when (a sink call waits while a core call is on the stack; a
// core call is held while accepting).
import type { ConnSink, RawConn, WriteDone } from "./contract.ts";

/** A `done` of the core's `shutdown`. */
export type Done = (err?: Error | null) => void;

// Sink calls (the adapter into the core).
export const CONNECT = 0;
export const DATA = 1;
export const END = 2;
export const ERROR = 3;
export const CLOSE = 4;
export const DONE = 5;
export const WRITTEN = 6;

// Core calls (the core into the adapter), held while accepting.
export const READ_START = 0;
export const READ_STOP = 1;
export const WRITE = 2;
export const SHUTDOWN = 3;
export const CLOSE_CALL = 4;
export const RESET = 5;
export const NO_DELAY = 6;
export const KEEP_ALIVE = 7;
export const REF = 8;
export const UNREF = 9;

/**
 * Make a core call on `conn`: every kind but WRITE and SHUTDOWN, whose `done` the guard
 * wraps itself.
 */
export function callConn(conn: RawConn, kind: number, a: unknown, b: unknown): void {
  switch (kind) {
    case READ_START:
      return conn.readStart();
    case READ_STOP:
      return conn.readStop();
    case CLOSE_CALL:
      return conn.close();
    case RESET:
      return conn.reset();
    case NO_DELAY:
      return conn.setNoDelay(a as boolean);
    case KEEP_ALIVE:
      return conn.setKeepAlive(a as boolean, b as number);
    case REF:
      return conn.ref();
    case UNREF:
      return conn.unref();
  }
}

/** Make a waiting sink call; once the core closed (`closed`), only `done`s and onClose. */
export function callSink(sink: ConnSink, closed: boolean, kind: number, a: unknown, b: unknown): void {
  switch (kind) {
    case CONNECT:
      if (!closed) sink.onConnect();
      return;
    case DATA:
      if (!closed) sink.onData(a as Uint8Array);
      return;
    case END:
      if (!closed) sink.onEnd();
      return;
    case ERROR:
      if (!closed) sink.onError(a as Error);
      return;
    case CLOSE:
      sink.onClose();
      return;
    case DONE:
      (a as Done)(b as Error | null | undefined);
      return;
    case WRITTEN: {
      const [err, accepted] = b as [Error | null | undefined, number];
      (a as WriteDone)(err, accepted);
      return;
    }
  }
}

/**
 * The waiting sink calls from `head` on that still reach the core once it closed: `done`s
 * and onClose; the rest is dropped.
 */
export function keptAfterClose(waiting: unknown[], head: number): unknown[] {
  const kept: unknown[] = [];
  for (let i = head; i < waiting.length; i += 3) {
    const kind = waiting[i];
    if (kind === DONE || kind === WRITTEN || kind === CLOSE) kept.push(kind, waiting[i + 1], waiting[i + 2]);
  }
  return kept;
}
