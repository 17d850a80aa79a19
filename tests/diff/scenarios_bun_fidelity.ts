// Scenarios: what a runtime's own sockets do differently from libuv's and an adapter must
// hide (issue 11; found on Bun): a Unix socket whose peer closed both ways (Bun closed the
// handle at once), a reset while paused, a server that closes a connection at once.
// Each one holds on node:net as libuv does it; every runtime runs them.
import {
  type NetLike,
  type Recorder,
  type Scenario,
  type ServerLike,
  sleep,
  SOCKET_EVENTS,
  type SocketLike,
} from "./_harness.ts";
import { logCb } from "./_kit.ts";

const NO_DRAIN = SOCKET_EVENTS.filter((e) => e !== "drain");

/** A Unix socket server whose first accepted socket is traced as `peer` and given to `onPeer`. */
async function unixServer(
  net: NetLike,
  rec: Recorder,
  onPeer: (peer: SocketLike) => void,
  options: object = {},
): Promise<{ server: ServerLike; path: string; peer: Promise<SocketLike> }> {
  const path = rec.socketPath();
  let resolvePeer!: (p: SocketLike) => void;
  const peer = new Promise<SocketLike>((resolve) => resolvePeer = resolve);
  const server = net.createServer(options, (p) => {
    rec.watch("peer", p, NO_DRAIN);
    onPeer(p);
    resolvePeer(p);
  });
  await rec.listenPath(server, path);
  return { server, path, peer };
}

/**
 * A half-open Unix client whose peer destroys itself at once: returns once the client saw
 * 'end' and the peer closed (the kernel has both ends' state by then).
 */
async function hungUpClient(net: NetLike, rec: Recorder) {
  const { server, path, peer } = await unixServer(net, rec, (p) => p.destroy());
  const client = net.connect({ path, allowHalfOpen: true });
  rec.watch("client", client, NO_DRAIN);
  await rec.next(client, "end");
  await rec.closed(await peer, "peer 'close'");
  await sleep(20); // a runtime that would close the client now has done it
  rec.log("client", `after the peer closed: destroyed=${client.destroyed} readyState=${client.readyState}`);
  return { server, client };
}

export const bunFidelityScenarios: Scenario[] = [
  {
    name: "fidelity: Unix, allowHalfOpen, the peer closed: the socket stays open, a write fails with EPIPE",
    needs: ["unix"],
    async run(net, rec) {
      const { server, client } = await hungUpClient(net, rec);
      client.write("x", logCb(rec, "client", "write"));
      await rec.closed(client);
      await rec.closeServer(server);
    },
  },
  {
    name: "fidelity: Unix, allowHalfOpen, the peer closed: end() still finishes cleanly",
    needs: ["unix"],
    async run(net, rec) {
      const { server, client } = await hungUpClient(net, rec);
      client.end(logCb(rec, "client", "end"));
      await rec.closed(client);
      await rec.closeServer(server);
    },
  },
  {
    name: "fidelity: Unix, allowHalfOpen, the peer closed: destroySoon() finishes cleanly",
    needs: ["unix"],
    async run(net, rec) {
      const { server, client } = await hungUpClient(net, rec);
      client.destroySoon();
      await rec.closed(client);
      await rec.closeServer(server);
    },
  },
];
