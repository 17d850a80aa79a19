// Fails when the runtime-neutral core (src/, every folder below it) reaches a runtime
// directly: a Node built-in other than events, stream, buffer and timers, or a runtime
// global (`Deno`, `Bun`, `process`, `globalThis.X` for one of them). Platform facts come
// from the adapter (DESIGN.md, decision 1).
import { join, relative } from "node:path";
import { root } from "./_runtimes.ts";

const allowed = new Set(["node:events", "node:stream", "node:buffer", "node:timers"]);
const globals = /(?<![\w$.'"`])(Deno|Bun|process)\s*[.?[]|\bglobalThis\b/;
// The one module that keeps process-wide state (shared by the ESM and CommonJS copies of
// the npm package) under a registered symbol on globalThis; it names no runtime.
const globalThisAllowed = new Set(["src/_process_state.ts"]);

async function* walk(dir: string): AsyncGenerator<string> {
  for await (const entry of Deno.readDir(dir)) {
    const path = join(dir, entry.name);
    if (entry.isDirectory) yield* walk(path);
    else if (entry.isFile && entry.name.endsWith(".ts")) yield path;
  }
}

const problems: string[] = [];
let files = 0;
for await (const file of walk(join(root, "src"))) {
  files++;
  const path = relative(root, file);
  const lines = (await Deno.readTextFile(file)).split("\n");
  lines.forEach((line, i) => {
    if (/^\s*(\/?\*|\/\/)/.test(line)) return;
    const code = line.replace(/\/\/.*$/, "").replace(/(["'`])(?:\\.|(?!\1).)*\1/g, (s) => {
      // Keep import specifiers; blank other string literals (messages may name runtimes).
      return /^["']node:|^["']\./.test(s) ? s : '""';
    });
    if (globals.test(code) && !(globalThisAllowed.has(path) && !/\b(Deno|Bun|process)\b/.test(code))) {
      problems.push(`${path}:${i + 1}: reaches a runtime global: ${line.trim()}`);
    }
    for (const m of code.matchAll(/(?:from|import\(|require\()\s*["']([^"']+)["']/g)) {
      const spec = m[1];
      if (spec.startsWith(".")) continue;
      if (!allowed.has(spec)) problems.push(`${path}:${i + 1}: imports ${spec}`);
    }
  });
}

if (problems.length > 0) {
  console.error("src/ must stay runtime-neutral:\n" + problems.join("\n"));
  Deno.exit(1);
}
console.log(`check_neutral: ${files} files under src/ import only node:events, node:stream, node:buffer, node:timers`);
