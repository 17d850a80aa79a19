// The differential scenarios on Deno's opt-in handles transport (`handlesAdapter`), which
// the default Deno run (Deno.connect) does not exercise. Every scenario must match
// node:net's trace but the few listed in DENO_DIFFERS, each a behaviour of Deno's handles
// that no adapter can change (scripts/investigate/deno_tcp_wrap.md, and the probe named);
// a listed one that matches now must leave the list. Deno only (tests/deno/ runs there
// alone): elsewhere the handles do not exist.
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { handlesAdapter } from "../../adapters/deno/mod.ts";
import { createNet } from "../../src/net.ts";
import { type NetLike, runScenario, scenarios } from "../diff/scenarios.ts";
import { readExpected } from "../diff/_fixture.ts";

/** Accept-time writes: Deno's poll has no write readiness for a just-accepted socket. */
const ACCEPT_WRITE = "Deno queues a write on a just-accepted handle until its poll has the socket " +
  "(a timer turn): it cannot complete inside write() (deno_tcp_wrap_accept_write.ts)";

/** Scenario name → why Deno's handles cannot give node:net's trace. */
export const DENO_DIFFERS: Record<string, string> = {
  "fidelity: TCP: writes waiting when the peer ends and closes unread fail with EPIPE, before 'error'":
    "Deno fails every queued write with EPIPE once the socket read EOF (a MSG_PEEK in its poll loop), " +
    "though the peer only half-closed: the writes fail before 'end' (deno_write_fail_probe.ts)",
  "accept write: write(65537 B) in 'connection' returns true, nothing queued, no 'drain'": ACCEPT_WRITE,
  "accept write: two 65537 B writes in 'connection' both complete inside write()": ACCEPT_WRITE,
  "accept write: end(65537 B) in 'connection' leaves nothing queued": ACCEPT_WRITE,
  "accept write: setNoDelay and setKeepAlive, then write(65537 B) in 'connection': true": ACCEPT_WRITE,
  "accept write: write then destroy() in 'connection': nothing left queued, the bytes arrive": ACCEPT_WRITE,
  "accept write: a pauseOnConnect socket takes write(65537 B) in 'connection' at once": ACCEPT_WRITE,
  "accept write: Unix socket, write(65537 B) in 'connection' returns true, no 'drain'": ACCEPT_WRITE,
};

const test = suite("diff on Deno's handles (handlesAdapter) against node:net");

const expected = readExpected();
test("every listed difference names a scenario", () => {
  const names = new Set(scenarios.map((s) => s.name));
  assert.equal(Object.keys(DENO_DIFFERS).filter((n) => !names.has(n)), []);
});
for (const scenario of scenarios) {
  // What the handles lack is checked by tests/diff_test.ts where it is the default.
  if ((scenario.needs ?? []).some((cap) => !handlesAdapter.capabilities[cap])) continue;
  const differs = DENO_DIFFERS[scenario.name];
  test(scenario.name, async () => {
    const traces = await runScenario(createNet(handlesAdapter) as unknown as NetLike, scenario);
    const want = expected.scenarios[scenario.name];
    if (differs === undefined) assert.equal(traces, want, "omninet's trace differs from node:net's");
    else assert.not.equal(traces, want, `now matches node:net: remove it from DENO_DIFFERS (${differs})`);
  });
}

test.run();
