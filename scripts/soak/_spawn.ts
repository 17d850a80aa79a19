// Soak worker processes for the orchestrator (Deno): the command line for each runtime,
// `ulimit -n` raised to the hard limit, optional CPU pinning, and the "@@" protocol.
import { join } from "node:path";
import { root, type Runtime } from "../_runtimes.ts";
import { canPin } from "../bench/_child.ts";

/** A running worker. */
export interface Worker {
  /** The @@READY payload. */
  ready: Promise<Record<string, unknown>>;
  /** The @@RESULT payload (rejects if the process exits without one or times out). */
  result: Promise<Record<string, unknown>>;
  /** Send one line on stdin. */
  send(line: string): Promise<void>;
  /** Close stdin. */
  closeStdin(): Promise<void>;
  /** Kill the process (SIGKILL) if it still runs. */
  kill(): void;
  /** Resolves when the process has exited. */
  exited: Promise<number>;
}

/** The command that runs scripts/soak/worker.ts on `rt` (Node 20 runs the tsc output in .build-soak). */
export function workerCommand(rt: Runtime): string[] {
  if (rt.compiled && rt.name === "node20") return [rt.bin, join(root, ".build-soak/scripts/soak/worker.js")];
  if (rt.compiled) return [rt.bin, "--no-warnings", join(root, "scripts/soak/worker.ts")];
  return [rt.bin, ...rt.args, join(root, "scripts/soak/worker.ts")];
}

/** Start a worker with `role` and `params`; killed after `timeoutMs`. */
export function spawnWorker(
  rt: Runtime,
  role: string,
  params: Record<string, unknown>,
  options: { cpu?: number; timeoutMs: number },
): Worker {
  const cmd = [...workerCommand(rt), role, JSON.stringify(params)];
  const pinned = options.cpu !== undefined && canPin() ? ["taskset", "-c", String(options.cpu)] : [];
  // Raise the soft open-file limit to the hard one where the shell allows it.
  const argv = ["sh", "-c", 'ulimit -n "$(ulimit -Hn)" 2>/dev/null; exec "$@"', "sh", ...pinned, ...cmd];
  const proc = new Deno.Command(argv[0], {
    args: argv.slice(1),
    cwd: root,
    stdin: "piped",
    stdout: "piped",
    stderr: "piped",
    env: { NO_COLOR: "1" },
  }).spawn();
  let readyResolve!: (v: Record<string, unknown>) => void;
  let resultResolve!: (v: Record<string, unknown>) => void;
  let readyReject!: (err: Error) => void;
  let resultReject!: (err: Error) => void;
  const ready = new Promise<Record<string, unknown>>((resolve, reject) => {
    readyResolve = resolve;
    readyReject = reject;
  });
  const result = new Promise<Record<string, unknown>>((resolve, reject) => {
    resultResolve = resolve;
    resultReject = reject;
  });
  const fail = (err: Error) => {
    readyReject(err);
    resultReject(err);
  };
  ready.catch(() => {});
  result.catch(() => {});
  let killed = false;
  const kill = () => {
    if (killed) return;
    killed = true;
    try {
      proc.kill("SIGKILL");
    } catch { /* already gone */ }
  };
  const timer = setTimeout(() => {
    fail(new Error(`${rt.name} ${role}: killed after ${options.timeoutMs} ms`));
    kill();
  }, options.timeoutMs);
  let stderr = "";
  (async () => {
    for await (const chunk of proc.stderr.pipeThrough(new TextDecoderStream())) {
      if (stderr.length < 4000) stderr += chunk;
    }
  })();
  const lines = (async () => {
    let buffered = "";
    for await (const chunk of proc.stdout.pipeThrough(new TextDecoderStream())) {
      buffered += chunk;
      let i: number;
      while ((i = buffered.indexOf("\n")) >= 0) {
        const line = buffered.slice(0, i);
        buffered = buffered.slice(i + 1);
        const m = /^@@(READY|RESULT) (.*)$/.exec(line);
        if (m?.[1] === "READY") readyResolve(JSON.parse(m[2]));
        else if (m?.[1] === "RESULT") resultResolve(JSON.parse(m[2]));
      }
    }
  })();
  const stdin = proc.stdin.getWriter();
  const exited = (async () => {
    const { code } = await proc.status;
    await lines.catch(() => {});
    clearTimeout(timer);
    fail(new Error(`${rt.name} ${role}: exited (${code}) without a result${stderr ? `\n${stderr.trim()}` : ""}`));
    return code;
  })();
  return {
    ready,
    result,
    send: (line) => stdin.write(new TextEncoder().encode(`${line}\n`)).catch(() => {}),
    closeStdin: () => stdin.close().catch(() => {}),
    kill,
    exited,
  };
}
