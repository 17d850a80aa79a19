// deno-lint-ignore-file no-unused-vars verbatim-module-syntax
// PENDING (not registered, not run): scenarios of scenarios_events.ts where omninet differs from
// node:net; each one is listed with its difference in README.md. Once fixed, move it back.
// Scenarios: the order of a socket's events (connect, ready, data, end, finish, close)
// in the common shapes of a conversation, write callbacks, cork/uncork, encodings,
// paused-mode reading, the write queue getters, lookup and the signal option.
import { Buffer } from "node:buffer";
import { type Scenario, SOCKET_EVENTS, type SocketLike } from "../_harness.ts";
import { serve, serveEcho, settle, snapshot } from "../_serve.ts";
import { logCb, quietServer } from "../_kit.ts";

const NO_DRAIN = SOCKET_EVENTS.filter((e) => e !== "drain");

function readAll(s: SocketLike, rec: { log(l: string, e: string): void }, label: string, n?: number): void {
  s.on("readable", () => {
    let chunk;
    while ((chunk = n === undefined ? s.read() : s.read(n)) !== null) {
      rec.log(label, `read -> ${JSON.stringify(String(chunk))}`);
    }
    rec.log(label, "read -> null");
  });
}

export const pendingEventScenarios: Scenario[] = [
  {
    name: "events: connect with an already aborted signal",
    async run(net, rec) {
      const { server, port } = await quietServer(net, rec);
      const s = net.connect({ port, host: "127.0.0.1", signal: AbortSignal.abort() });
      rec.watch("client", s);
      await rec.closed(s);
      snapshot(rec, "client", "closed", s);
      await rec.closeServer(server);
    },
  },
];
