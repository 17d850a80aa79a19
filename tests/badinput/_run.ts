// Runs generated bad-input cases on a `node:net`-shaped module and records each outcome as
// a few lines: what the call threw (name, code, message) or returned, the callbacks and
// lookups it caused, the first 'error' event (and 'connect'/'listening') within a bounded
// window; then destroys or closes what it created. Ports and temp paths are masked.
import process from "node:process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { brief, type CaseContext, type Generated, type NetAny } from "./_cases.ts";

/** The outcome lines of each case, by case id. */
export type Outcomes = Record<string, string[]>;

/**
 * How long a case that may touch the network (loopback only) waits for its first event:
 * generous, as a loaded machine delays a refused connect; every case settles long before.
 */
const WINDOW_MS = Number(process.env.OMNINET_BADINPUT_WINDOW_MS ?? 2000);

function errLine(prefix: string, err: unknown): string {
  if (!(err instanceof Error)) return `${prefix} non-error ${brief(err)}`;
  const e = err as Error & { code?: unknown };
  return `${prefix} ${e.name} ${e.code === undefined ? "-" : String(e.code)}: ${e.message}`;
}

function returned(value: unknown): string {
  if (value !== null && typeof value === "object" && "address" in value && "flowlabel" in value) {
    const a = value as Record<string, unknown>;
    return `return SocketAddress ${brief(a.address)} ${brief(a.port)} ${brief(a.family)} ${brief(a.flowlabel)}`;
  }
  return `return ${brief(value)}`;
}

const immediate = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/**
 * A closed loopback port below the ephemeral range (so no `listen(0)` or outgoing connect
 * anywhere on the machine is given it while the cases run): one of our servers listens
 * there, then closes. Cases use only this port and port 0 (no fixed port such as 80, which
 * two runtimes running the suite at once would both listen on).
 */
async function closedPort(net: NetAny): Promise<number> {
  for (let attempt = 0;; attempt++) {
    const port = 20000 + Math.floor(Math.random() * 10000);
    const server = net.createServer();
    const ok = await new Promise<boolean>((resolve) => {
      server.once("error", () => resolve(false));
      server.listen(port, "127.0.0.1", () => resolve(true));
    });
    if (ok) {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      return port;
    }
    if (attempt > 50) throw new Error("no free port in 20000-29999");
  }
}

/** Run `cases` in order on `net`; the process's cwd is a temp dir meanwhile (relative socket paths). */
export async function runCases(net: NetAny, cases: Generated[]): Promise<Outcomes> {
  const dir = mkdtempSync(join(tmpdir(), "omninet-bad-"));
  const cwd = process.cwd();
  process.chdir(dir);
  const port = await closedPort(net);
  const portRe = new RegExp(`\\b(${port}|0x${port.toString(16)})\\b`, "g");
  const mask = (s: string): string => s.split(dir).join("<dir>").replace(portRe, "<port>");
  let current: string[] | null = null;
  const onUncaught = (err: unknown): void => {
    current?.push(errLine("uncaught", err));
  };
  process.on("uncaughtException", onUncaught);
  const out: Outcomes = {};
  try {
    for (let index = 0; index < cases.length; index++) {
      const c = cases[index];
      const lines: string[] = [];
      current = lines;
      let open = true;
      const ctx: CaseContext = { port, dir, index, note: (entry) => open && lines.push(entry) };
      out[c.id] = lines;
      await runOne(net, c, ctx, lines);
      open = false;
      current = null;
      for (let i = 0; i < lines.length; i++) lines[i] = mask(lines[i]);
    }
  } finally {
    process.off("uncaughtException", onUncaught);
    process.chdir(cwd);
    rmSync(dir, { recursive: true, force: true });
  }
  return out;
}

async function runOne(net: NetAny, c: Generated, ctx: CaseContext, lines: string[]): Promise<void> {
  let target: NetAny = net;
  if (c.target === "socket") target = new net.Socket();
  else if (c.target === "server") target = net.createServer();
  else if (c.target === "blocklist") target = new net.BlockList();
  let emitter: NetAny = c.target === "socket" || c.target === "server" ? target : undefined;
  let settle: () => void = () => {};
  const settled = new Promise<void>((resolve) => (settle = resolve));
  let sawError = false;
  const watch = (e: NetAny): void => {
    e.on("error", (err: unknown) => {
      if (!sawError) ctx.note(errLine("error", err));
      sawError = true;
      settle();
    });
    for (const name of ["connect", "listening"]) {
      e.on(name, () => {
        ctx.note(`event ${name}`);
        settle();
      });
    }
    e.on("close", () => settle());
  };
  if (emitter) watch(emitter);
  let value: unknown;
  try {
    value = c.call(target, ctx);
  } catch (err) {
    lines.push(errLine("throw", err));
  }
  const isEmitter = value !== null && typeof value === "object" && typeof (value as NetAny).on === "function";
  if (isEmitter && value !== emitter) {
    emitter = value;
    watch(emitter);
  } else if (!isEmitter && lines.length === 0 && c.target !== "socket" && c.target !== "server") {
    lines.push(returned(value));
  }
  if (c.network && emitter && lines.every((l) => !l.startsWith("throw"))) {
    let timer: ReturnType<typeof setTimeout> | undefined;
    await Promise.race([settled, new Promise<void>((resolve) => (timer = setTimeout(resolve, WINDOW_MS)))]);
    clearTimeout(timer);
  }
  for (let i = 0; i < 3; i++) await immediate();
  if (emitter) await dispose(emitter);
}

/** Destroy a socket or close a server, and let it finish. */
async function dispose(e: NetAny): Promise<void> {
  try {
    if (typeof e.destroy === "function") e.destroy();
    else if (e.listening) e.close();
  } catch { /* recorded cases only */ }
  for (let i = 0; i < 2; i++) await immediate();
}
