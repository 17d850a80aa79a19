// The session both heap investigations share: the bench worker's "heap" mode (N idle
// connection pairs in one process) started under the V8 inspector, one heap snapshot before
// the connections open and one after, each reduced by the caller as soon as it is parsed
// (a snapshot of thousands of connections is large).
import { join } from "node:path";
import { root } from "../_runtimes.ts";
import { cdp, readUntil } from "./_cdp.ts";

/** The runtimes whose inspector speaks the V8 protocol. */
export const BINS = {
  node: join(root, "node_modules/node24/bin/node"),
  deno: join(root, "node_modules/.bin/deno"),
};

/** `--runtime=`, `--variant=`, `--conns=`, `--top=` from the command line. */
export function heapArgs(defaultTop: number): { rt: string; variant: string; conns: number; top: number } {
  const get = (name: string, def: string) => Deno.args.find((a) => a.startsWith(`--${name}=`))?.split("=")[1] ?? def;
  return {
    rt: get("runtime", "deno"),
    variant: get("variant", "omninet"),
    conns: Number(get("conns", "2000")),
    top: Number(get("top", String(defaultTop))),
  };
}

async function snapshot(session: Awaited<ReturnType<typeof cdp>>): Promise<unknown> {
  let text = "";
  session.on("HeapProfiler.addHeapSnapshotChunk", (p) => {
    text += p.chunk as string;
  });
  await session.call("HeapProfiler.collectGarbage");
  await session.call("HeapProfiler.takeHeapSnapshot", { reportProgress: false });
  return JSON.parse(text);
}

/**
 * Run the worker on `rt` with `conns` idle pairs of `variant`: `first` reduces the heap
 * snapshot taken before they open, `second` the one taken after (both after a GC), given
 * what `first` returned; returns what `second` returns.
 */
export async function snapshotsAround<B, A>(
  rt: keyof typeof BINS,
  variant: string,
  conns: number,
  first: (snapshot: unknown) => B,
  second: (snapshot: unknown, before: B) => A,
): Promise<A> {
  const port = 9300 + Math.floor(Math.random() * 500);
  const pre = rt === "deno"
    ? ["run", "-A", `--inspect-wait=127.0.0.1:${port}`]
    : ["--disable-warning=ExperimentalWarning", `--inspect-wait=127.0.0.1:${port}`];
  const proc = new Deno.Command(BINS[rt], {
    args: [...pre, "scripts/bench/worker.ts", "heap", variant, JSON.stringify({ conns })],
    cwd: root,
    stdin: "piped",
    stdout: "piped",
    stderr: "piped",
    env: { NO_COLOR: "1" },
  }).spawn();
  const timer = setTimeout(() => proc.kill("SIGKILL"), 300_000);
  const writer = proc.stdin.getWriter();
  const send = (line: string) => writer.write(new TextEncoder().encode(line + "\n"));
  try {
    const err = proc.stderr.pipeThrough(new TextDecoderStream()).getReader();
    const banner = await readUntil(err, /ws:\/\/\S+/, 20_000);
    (async () => {
      for (;;) if ((await err.read()).done) break;
    })();
    const session = await cdp(/ws:\/\/\S+/.exec(banner)![0]);
    await session.call("Runtime.runIfWaitingForDebugger");
    const out = proc.stdout.pipeThrough(new TextDecoderStream()).getReader();
    let text = await readUntil(out, /@@(GATE|ERROR) /, 60_000);
    if (/@@ERROR/.test(text)) throw new Error(text);
    const before = first(await snapshot(session));
    await send("start");
    text += await readUntil(out, /@@(GATED|ERROR) /, 120_000);
    if (/@@ERROR/.test(text)) throw new Error(text);
    const after = second(await snapshot(session), before);
    await send("stop");
    session.close();
    await writer.close();
    return after;
  } finally {
    clearTimeout(timer);
    try {
      proc.kill("SIGKILL");
    } catch { /* exited */ }
    await proc.status;
  }
}

/** Write `md` to `.bench/profiles/<name>.md` and print it. */
export async function report(name: string, md: string): Promise<void> {
  await Deno.mkdir(join(root, ".bench/profiles"), { recursive: true });
  await Deno.writeTextFile(join(root, `.bench/profiles/${name}.md`), md + "\n");
  console.log(md);
}
