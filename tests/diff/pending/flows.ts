// deno-lint-ignore-file no-unused-vars verbatim-module-syntax
// PENDING (not registered, not run): scenarios of scenarios_flows.ts where omninet differs from
// node:net; each one is listed with its difference in README.md. Once fixed, move it back.
// Scenarios: conversations and call sequences that Node's own test-net-* files pin down
// (ping-pong, reconnect from 'close', end right after a failing lookup, calls on a
// destroyed socket, encoding switched mid-stream, destroy inside listeners, server
// calls inside 'connection').
import process from "node:process";
import type { Scenario, SocketLike } from "../_harness.ts";
import { serve, serveEcho, settle, snapshot } from "../_serve.ts";
import { logCb, quietServer } from "../_kit.ts";

type LookupCb = (...args: unknown[]) => void;

export const pendingFlowScenarios: Scenario[] = [];
