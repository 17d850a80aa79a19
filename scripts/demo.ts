// `npm run demo`: the same echo program (scripts/demo/echo.ts) on Node 20, Node 24, Deno
// and Bun. Node runs the tsc output; Deno and Bun run the TypeScript source.
import { join } from "node:path";
import { root, run, runtimes } from "./_runtimes.ts";

await run(join(root, "node_modules/.bin/tsc"), ["-p", "tsconfig.json"], "tsc");
let failed = 0;
for (const rt of runtimes()) {
  const script = rt.compiled ? ".build/scripts/demo/echo.js" : "scripts/demo/echo.ts";
  console.log(`\n${rt.name}:`);
  try {
    await run(rt.bin, [...rt.args, script], rt.name);
  } catch (err) {
    failed++;
    console.log(`  ${(err as Error).message}`);
  }
}
console.log(failed ? `\n${failed} runtime(s) failed` : "\nthe echo worked on every runtime");
Deno.exit(failed ? 1 : 0);
