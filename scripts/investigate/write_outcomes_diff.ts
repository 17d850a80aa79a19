// The write-outcome diff scenarios (tests/diff/scenarios_write_outcomes.ts) alone, one JSON
// trace a line: `--oracle` on node:net, `--memory` on the memory adapter, else omninet on
// the running runtime. Compare with: diff <(node24 … --oracle) <(deno run -A …)
import * as nodeNet from "node:net";
import dns from "node:dns";
import * as omni from "../../mod.ts";
import { createNet } from "../../mod.ts";
import { runScenario } from "../../tests/diff/scenarios.ts";
import { writeOutcomeScenarios } from "../../tests/diff/scenarios_write_outcomes.ts";
// deno-lint-ignore no-explicit-any
const g = globalThis as any;
const args: string[] = g.Deno?.args ?? g.process.argv;
const oracle = args.includes("--oracle");
const memory = args.includes("--memory");
const { createMemoryAdapter } = memory ? await import("../../adapters/memory/mod.ts") : { createMemoryAdapter: null! };
for (const sc of writeOutcomeScenarios) {
  const net = oracle ? nodeNet : memory
    ? createNet(
      createMemoryAdapter({ lookupFlags: { addrconfig: dns.ADDRCONFIG, v4mapped: dns.V4MAPPED, all: dns.ALL } }),
    )
    : omni;
  // deno-lint-ignore no-explicit-any
  const t = await runScenario(net as any, sc);
  console.log(JSON.stringify(t));
}
