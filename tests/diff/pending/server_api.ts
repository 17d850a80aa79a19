// deno-lint-ignore-file no-unused-vars verbatim-module-syntax
// PENDING (not registered, not run): scenarios of scenarios_server_api.ts where omninet differs from
// node:net; each one is listed with its difference in README.md. Once fixed, move it back.
// Scenarios: net.Server's documented API: listen() forms and their errors, address(),
// listening, close() and its callback, getConnections(), maxConnections and 'drop',
// pauseOnConnect, allowHalfOpen, noDelay/keepAlive options, blockList, signal, ref/unref.
import type { NetLike, Recorder, Scenario, ServerLike } from "../_harness.ts";
import { bounded } from "../_harness.ts";
import { blockListOf, logCb } from "../_kit.ts";

const SERVER_EVENTS = ["listening", "error", "close"];

/** listen(...args) on a fresh traced server, log address()/listening, then close it. */
function listenForm(
  name: string,
  args: (rec: Recorder) => unknown[],
  host?: string,
  needs?: Scenario["needs"],
): Scenario {
  return {
    name: `server api: ${name}`,
    needs,
    async run(net, rec) {
      const server = net.createServer();
      rec.watch("server", server, SERVER_EVENTS);
      const ret = server.listen(...args(rec), () => rec.log("server", "listen callback"));
      rec.log("server", `returns this: ${ret === server} sync listening=${server.listening}`);
      await rec.next(server, "listening");
      const a = server.address() as { port: number; address: string; family: string };
      rec.addMask(a.port, "<port>");
      rec.log("server", `address=${JSON.stringify(server.address())} listening=${server.listening}`);
      if (host !== undefined) {
        const c = net.connect(a.port, host);
        rec.watch("client", c);
        c.on("connect", () => c.end());
        c.resume();
        await rec.closed(c);
      }
      await rec.closeServer(server);
    },
  };
}

function traced(net: NetLike, rec: Recorder, options: object = {}, onPeer = (p: ServerLike) => p.resume()) {
  let n = 0;
  const server = net.createServer(options, (peer) => {
    n++;
    rec.log("server", `connection ${n}`);
    rec.watch(`peer${n}`, peer);
    onPeer(peer);
  });
  rec.watch("server", server, SERVER_EVENTS);
  return server;
}

function counted(server: ServerLike, rec: Recorder, what: string): Promise<void> {
  return new Promise((resolve) =>
    server.getConnections((err: Error | null, n: number) => {
      rec.log("server", `${what}: getConnections(${err ? (err as { code?: string }).code : err}, ${n})`);
      resolve();
    })
  );
}

export const pendingServerApiScenarios: Scenario[] = [];
