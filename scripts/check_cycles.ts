// Fails when modules of the library (mod.ts, runtime/, src/, adapters/) import each other
// in a circle, type-only imports included: a loop is a knot a reader has to untangle
// even when the compiler erases it.
import { dirname, join, relative, resolve } from "node:path";
import { root } from "./_runtimes.ts";

const roots = ["mod.ts", "runtime", "src", "adapters"];

async function* walk(path: string): AsyncGenerator<string> {
  const info = await Deno.stat(path);
  if (info.isFile) {
    if (path.endsWith(".ts")) yield path;
    return;
  }
  for await (const entry of Deno.readDir(path)) yield* walk(join(path, entry.name));
}

const graph = new Map<string, string[]>();
for (const r of roots) {
  for await (const file of walk(join(root, r))) {
    const text = await Deno.readTextFile(file);
    const deps: string[] = [];
    for (const m of text.matchAll(/^\s*(?:import|export)\b[^;]*?\bfrom\s*["'](\.[^"']+)["']/gms)) {
      deps.push(resolve(dirname(file), m[1]));
    }
    graph.set(file, deps);
  }
}

// Tarjan's strongly connected components: any component of more than one module is a cycle.
let index = 0;
const indices = new Map<string, number>();
const low = new Map<string, number>();
const stack: string[] = [];
const onStack = new Set<string>();
const cycles: string[][] = [];

function connect(v: string): void {
  indices.set(v, index);
  low.set(v, index++);
  stack.push(v);
  onStack.add(v);
  for (const w of graph.get(v) ?? []) {
    if (!graph.has(w)) continue;
    if (!indices.has(w)) {
      connect(w);
      low.set(v, Math.min(low.get(v)!, low.get(w)!));
    } else if (onStack.has(w)) {
      low.set(v, Math.min(low.get(v)!, indices.get(w)!));
    }
  }
  if (low.get(v) === indices.get(v)) {
    const component: string[] = [];
    let w: string;
    do {
      w = stack.pop()!;
      onStack.delete(w);
      component.push(relative(root, w));
    } while (w !== v);
    if (component.length > 1) cycles.push(component.sort());
  }
}

for (const v of graph.keys()) if (!indices.has(v)) connect(v);

if (cycles.length > 0) {
  console.error("import cycles (each line is one group of modules that import each other):");
  for (const c of cycles) console.error("  " + c.join(" ↔ "));
  Deno.exit(1);
}
console.log(`check_cycles: ${graph.size} modules, no import cycle`);
