// Where omninet inside workerd cannot give node:net's trace, each with why and the exact
// trace it gives instead (checked, so a change either way is noticed). The scenario names
// are _scenarios.ts's; `<port>` is masked as in every trace.
import type { Traces } from "../diff/_harness.ts";

/** A documented difference: why, and the trace expected on workerd given node:net's. */
export interface KnownDifference {
  reason: string;
  expected(node: Traces): Traces;
}

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
};
