/**
 * Every differential scenario, in a fixed order. Each one drives a `node:net`-shaped API
 * and records per-socket traces; `expected.json` holds node:net's traces on Node 24.
 *
 * @module
 */
import type { Scenario } from "./_harness.ts";
import { connectScenarios } from "./scenarios_connect.ts";
import { lifecycleScenarios } from "./scenarios_lifecycle.ts";
import { ioScenarios } from "./scenarios_io.ts";
import { miscScenarios } from "./scenarios_misc.ts";
import { serverScenarios } from "./server_scenarios.ts";
import { errorScenarios } from "./scenarios_errors.ts";
import { socketApiScenarios } from "./scenarios_socket_api.ts";
import { eventScenarios } from "./scenarios_events.ts";
import { serverApiScenarios } from "./scenarios_server_api.ts";
import { pipeScenarios } from "./scenarios_pipe.ts";
import { edgeScenarios } from "./scenarios_edges.ts";
import { flowScenarios } from "./scenarios_flows.ts";
import { formScenarios } from "./scenarios_forms.ts";
import { optionScenarios } from "./scenarios_options.ts";
import { streamScenarios } from "./scenarios_stream.ts";
import { messageScenarios } from "./scenarios_messages.ts";
import { familyScenarios } from "./scenarios_families.ts";
import { readingScenarios } from "./scenarios_reading.ts";
import { writeOutcomeScenarios } from "./scenarios_write_outcomes.ts";
import { memoryKernelScenarios } from "./scenarios_memory_kernel.ts";
import { readAheadScenarios } from "./scenarios_read_ahead.ts";
import { bunFidelityScenarios } from "./scenarios_bun_fidelity.ts";
import { writeSyncScenarios } from "./scenarios_write_sync.ts";
import { acceptWriteScenarios } from "./scenarios_accept_write.ts";
import { denoHandlesScenarios } from "./scenarios_deno_handles.ts";

export type { NetLike, Scenario, Traces } from "./_harness.ts";
export { runScenario } from "./_harness.ts";

/** All scenarios. Names are unique. */
export const scenarios: Scenario[] = [
  ...connectScenarios,
  ...lifecycleScenarios,
  ...ioScenarios,
  ...miscScenarios,
  ...serverScenarios,
  ...errorScenarios,
  ...socketApiScenarios,
  ...eventScenarios,
  ...serverApiScenarios,
  ...pipeScenarios,
  ...edgeScenarios,
  ...flowScenarios,
  ...formScenarios,
  ...optionScenarios,
  ...streamScenarios,
  ...messageScenarios,
  ...familyScenarios,
  ...readingScenarios,
  ...writeOutcomeScenarios,
  ...memoryKernelScenarios,
  ...readAheadScenarios,
  ...bunFidelityScenarios,
  ...writeSyncScenarios,
  ...acceptWriteScenarios,
  ...denoHandlesScenarios,
];
