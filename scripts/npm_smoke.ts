// `deno task smoke:npm`: the npm package as a consumer meets it. `npm pack` the build into
// a temporary directory, install the tarball into a fresh project there, then:
//   - import "omninet" (ESM) and require("omninet") (CommonJS) on Node 20 and Node 24,
//   - the same installed package under Bun and under Deno (node_modules, bare specifier),
//   - `tsc --noEmit` on TypeScript consumers (nodenext ESM and CJS, and bundler resolution),
//   - a `bun build` bundle run on Node (the entry point must survive tree shaking),
// where each program runs an echo over 127.0.0.1 and prints what crossed the wire and which
// adapter the export conditions picked; the output is asserted exactly. The temporary
// directory is removed afterwards. Flags: --no-build (use npm/ as built), --keep.
import { join } from "node:path";
import { root, runtimes } from "./_runtimes.ts";
import { buildNpm, npmDir } from "./build_npm.ts";

/** One smoke check's outcome. */
export interface Check {
  name: string;
  ok: boolean;
  output: string;
}

/** What `npm pack` reported about the tarball. */
export interface PackInfo {
  filename: string;
  size: number;
  unpackedSize: number;
  entryCount: number;
  files: string[];
}

/** A finished child process. */
export interface Exec {
  code: number;
  /** stdout alone. */
  stdout: string;
  /** stdout, then stderr. */
  output: string;
  timedOut: boolean;
}

/** Run a command to completion within `timeoutMs`, capturing stdout and stderr. */
export async function exec(
  bin: string,
  args: string[],
  options: { cwd?: string; env?: Record<string, string>; timeoutMs?: number } = {},
): Promise<Exec> {
  const timeoutMs = options.timeoutMs ?? 60_000;
  const child = new Deno.Command(bin, {
    args,
    cwd: options.cwd ?? root,
    env: { NO_COLOR: "1", ...options.env },
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    try {
      child.kill("SIGKILL");
    } catch { /* already gone */ }
  }, timeoutMs);
  const { code, stdout, stderr } = await child.output();
  clearTimeout(timer);
  const decoder = new TextDecoder();
  const out = decoder.decode(stdout);
  const output = out + decoder.decode(stderr) + (timedOut ? `\n[killed after ${timeoutMs} ms]` : "");
  return { code, stdout: out, output, timedOut };
}

/** The consumer's ESM program: echo through `import net from "omninet"`. */
const consumerMjs = `import net, { Server, Socket, connect, createServer, detectAdapter } from "omninet";
import { adapter as nodeAdapter } from "omninet/adapters/node";
import { Buffer } from "node:buffer";

const runtime = "Bun" in globalThis ? "bun" : "Deno" in globalThis ? "deno" : "node";
// Which file the export conditions picked, and the import/require fallback (bundlers,
// other runtimes), which detects the runtime itself.
const entry = import.meta.resolve("omninet").split("/node_modules/omninet/")[1];
const auto = await import(new URL("./node_modules/omninet/esm/mod.js", import.meta.url).href);
const server = createServer((socket) => socket.pipe(socket));
server.listen(0, "127.0.0.1", () => {
  const chunks = [];
  const client = connect(server.address().port, "127.0.0.1", () => client.end("hello over " + runtime));
  client.on("data", (data) => chunks.push(data));
  client.on("close", () => {
    server.close();
    console.log(JSON.stringify({
      entry,
      adapter: detectAdapter().name,
      auto: auto.detectAdapter().name,
      echo: Buffer.concat(chunks).toString(),
      types: client instanceof Socket && server instanceof Server && net.connect === connect,
      subpath: nodeAdapter.name,
    }));
  });
});
`;

/** The consumer's CommonJS program: echo through `require("omninet")`. */
const consumerCjs = `const net = require("omninet");
const { adapter: nodeAdapter } = require("omninet/adapters/node");
const { Buffer } = require("node:buffer");

const runtime = "Bun" in globalThis ? "bun" : "Deno" in globalThis ? "deno" : "node";
const entry = require.resolve("omninet").split("/node_modules/omninet/")[1];
const auto = require("./node_modules/omninet/script/mod.js");
const server = net.createServer((socket) => socket.pipe(socket));
server.listen(0, "127.0.0.1", () => {
  const chunks = [];
  const client = net.connect(server.address().port, "127.0.0.1", () => client.end("hello over " + runtime));
  client.on("data", (data) => chunks.push(data));
  client.on("close", () => {
    server.close();
    console.log(JSON.stringify({
      entry,
      adapter: net.detectAdapter().name,
      auto: auto.detectAdapter().name,
      echo: Buffer.concat(chunks).toString(),
      types: client instanceof net.Socket && server instanceof net.Server && net.default.connect === net.connect,
      subpath: nodeAdapter.name,
    }));
  });
});
`;

/** Bundled with \`bun build\`: the entry must survive tree shaking (package.json sideEffects). */
const consumerBundle = `import { connect, createServer } from "omninet";

const server = createServer((socket) => socket.end("bundled"));
server.listen(0, "127.0.0.1", () => {
  const client = connect(server.address().port, "127.0.0.1");
  client.on("data", (data) => console.log(String(data)));
  client.on("close", () => server.close());
});
`;

/** A TypeScript consumer, checked with `tsc --noEmit` (no skipLibCheck: our .d.ts too). */
const consumerTs = `import net, {
  type AddressInfo,
  connect,
  createConnection,
  createNet,
  createServer,
  Server,
  Socket,
  type SocketConnectOpts,
} from "omninet";
import { adapter } from "omninet/adapters/node";
import type { Buffer } from "node:buffer";
import { Duplex } from "node:stream";

const server: Server = createServer((socket: Socket) => {
  socket.on("data", (data: Buffer) => socket.write(data));
  socket.on("end", () => socket.end());
  socket.on("error", (err: Error) => console.error(err.message));
  socket.setNoDelay(true).setKeepAlive(true, 1000).setTimeout(5000);
});
server.on("error", (err: Error) => console.error(err));
server.listen(0, "127.0.0.1", () => {
  const { port, address, family } = server.address() as AddressInfo;
  const options: SocketConnectOpts = { port, host: address };
  const client: Socket = connect(options, () => client.end("typed " + family));
  client.on("data", (data: Buffer) => console.log(data.toString("utf8")));
  client.once("close", (hadError: boolean) => server.close(() => console.log(hadError)));
  const duplex: Duplex = client;
  const other: Socket = createConnection(port, "127.0.0.1");
  other.destroy();
  const viaDefault: Socket = net.connect(port);
  viaDefault.destroy();
  console.log(duplex.writable, client.remoteAddress, client.bytesRead satisfies number);
});
const bound = createNet(adapter);
const socket = new bound.Socket({ allowHalfOpen: true });
const asSocket: Socket = socket;
console.log(asSocket instanceof Socket, new Server() instanceof Server);
`;

/** The same through \`import x = require(...)\` in a CommonJS TypeScript file. */
const consumerCts = `import net = require("omninet");
import type { Buffer } from "node:buffer";

const server: net.Server = net.createServer((socket: net.Socket) => {
  socket.on("data", (data: Buffer) => socket.end(data));
});
server.listen(0, "127.0.0.1", () => {
  const { port } = server.address() as net.AddressInfo;
  net.default.connect(port, "127.0.0.1").end("cts");
});
`;

function tsconfig(resolution: "nodenext" | "bundler", files: string[]) {
  return {
    compilerOptions: {
      strict: true,
      noEmit: true,
      skipLibCheck: false,
      target: "ES2022",
      lib: ["ES2023"],
      types: ["node"],
      typeRoots: [join(root, "node_modules/@types")],
      ...(resolution === "nodenext"
        ? { module: "nodenext", moduleResolution: "nodenext" }
        : { module: "esnext", moduleResolution: "bundler" }),
    },
    files,
  };
}

/** What a consumer program prints on `runtime`, loaded as `format` ("esm" or "script"). */
function expectedLine(runtime: string, format: "esm" | "script") {
  return JSON.stringify({
    entry: `${format}/runtime/${runtime}.js`,
    adapter: runtime,
    auto: runtime,
    echo: `hello over ${runtime}`,
    types: true,
    subpath: "node",
  });
}

async function check(name: string, fn: () => Promise<string | void>): Promise<Check> {
  try {
    return { name, ok: true, output: (await fn()) ?? "" };
  } catch (err) {
    return { name, ok: false, output: err instanceof Error ? err.message : String(err) };
  }
}

async function mustRun(bin: string, args: string[], cwd: string, timeoutMs = 60_000): Promise<string> {
  const r = await exec(bin, args, { cwd, timeoutMs });
  if (r.code !== 0 || r.timedOut) throw new Error(`${bin} ${args.join(" ")} exited ${r.code}:\n${r.output.trim()}`);
  return r.output;
}

/** Files that must never ship, and files that must. */
function checkContents(files: string[]): void {
  const stray = files.filter((f) =>
    /(^|\/)(tests?|scripts|bench|\.build[^/]*)\//.test(f) || /_test\.|\.tgz$/.test(f) ||
    (f.endsWith(".ts") && !f.endsWith(".d.ts"))
  );
  if (stray.length) throw new Error(`the tarball holds files that must not ship:\n${stray.join("\n")}`);
  const required = ["package.json", "LICENSE", "esm/mod.js", "esm/mod.d.ts", "script/mod.js", "script/package.json"];
  const missing = required.filter((f) => !files.includes(f));
  if (missing.length) throw new Error(`the tarball lacks ${missing.join(", ")}`);
}

/** Pack, install and exercise the package; one Check per step. */
export async function npmSmoke(
  options: { build?: boolean; keep?: boolean; log?: (line: string) => void } = {},
): Promise<{ checks: Check[]; pack?: PackInfo }> {
  const log = options.log ?? console.log;
  const checks: Check[] = [];
  const record = (c: Check) => {
    checks.push(c);
    log(`${c.ok ? "ok  " : "FAIL"} npm smoke: ${c.name}`);
    return c.ok;
  };
  if (options.build ?? true) {
    if (!record(await check("build npm/", async () => void await buildNpm(() => {})))) return { checks };
  }
  const tmp = await Deno.makeTempDir({ prefix: "omninet-smoke-" });
  let pack: PackInfo | undefined;
  try {
    const consumer = join(tmp, "consumer");
    await Deno.mkdir(consumer);
    const npm = "npm";
    const env = { npm_config_cache: join(tmp, ".npm-cache"), npm_config_update_notifier: "false" };
    const ok = record(
      await check("npm pack: contents (no tests, scripts or sources)", async () => {
        const r = await exec(npm, ["pack", "--json", "--pack-destination", tmp], { cwd: npmDir, env });
        if (r.code !== 0) throw new Error(r.output);
        const [info] = JSON.parse(r.stdout);
        pack = {
          filename: info.filename,
          size: info.size,
          unpackedSize: info.unpackedSize,
          entryCount: info.entryCount,
          files: info.files.map((f: { path: string }) => f.path),
        };
        checkContents(pack.files);
        return `${pack.filename}: ${pack.size} bytes packed, ${pack.unpackedSize} unpacked, ${pack.entryCount} files`;
      }),
    ) && record(
      await check("npm install <tarball> into a fresh project", async () => {
        await Deno.writeTextFile(
          join(consumer, "package.json"),
          JSON.stringify({ name: "omninet-consumer", version: "0.0.0", private: true }, null, 2),
        );
        const args = ["install", "--offline", "--no-audit", "--no-fund", "--ignore-scripts", join(tmp, pack!.filename)];
        const r = await exec(npm, args, { cwd: consumer, env });
        if (r.code !== 0) throw new Error(r.output);
        return r.output;
      }),
    );
    if (!ok) return { checks, pack };

    await Deno.writeTextFile(join(consumer, "consumer.mjs"), consumerMjs);
    await Deno.writeTextFile(join(consumer, "consumer.cjs"), consumerCjs);
    await Deno.writeTextFile(join(consumer, "consumer.ts"), consumerTs);
    await Deno.writeTextFile(join(consumer, "consumer_cjs.cts"), consumerCts);
    await Deno.writeTextFile(join(consumer, "bundle_entry.mjs"), consumerBundle);
    const configs = {
      "tsconfig.json": tsconfig("nodenext", ["consumer.ts", "consumer_cjs.cts"]),
      "tsconfig.bundler.json": tsconfig("bundler", ["consumer.ts"]),
    };
    for (const [file, config] of Object.entries(configs)) {
      await Deno.writeTextFile(join(consumer, file), JSON.stringify(config, null, 2));
    }

    const [node20, node24, deno, bun] = runtimes();
    const runs: [string, string, string[], string][] = [
      [`${node20.name}: import "omninet"`, node20.bin, ["consumer.mjs"], expectedLine("node", "esm")],
      [`${node20.name}: require("omninet")`, node20.bin, ["consumer.cjs"], expectedLine("node", "script")],
      [`${node24.name}: import "omninet"`, node24.bin, ["consumer.mjs"], expectedLine("node", "esm")],
      [`${node24.name}: require("omninet")`, node24.bin, ["consumer.cjs"], expectedLine("node", "script")],
      [`bun: import "omninet"`, bun.bin, ["run", "consumer.mjs"], expectedLine("bun", "esm")],
      [`bun: require("omninet")`, bun.bin, ["run", "consumer.cjs"], expectedLine("bun", "script")],
      [
        `deno: import "omninet" from node_modules`,
        deno.bin,
        ["run", "-A", "consumer.mjs"],
        expectedLine("deno", "esm"),
      ],
    ];
    const tsc = join(root, "node_modules/.bin/tsc");
    const results = await Promise.all([
      ...runs.map(([name, bin, args, expected]) =>
        check(name, async () => {
          const out = (await mustRun(bin, args, consumer, 30_000)).trim();
          if (out !== expected) throw new Error(`expected\n  ${expected}\ngot\n  ${out}`);
          return out;
        })
      ),
      check(`bun build, then ${node20.name}: the bundle keeps the entry point`, async () => {
        await mustRun(bun.bin, ["build", "bundle_entry.mjs", "--target=node", "--outfile=bundle.mjs"], consumer);
        const out = (await mustRun(node20.bin, ["bundle.mjs"], consumer, 30_000)).trim();
        if (out !== "bundled") throw new Error(`expected "bundled", got:\n${out}`);
        return out;
      }),
      check("tsc --noEmit: TypeScript consumer (nodenext, ESM and CJS)", () => mustRun(tsc, ["-p", "."], consumer)),
      check(
        "tsc --noEmit: TypeScript consumer (bundler resolution)",
        () => mustRun(tsc, ["-p", "tsconfig.bundler.json"], consumer),
      ),
    ]);
    for (const r of results) record(r);
    return { checks, pack };
  } finally {
    if (options.keep) log(`kept ${tmp}`);
    else await Deno.remove(tmp, { recursive: true }).catch(() => {});
  }
}

if (import.meta.main) {
  const { checks, pack } = await npmSmoke({
    build: !Deno.args.includes("--no-build"),
    keep: Deno.args.includes("--keep"),
  });
  for (const c of checks.filter((c) => !c.ok)) console.log(`\n===== ${c.name} =====\n${c.output.trim()}`);
  if (pack) {
    console.log(
      `\n${pack.filename}: ${pack.size} bytes packed, ${pack.unpackedSize} unpacked, ${pack.entryCount} files`,
    );
  }
  const failed = checks.filter((c) => !c.ok).length;
  console.log(`${checks.length - failed} passed, ${failed} failed`);
  Deno.exit(failed === 0 ? 0 : 1);
}
