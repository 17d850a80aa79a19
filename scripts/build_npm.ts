// `deno task build:npm` / `npm run build`: the npm package `omninet`, built into npm/ from
// the Deno source with tsc (dnt's job; dnt itself is JSR-only). tsc compiles the public
// entry points and what they import, never tests or scripts, and rewrites `.ts` import
// specifiers to `.js` (`rewriteRelativeImportExtensions`); nothing rewrites source text.
//
//   npm/esm/     ES modules, `.d.ts` and source maps beside each file
//   npm/script/  CommonJS (its own package.json says so), `.d.ts` and source maps
//   npm/package.json, README.md, LICENSE
//
// The public subpaths are deno.json's `exports`. Entry `.` also has `bun`, `deno` and
// `node` export conditions leading to runtime/<name>.ts, which bind only that runtime's
// adapter (mod.ts detects the runtime and imports all three).
import { dirname, join } from "node:path";
import { root } from "./_runtimes.ts";

/** Where the package is built. */
export const npmDir: string = join(root, "npm");
/** Scratch space for generated configs (git-ignored). */
const scratchDir = join(root, ".build-npm");

/** Export conditions of `.` that pick a runtime-specific entry, checked in this order. */
const runtimeEntries: Record<string, string> = {
  bun: "./runtime/bun.ts",
  deno: "./runtime/deno.ts",
  node: "./runtime/node.ts",
};

interface DenoJson {
  name: string;
  version: string;
  license: string;
  exports: Record<string, string>;
}

/** The package's name, version and public subpaths (from deno.json). */
export async function readDenoJson(): Promise<DenoJson> {
  const config = JSON.parse(await Deno.readTextFile(join(root, "deno.json")));
  const exports = typeof config.exports === "string" ? { ".": config.exports } : config.exports;
  return { name: config.name, version: config.version, license: config.license, exports };
}

const toJs = (source: string) => source.replace(/^\.\//, "").replace(/\.ts$/, ".js");
const toDts = (source: string) => source.replace(/^\.\//, "").replace(/\.ts$/, ".d.ts");

function target(format: "esm" | "script", source: string) {
  return { types: `./${format}/${toDts(source)}`, default: `./${format}/${toJs(source)}` };
}

function dual(source: string) {
  return { import: target("esm", source), require: target("script", source) };
}

/** The generated npm/package.json. */
export function packageJson(deno: DenoJson): Record<string, unknown> {
  const exports: Record<string, unknown> = {};
  for (const [subpath, source] of Object.entries(deno.exports)) {
    if (subpath === ".") {
      const conditions: Record<string, unknown> = {};
      for (const [condition, entry] of Object.entries(runtimeEntries)) conditions[condition] = dual(entry);
      exports[subpath] = { ...conditions, ...dual(source) };
    } else {
      exports[subpath] = dual(source);
    }
  }
  exports["./package.json"] = "./package.json";
  const main = deno.exports["."];
  const runtimeFiles = Object.values(runtimeEntries).map(toJs);
  return {
    name: "omninet",
    version: deno.version,
    description:
      "Node's net module (Socket, Server, createServer, connect) as one runtime-neutral core: the same socket code on Node, Deno and Bun.",
    keywords: ["net", "socket", "tcp", "server", "node", "deno", "bun", "runtime-neutral"],
    license: deno.license,
    type: "module",
    main: `./script/${toJs(main)}`,
    module: `./esm/${toJs(main)}`,
    types: `./script/${toDts(main)}`,
    exports,
    // The entry points name the runtime adapter when evaluated (src/_runtime_adapter.ts),
    // so a bundler must keep them even when only re-exported names are used; every
    // other module is free of side effects.
    sideEffects: [
      `./esm/${toJs(main)}`,
      `./script/${toJs(main)}`,
      ...runtimeFiles.map((f) => `./esm/${f}`),
      ...runtimeFiles.map((f) => `./script/${f}`),
    ],
    engines: { node: ">=20" },
    files: ["esm/", "script/"],
  };
}

/** The tsc configuration for one output format; paths are absolute. */
export function tsconfig(format: "esm" | "script", entries: string[]): Record<string, unknown> {
  return {
    compilerOptions: {
      target: "ES2022",
      lib: ["ES2023", "DOM"],
      types: ["node"],
      typeRoots: [join(root, "node_modules/@types")],
      strict: true,
      skipLibCheck: true,
      noEmitOnError: true,
      rewriteRelativeImportExtensions: true,
      declaration: true,
      sourceMap: true,
      inlineSources: true,
      rootDir: root,
      outDir: join(npmDir, format),
      // ESM: the workspace package.json says "type": "module". CommonJS: classic
      // resolution also finds `./x.ts` imports once extensions are rewritten.
      ...(format === "esm"
        ? { module: "NodeNext", moduleResolution: "NodeNext" }
        : { module: "CommonJS", moduleResolution: "Node10", esModuleInterop: true }),
    },
    files: entries.map((e) => join(root, e)),
  };
}

/** The file paths at the leaves of an `exports` map. */
function leaves(value: unknown): string[] {
  if (typeof value === "string") return [value];
  if (value && typeof value === "object") return Object.values(value).flatMap(leaves);
  return [];
}

async function exists(path: string): Promise<boolean> {
  try {
    await Deno.lstat(path);
    return true;
  } catch {
    return false;
  }
}

async function tsc(configPath: string, label: string): Promise<void> {
  const { code, stdout, stderr } = await new Deno.Command(join(root, "node_modules/.bin/tsc"), {
    args: ["-p", configPath],
    cwd: root,
    stdout: "piped",
    stderr: "piped",
  }).output();
  if (code !== 0) {
    const text = new TextDecoder().decode(stdout) + new TextDecoder().decode(stderr);
    const hint = /Cannot find name '(Deno|Bun)'/.test(text)
      ? "\nhint: the npm build compiles with Node's types only; an adapter that uses the Deno or Bun global" +
        " must declare the members it uses locally (e.g. `declare const Deno: { ... }`)."
      : "";
    throw new Error(`tsc (${label}) failed with exit code ${code}:\n${text.trim()}${hint}`);
  }
}

/** Build npm/ from scratch; returns the generated package.json. */
export async function buildNpm(log: (line: string) => void = console.log): Promise<Record<string, unknown>> {
  const started = performance.now();
  const deno = await readDenoJson();
  const entries = [...new Set([...Object.values(deno.exports), ...Object.values(runtimeEntries)])];
  await Deno.remove(npmDir, { recursive: true }).catch(() => {});
  await Deno.mkdir(scratchDir, { recursive: true });

  const formats = ["esm", "script"] as const;
  await Promise.all(formats.map(async (format) => {
    const configPath = join(scratchDir, `tsconfig.${format}.json`);
    await Deno.writeTextFile(configPath, JSON.stringify(tsconfig(format, entries), null, 2) + "\n");
    await tsc(configPath, format);
  }));
  await Deno.writeTextFile(join(npmDir, "script/package.json"), JSON.stringify({ type: "commonjs" }, null, 2) + "\n");

  const pkg = packageJson(deno);
  await Deno.writeTextFile(join(npmDir, "package.json"), JSON.stringify(pkg, null, 2) + "\n");
  for (const file of ["LICENSE", "README.md"]) {
    if (await exists(join(root, file))) {
      await Deno.copyFile(join(root, file), join(npmDir, file));
    } else if (file === "LICENSE") {
      throw new Error("LICENSE is missing at the repository root");
    } else {
      log(`warning: ${file} is missing at the repository root; the package ships without it`);
    }
  }
  // Every file named in `exports` must exist.
  for (const path of leaves(pkg.exports)) {
    if (!(await exists(join(npmDir, path)))) throw new Error(`exports names ${path}, which was not built`);
  }
  log(
    `built ${pkg.name}@${pkg.version} into ${dirname(npmDir) === root ? "npm/" : npmDir} in ${
      Math.round(performance.now() - started)
    } ms`,
  );
  return pkg;
}

if (import.meta.main) {
  try {
    await buildNpm();
  } catch (err) {
    console.error(err instanceof Error ? err.message : err);
    Deno.exit(1);
  }
}
