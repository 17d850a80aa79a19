// The orchestrator's view of one worker process: tagged "@@TAG {json}" lines from its
// stdout, commands on its stdin, a time limit on everything, and a kill that always runs.

const TAIL_CHARS = 4000;

/** One running worker. */
export interface Child {
  /** The next `@@tag` message; rejects on `@@ERROR`, on exit, or after `timeoutMs` (and kills). */
  next(tag: string, timeoutMs: number): Promise<Record<string, unknown>>;
  /** Send one command line on stdin. */
  send(line: string): Promise<void>;
  /** Close stdin (the worker's signal to report and exit). */
  closeStdin(): Promise<void>;
  /** Wait for exit; SIGKILL after `timeoutMs`. The exit code, or null when killed. */
  exit(timeoutMs: number): Promise<number | null>;
  /** SIGKILL now if still running. */
  kill(): void;
  /** The last lines of stderr and untagged stdout, for error reports. */
  tail(): string;
}

let tasksetAvailable: boolean | undefined;

/** Whether `taskset` can pin processes here. */
export function canPin(): boolean {
  if (tasksetAvailable === undefined) {
    try {
      tasksetAvailable = new Deno.Command("taskset", { args: ["-c", "0", "true"] }).outputSync().success;
    } catch {
      tasksetAvailable = false;
    }
  }
  return tasksetAvailable;
}

/**
 * Start `cmd` (pinned to `cpu` when given and possible) with piped stdio. `maxFiles`: raise
 * the soft descriptor limit to the hard one first (through `sh -c ulimit`), where allowed.
 */
export function spawnChild(
  cmd: string[],
  options: { cwd: string; cpu?: number; env?: Record<string, string>; maxFiles?: boolean },
): Child {
  const pinned = options.cpu !== undefined && canPin() ? ["taskset", "-c", String(options.cpu), ...cmd] : cmd;
  const argv = options.maxFiles
    ? ["sh", "-c", 'ulimit -n "$(ulimit -Hn)" 2>/dev/null; exec "$@"', "sh", ...pinned]
    : pinned;
  const proc = new Deno.Command(argv[0], {
    args: argv.slice(1),
    cwd: options.cwd,
    stdin: "piped",
    stdout: "piped",
    stderr: "piped",
    env: { NO_COLOR: "1", ...options.env },
  }).spawn();
  let alive = true;
  let tail = "";
  const addTail = (s: string) => {
    tail = (tail + s).slice(-TAIL_CHARS);
  };
  const messages: { tag: string; value: Record<string, unknown> }[] = [];
  let wake: () => void = () => {};
  let ended = false;

  const status = proc.status.then((s) => {
    alive = false;
    return s;
  });

  (async () => {
    const decoder = new TextDecoder();
    let buf = "";
    for await (const chunk of proc.stdout) {
      buf += decoder.decode(chunk, { stream: true });
      let i: number;
      while ((i = buf.indexOf("\n")) >= 0) {
        const line = buf.slice(0, i);
        buf = buf.slice(i + 1);
        const m = /^@@([A-Z]+) (.*)$/.exec(line);
        if (m) {
          try {
            messages.push({ tag: m[1], value: JSON.parse(m[2]) });
          } catch {
            addTail(line + "\n");
          }
          wake();
        } else addTail(line + "\n");
      }
    }
  })().catch(() => {}).finally(() => {
    ended = true;
    wake();
  });
  (async () => {
    const decoder = new TextDecoder();
    for await (const chunk of proc.stderr) addTail(decoder.decode(chunk, { stream: true }));
  })().catch(() => {});

  const kill = () => {
    if (!alive) return;
    try {
      proc.kill("SIGKILL");
    } catch { /* already gone */ }
  };

  const writer = proc.stdin.getWriter();
  let stdinClosed = false;

  return {
    async next(tag, timeoutMs) {
      const deadline = performance.now() + timeoutMs;
      for (;;) {
        const idx = messages.findIndex((m) => m.tag === tag || m.tag === "ERROR");
        if (idx >= 0) {
          const [m] = messages.splice(idx, 1);
          if (m.tag === "ERROR") throw new Error(String(m.value.message));
          return m.value;
        }
        if (ended) throw new Error(`exited before @@${tag}\n${tail.trim()}`);
        const left = deadline - performance.now();
        if (left <= 0) {
          kill();
          throw new Error(`no @@${tag} within ${timeoutMs} ms (killed)\n${tail.trim()}`);
        }
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, left);
          wake = () => {
            clearTimeout(timer);
            resolve();
          };
        });
      }
    },
    async send(line) {
      if (!stdinClosed) await writer.write(new TextEncoder().encode(line + "\n")).catch(() => {});
    },
    async closeStdin() {
      if (stdinClosed) return;
      stdinClosed = true;
      await writer.close().catch(() => {});
    },
    async exit(timeoutMs) {
      let timer: ReturnType<typeof setTimeout> | undefined;
      const killed = new Promise<null>((resolve) => {
        timer = setTimeout(() => {
          kill();
          resolve(null);
        }, timeoutMs);
      });
      const result = await Promise.race([status.then((s) => s.code), killed]);
      clearTimeout(timer);
      if (result === null) await status.catch(() => {});
      return result;
    },
    kill,
    tail: () => tail,
  };
}
