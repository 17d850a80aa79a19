// Where omninet inside workerd cannot give node:net's trace, each with why and the exact
// trace it gives instead (checked, so a change either way is noticed). The scenario names
// are _scenarios.ts's; `<port>` is masked as in every trace.
import type { Traces } from "../diff/_harness.ts";

/** A documented difference: why, and the trace expected on workerd given node:net's. */
export interface KnownDifference {
  reason: string;
  expected(node: Traces): Traces;
}

const connected = ['connectionAttempt("127.0.0.1", <port>, 4)', "connect", "ready"];

export const knownDifferences: Record<string, KnownDifference> = {
  "a refused connect: error with Node's fields, close(true)": {
    reason: "workerd reports a refused port, a forbidden address and an unknown name with one " +
      "message, so the adapter says UNKNOWN (cause kept) rather than guess ECONNREFUSED",
    expected: (node) => ({
      client: node.client.map((line) =>
        line.replaceAll("ECONNREFUSED errno=-111", "UNKNOWN errno=-4094").replaceAll("ECONNREFUSED", "UNKNOWN")
      ),
    }),
  },
  "no allowHalfOpen: a write after 'end' fails with EPIPE": {
    reason: "workerd's process.nextTick is an ordinary microtask (Node drains the nextTick queue " +
      "first), so node:stream's automatic end() after 'end' comes after the scenario's queueMicrotask " +
      "write, which goes through; workerd's own node:net does the same",
    expected: () => ({
      client: [
        ...connected,
        'data(15 "hello from host")',
        "end",
        "write: true",
        "write callback(undefined)",
        "finish",
        "close(false)",
      ],
    }),
  },
  "write callbacks run in order, before 'finish'": {
    reason: "workerd's node:stream calls a write's callback with undefined (Node: null; checked on a " +
      "bare Writable) and, its nextTick being a microtask, runs the first one after 'ready'; " +
      "workerd's own node:net does the same (omninet calls the callbacks of a batch's accepted " +
      "chunks itself, with Node's null: cb2, cb3)",
    expected: () => ({
      client: [
        ...connected,
        "cb1(undefined)",
        "cb2(null)",
        "cb3(null)",
        "end callback",
        "finish",
        'data(string 2 "22")',
        "end",
        "close(false)",
      ],
    }),
  },
  "async iteration reads until the server's end": {
    reason: "leaving the for-await loop destroys the socket with an AbortError before its 'close' " +
      "under workerd's node:stream (not reproduced on a bare Duplex); workerd's own node:net does the same",
    expected: () => ({
      client: [
        "connect",
        "end",
        'error(<AbortError code=ABORT_ERR "The operation was aborted">)',
        'read "hello from host"',
        "close(true)",
      ],
    }),
  },
};
