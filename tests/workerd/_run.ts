// Runs client scenarios on one `net` and returns their traces: shared by the oracle on the
// host (_host.ts) and the Worker (_worker.ts).
import { bounded, type NetLike, Recorder, type Traces } from "../diff/_harness.ts";
import type { ClientScenario, ServerKind } from "./_scenarios.ts";

/** Host server ports by kind. */
export type Ports = Record<ServerKind, number>;

/** One scenario's traces, by scenario name. */
export type Results = Record<string, Traces>;

/** Run one scenario against the host's server for it. */
export async function runClientScenario(net: NetLike, scenario: ClientScenario, ports: Ports): Promise<Traces> {
  const rec = new Recorder();
  const port = ports[scenario.server];
  rec.addMask(port, "<port>");
  let failed = false;
  try {
    await bounded(scenario.run(net, rec, port), `scenario "${scenario.name}"`, 10_000);
  } catch (err) {
    failed = true;
    rec.log("harness", `failed: ${err instanceof Error ? err.message : String(err)}`);
  } finally {
    rec.cleanup(failed);
  }
  const sorted: Traces = {};
  for (const label of Object.keys(rec.traces).sort()) sorted[label] = rec.traces[label];
  return sorted;
}

/** Run `scenarios` one after the other. */
export async function runClientScenarios(
  net: NetLike,
  scenarios: ClientScenario[],
  ports: Ports,
): Promise<Results> {
  const out: Results = {};
  for (const s of scenarios) out[s.name] = await runClientScenario(net, s, ports);
  return out;
}
