// The differential check on every runtime: each scenario in tests/diff/ runs on omninet
// over the runtime's adapter and its per-socket event trace must equal node:net's,
// recorded on Node 24 in tests/diff/expected.json (scripts/record_traces.ts;
// tests/oracle/diff_oracle_test.ts keeps that fixture honest against the live node:net).
import net, { detectAdapter } from "../mod.ts";
import type { NetLike } from "./diff/scenarios.ts";
import { diffSuite } from "./diff/_suite.ts";
import { runtime } from "./_util.ts";

diffSuite(`diff: omninet on ${runtime}`, detectAdapter(), () => net as unknown as NetLike);
