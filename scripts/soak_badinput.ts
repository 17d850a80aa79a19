// `npm run soak:badinput`: the seeded bad-input differential's 6,000-case soak set
// (tests/badinput/soak.json, seeds 2-7) on Node 20, Node 24 (tsc output), Deno and Bun:
// tests/badinput_test.ts with OMNINET_BADINPUT=soak. Same rules as the npm test slice:
// every case matches node:net or differs exactly as tests/badinput/known_differences.json
// lists. Pass runtime names to run only those.
import { join } from "node:path";
import { root, run, runtimes } from "./_runtimes.ts";

const only = Deno.args.filter((a) => !a.startsWith("--"));
await run(join(root, "node_modules/.bin/tsc"), ["-p", "tsconfig.json"]);
let failed = 0;
for (const rt of runtimes()) {
  if (only.length > 0 && !only.includes(rt.name)) continue;
  const script = rt.compiled ? join(".build", "tests/badinput_test.js") : "tests/badinput_test.ts";
  const started = Date.now();
  const { code, stdout, stderr } = await new Deno.Command(rt.bin, {
    args: [...rt.args, script],
    cwd: root,
    env: { NO_COLOR: "1", OMNINET_RUNTIME: rt.name, OMNINET_BADINPUT: "soak" },
    stdout: "piped",
    stderr: "piped",
  }).output();
  const out = new TextDecoder().decode(stdout) + new TextDecoder().decode(stderr);
  const ok = code === 0 && /Passed:\s+(\d+)/.exec(out)?.[1] === /Total:\s+(\d+)/.exec(out)?.[1];
  const summary = /\S+: \d+ of \d+ cases match node:net[^\n]*/.exec(out)?.[0] ?? "";
  console.log(`${ok ? "ok  " : "FAIL"} ${rt.name.padEnd(6)} ${summary} (${Date.now() - started} ms)`);
  if (!ok) {
    failed++;
    console.log(out.trim());
  }
}
Deno.exit(failed ? 1 : 0);
