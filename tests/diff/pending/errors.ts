// deno-lint-ignore-file no-unused-vars verbatim-module-syntax
// PENDING (not registered, not run): scenarios of scenarios_errors.ts where omninet differs from
// node:net; each one is listed with its difference in README.md. Once fixed, move it back.
// Scenarios: synchronous argument errors of net.connect(), net.Socket, its methods,
// net.createServer() and server.listen(): the exact Node error code and message.
import { Buffer } from "node:buffer";
import type { Scenario } from "../_harness.ts";
import { idleSocket, throwsScenario } from "../_kit.ts";

const fn = () => {};

export const pendingErrorScenarios: Scenario[] = [
  throwsScenario("errors: setEncoding values", (net) => [
    ["setEncoding(1)", () => idleSocket(net).setEncoding(1)],
    ["setEncoding('UTF8')", () => idleSocket(net).setEncoding("UTF8")],
    ["setEncoding('')", () => idleSocket(net).setEncoding("")],
  ]),
];
