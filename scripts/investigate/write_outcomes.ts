// Issue 11 repro: what the callbacks of queued writes get when the peer closes (a reset:
// it never read) or when we destroy(err). `node:net` with `--oracle`, else omninet.
// Run: node_modules/node24/bin/node scripts/investigate/write_outcomes.ts [--oracle]
//      deno run -A …   bun run …   (Node 20: the compiled .build copy)
import * as omni from "../../mod.ts";
import * as nodeNet from "node:net";

const oracle = (globalThis as { process?: { argv: string[] } }).process?.argv.includes("--oracle") ||
  (globalThis as { Deno?: { args: string[] } }).Deno?.args.includes("--oracle");
// deno-lint-ignore no-explicit-any
const net: any = oracle ? nodeNet : omni;
const MiB = 1024 * 1024;

function run(count: number, how: "peer" | "destroy"): Promise<string> {
  return new Promise((resolve) => {
    let peer: nodeNet.Socket;
    const server = nodeNet.createServer({ pauseOnConnect: true }, (s) => {
      peer = s;
    });
    server.listen(0, "127.0.0.1", () => {
      const port = (server.address() as nodeNet.AddressInfo).port;
      const c = net.connect(port, "127.0.0.1");
      const log: string[] = [];
      const outcomes: string[] = [];
      c.on("error", (e: { code?: string; message: string }) => log.push(`error ${e.code ?? e.message}`));
      c.on("connect", () => {
        for (let i = 0; i < count; i++) {
          c.write(new Uint8Array(MiB), (err?: { code?: string; message: string } | null) => {
            const o = err ? (err.code ?? err.message) : "ok";
            outcomes.push(o);
            log.push(`cb${i} ${o}`);
          });
        }
        setTimeout(() => {
          if (how === "peer") peer.destroy();
          else c.destroy(Object.assign(new Error("boom"), { code: "EBOOM" }));
        }, 200);
      });
      c.on("close", () => {
        log.push("close");
        setTimeout(() => {
          server.close();
          const tally: Record<string, number> = {};
          for (const o of outcomes) tally[o] = (tally[o] ?? 0) + 1;
          resolve(
            `${how} ${count}: ${JSON.stringify(tally)} | ${
              log.filter((l) => !l.endsWith(" ok")).slice(0, 3).join(", ")
            } … ${log.slice(-2).join(", ")}`,
          );
        }, 100);
      });
    });
  });
}

console.log(oracle ? "node:net" : "omninet", await run(8, "peer"));
console.log(oracle ? "node:net" : "omninet", await run(32, "destroy"));
