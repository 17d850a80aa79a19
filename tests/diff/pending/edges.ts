// deno-lint-ignore-file no-unused-vars verbatim-module-syntax
// PENDING (not registered, not run): scenarios of scenarios_edges.ts where omninet differs from
// node:net; each one is listed with its difference in README.md. Once fixed, move it back.
// Scenarios: edge cases of the socket and server API that Node's own test-net-* files
// pin down: calls after finish or close, option precedence, server option inheritance,
// late listeners, and calls with missing or odd arguments.
import type { NetLike, Recorder, Scenario, SocketLike } from "../_harness.ts";
import { serve, settle, snapshot } from "../_serve.ts";
import { idleSocket, logCb, quietServer, throwsScenario } from "../_kit.ts";

const SERVER_EVENTS = ["listening", "error", "close"];

async function connected(net: NetLike, rec: Recorder, port: number, label = "client"): Promise<SocketLike> {
  const s = net.connect(port, "127.0.0.1");
  rec.watch(label, s);
  await rec.next(s, "connect");
  return s;
}

export const pendingEdgeScenarios: Scenario[] = [];
