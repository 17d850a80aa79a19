// Fails when the runtime-neutral core (src/) reaches a runtime directly: Deno.*, Bun.*,
// or a Node built-in other than events, stream, buffer and timers (see DESIGN.md, 1).
import { join } from "node:path";
import { root } from "./_runtimes.ts";

const allowed = new Set(["node:events", "node:stream", "node:buffer", "node:timers"]);
const problems: string[] = [];

async function* walk(dir: string): AsyncGenerator<string> {
  for await (const entry of Deno.readDir(join(root, dir))) {
    const path = `${dir}/${entry.name}`;
    if (entry.isDirectory) yield* walk(path);
    else if (entry.isFile && entry.name.endsWith(".ts")) yield path;
  }
}

for await (const path of walk("src")) {
  const lines = (await Deno.readTextFile(join(root, path))).split("\n");
  lines.forEach((line, i) => {
    const code = line.replace(/\/\/.*$/, "");
    if (/^\s*\*/.test(line)) return;
    if (/\b(Deno|Bun)\s*\./.test(code) || /globalThis\s*\.\s*(Deno|Bun)\b/.test(code)) {
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
console.log("check_neutral: src/ imports only node:events, node:stream, node:buffer, node:timers");
