// deno-lint-ignore-file no-unused-vars verbatim-module-syntax
// PENDING (not registered, not run): scenarios of scenarios_families.ts where omninet differs from
// node:net; each one is listed with its difference in README.md. Once fixed, move it back.
// Scenarios: the same server and connect errors over IPv6 loopback and Unix sockets as
// over IPv4: EADDRINUSE and ECONNREFUSED messages, maxConnections and 'drop' data,
// pauseOnConnect, getConnections once the server stopped listening.
import type { Scenario, SocketLike } from "../_harness.ts";
import { logCb } from "../_kit.ts";
import { describeDrop } from "../scenarios_families.ts";

const SERVER_EVENTS = ["listening", "error", "close"];

export const pendingFamilyScenarios: Scenario[] = [
  {
    name: "families: maxConnections over a Unix socket: 'drop' data",
    needs: ["unix"],
    async run(net, rec) {
      const path = rec.socketPath();
      const peers: SocketLike[] = [];
      const server = net.createServer((p) => {
        rec.log("server", "connection");
        peers.push(p);
        p.resume();
      });
      server.maxConnections = 1;
      server.on("drop", (data?: Record<string, unknown>) => rec.log("server", describeDrop(data, -1)));
      await rec.listenPath(server, path);
      const a = net.connect(path);
      rec.watch("clientA", a);
      await rec.next(server, "connection");
      const b = net.connect(path);
      rec.watch("clientB", b);
      b.resume();
      await rec.closed(b);
      a.end();
      a.resume();
      await rec.closed(a);
      await rec.closeServer(server);
    },
  },
];
