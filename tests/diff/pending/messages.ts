// deno-lint-ignore-file no-unused-vars verbatim-module-syntax
// PENDING (not registered, not run): scenarios of scenarios_messages.ts where omninet differs from
// node:net; each one is listed with its difference in README.md. Once fixed, move it back.
// Scenarios: how Node's error messages show the value they received (type names, long
// strings cut short, symbols, bigints, class instances, null prototypes, large numbers
// with separators), through the validators of setTimeout, connect and listen.
import type { Scenario } from "../_harness.ts";
import { idleSocket, throwsScenario } from "../_kit.ts";

class Custom {}

export const pendingMessageScenarios: Scenario[] = [];
