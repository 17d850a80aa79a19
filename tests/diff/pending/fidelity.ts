// PENDING (not registered, not run): scenarios of scenarios_bun_fidelity.ts where omninet
// differs from node:net; each one is listed with its difference in README.md. Once fixed,
// move it back.
import { type Scenario, sleep, SOCKET_EVENTS, type SocketLike } from "../_harness.ts";

const NO_DRAIN = SOCKET_EVENTS.filter((e) => e !== "drain");

export const pendingFidelityScenarios: Scenario[] = [
  ...closeAfterPeersEnd("TCP", false),
  ...closeAfterPeersEnd("Unix", true),
];

/**
 * destroy() from a timer: libuv closes the handle in its close phase, after the poll for
 * I/O, so the client (in the same process) has read the FIN and emitted 'end' before the
 * destroyed socket's 'close'. One trace, `order`, has both.
 */
function closeAfterPeersEnd(kind: string, unix: boolean): Scenario[] {
  return [{
    name: `fidelity: ${kind}: a socket destroyed from a timer emits 'close' after its peer's 'end'`,
    needs: unix ? ["unix"] : [],
    async run(net, rec) {
      let resolvePeer!: (p: SocketLike) => void;
      const peer = new Promise<SocketLike>((resolve) => resolvePeer = resolve);
      const server = net.createServer((p) => {
        rec.watch("peer", p, []);
        p.on("close", () => rec.log("order", "peer 'close'"));
        resolvePeer(p);
      });
      const path = unix ? rec.socketPath() : "";
      const port = unix ? await rec.listenPath(server, path) : await rec.listen(server);
      const client = net.connect(unix ? { path } : { port, host: "127.0.0.1" });
      rec.watch("client", client, NO_DRAIN);
      client.on("end", () => rec.log("order", "client 'end'"));
      await rec.next(client, "connect");
      const p = await peer;
      p.resume();
      await sleep(10);
      await new Promise<void>((resolve) => setTimeout(() => resolve(p.destroy() && undefined), 0));
      await rec.closed(client);
      await rec.closed(p, "peer 'close'");
      await rec.closeServer(server);
    },
  }];
}
