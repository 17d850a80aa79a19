// Where each runtime's executable lives, for the test runner, demo and benchmarks.
// Node 20 is the machine's own node; Node 24, Deno and Bun come from node_modules.
import { existsSync } from "node:fs";
import { delimiter, join, resolve } from "node:path";

export const root: string = resolve(import.meta.dirname ?? ".", "..");

/** The benchmarks' and profilers' executables: Node 24 (the reference), Deno and Bun. */
export const BENCH_BINS: { node: string; deno: string; bun: string } = {
  node: join(root, "node_modules/node24/bin/node"),
  deno: join(root, "node_modules/.bin/deno"),
  bun: join(root, "node_modules/.bin/bun"),
};

/** One runtime that can run the suite. */
export interface Runtime {
  /** Label in reports: node20, node24, deno, bun. */
  name: string;
  /** Executable path. */
  bin: string;
  /** Arguments before the script path. */
  args: string[];
  /** Runs the tsc output (`.build/…js`) rather than the TypeScript source. */
  compiled: boolean;
}

function systemNode(): string {
  const fromNpm = Deno.env.get("npm_node_execpath");
  if (fromNpm && !fromNpm.includes("node_modules")) return fromNpm;
  for (const dir of (Deno.env.get("PATH") ?? "").split(delimiter)) {
    if (dir.includes("node_modules")) continue;
    const candidate = join(dir, "node");
    if (existsSync(candidate)) return candidate;
  }
  throw new Error("no system node found on PATH");
}

/** Every runtime the suite runs on, in report order. */
export function runtimes(): Runtime[] {
  return [
    { name: "node20", bin: systemNode(), args: [], compiled: true },
    { name: "node24", bin: join(root, "node_modules/node24/bin/node"), args: [], compiled: true },
    { name: "deno", bin: join(root, "node_modules/.bin/deno"), args: ["run", "-A"], compiled: false },
    { name: "bun", bin: join(root, "node_modules/.bin/bun"), args: ["run"], compiled: false },
  ];
}

/** Run a command, inheriting output; throws on failure. */
export async function run(bin: string, args: string[], label = `${bin} ${args.join(" ")}`): Promise<void> {
  const { code } = await new Deno.Command(bin, { args, cwd: root, stdout: "inherit", stderr: "inherit" }).output();
  if (code !== 0) throw new Error(`${label} failed with exit code ${code}`);
}
