// deno-lint-ignore-file no-unused-vars verbatim-module-syntax
// PENDING (not registered, not run): scenarios of scenarios_forms.ts where omninet differs from
// node:net; each one is listed with its difference in README.md. Once fixed, move it back.
// Scenarios: every calling form of connect() and listen() that Node's
// test-net-connect-options-port and test-net-server-listen-options go through, with the
// port values each form accepts or rejects.
import type { NetLike, Recorder, Scenario } from "../_harness.ts";
import { quietServer, throwsScenario } from "../_kit.ts";

const SERVER_EVENTS = ["listening", "error", "close"];

/** The six ways to start a connection with the same arguments. */
function sixForms(net: NetLike, args: unknown[]): [string, () => unknown][] {
  return [
    ["createConnection(...args)", () => net.createConnection(...args)],
    ["createConnection(...args, cb)", () => net.createConnection(...args, () => {})],
    ["connect(...args)", () => net.connect(...args)],
    ["connect(...args, cb)", () => net.connect(...args, () => {})],
    ["new Socket().connect(...args)", () => new net.Socket().connect(...args)],
    ["new Socket().connect(...args, cb)", () => new net.Socket().connect(...args, () => {})],
  ];
}

/** listen(...args, cb) on a fresh server; log what it throws or where it listens. */
function listenArgs(name: string, args: unknown[]): Scenario {
  return {
    name: `forms: ${name}`,
    async run(net, rec) {
      const server = net.createServer();
      rec.watch("server", server, SERVER_EVENTS);
      const listening = new Promise<void>((resolve) => server.once("listening", () => resolve()));
      const ok = rec.try("server", "listen", () => server.listen(...args, () => rec.log("server", "listen callback")));
      if (!ok) return;
      await listening;
      const a = server.address() as { port: number; address: string; family: string };
      rec.log("server", `address=${a.address} family=${a.family} port>0=${a.port > 0}`);
      await rec.closeServer(server);
    },
  };
}

async function connectAll(net: NetLike, rec: Recorder, args: (port: number) => unknown[]): Promise<void> {
  const { server, port } = await quietServer(net, rec, (p) => p.end("ok"));
  const sockets = sixForms(net, args(port)).map(([what, fn], i) => {
    const s = fn() as { resume(): void; on(e: string, f: () => void): void };
    rec.watch(`c${i + 1}`, s as never);
    rec.log(`c${i + 1}`, what);
    s.resume();
    return s;
  });
  for (const s of sockets) await rec.closed(s as never);
  await rec.closeServer(server);
}

export const pendingFormScenarios: Scenario[] = [];
