/**
 * Server scenarios for the differential harness: close while connections live,
 * maxConnections and 'drop', pauseOnConnect, a half-open server whose client ends first,
 * listen/close cycles, listen errors, and a Unix socket server. Spread
 * {@link serverScenarios} into the list in `scenarios.ts` to run them.
 *
 * @module
 */
import type { NetLike, Recorder, Scenario, ServerLike, SocketLike } from "./_harness.ts";
import { bounded } from "./_harness.ts";

// 'connection' and 'drop' are logged by hand: their arguments (a socket, ports) vary.
const WATCHED_SERVER_EVENTS = ["listening", "error", "close"];

/** A server traced as `server`, its accepted sockets as `peer1`, `peer2` … */
function tracedServer(
  net: NetLike,
  rec: Recorder,
  options: object = {},
  onPeer: (peer: SocketLike, index: number) => void = (peer) => peer.resume(),
): { server: ServerLike; peers: SocketLike[]; accepted(count: number): Promise<void> } {
  const peers: SocketLike[] = [];
  const waiters: [number, () => void][] = [];
  const server = net.createServer(options, (peer) => {
    rec.log("server", "connection");
    peers.push(peer);
    rec.watch(`peer${peers.length}`, peer);
    onPeer(peer, peers.length);
    for (const [count, resolve] of waiters) if (peers.length >= count) resolve();
  });
  rec.watch("server", server, WATCHED_SERVER_EVENTS);
  server.on("drop", (...args: unknown[]) => rec.log("server", `drop (${args.length} argument)`));
  const accepted = (count: number) =>
    bounded(
      new Promise<void>((resolve) => peers.length >= count ? resolve() : waiters.push([count, resolve])),
      `${count} connection(s)`,
    );
  return { server, peers, accepted };
}

/** A client traced as `label` that reads everything. */
function client(net: NetLike, rec: Recorder, label: string, ...args: unknown[]): SocketLike {
  const socket = net.connect(...args);
  rec.watch(label, socket);
  socket.resume();
  return socket;
}

function closeCallback(rec: Recorder, label = "server") {
  return (err?: Error & { code?: string }) => rec.log(label, `close callback(${err ? err.code : ""})`);
}

export const serverScenarios: Scenario[] = [
  {
    name: "server.close() while connections live: 'close' after the last one ends",
    async run(net, rec) {
      const { server, peers, accepted } = tracedServer(net, rec);
      const port = await rec.listen(server);
      const a = client(net, rec, "clientA", port, "127.0.0.1");
      const b = client(net, rec, "clientB", port, "127.0.0.1");
      await accepted(2);
      const count = () =>
        new Promise<void>((resolve) =>
          server.getConnections((err: Error | null, n: number) => {
            rec.log("server", `getConnections(${err}, ${n})`);
            resolve();
          })
        );
      server.close(closeCallback(rec));
      rec.log("server", `after close(): listening=${server.listening} address=${JSON.stringify(server.address())}`);
      await count();
      a.end();
      await rec.closed(a);
      await rec.closed(peers[0]);
      await count();
      b.end();
      await rec.closed(b);
      await rec.closed(server);
    },
  },
  {
    name: "maxConnections: the connection over the limit is closed with 'drop' and its data",
    async run(net, rec) {
      const { server, accepted } = tracedServer(net, rec);
      server.maxConnections = 1;
      const drops: Record<string, unknown>[] = [];
      server.on("drop", (data: Record<string, unknown>) => drops.push(data));
      const port = await rec.listen(server);
      const a = client(net, rec, "clientA", port, "127.0.0.1");
      await accepted(1);
      const b = client(net, rec, "clientB", port, "127.0.0.1");
      let bPort = -1;
      b.on("connect", () => bPort = b.localPort);
      await rec.closed(b);
      a.end();
      await rec.closed(a);
      for (const d of drops) {
        rec.log(
          "drop data",
          `proto=${Object.getPrototypeOf(d)} keys=${
            Object.keys(d).join(",")
          } local=${d.localAddress}/${d.localFamily}` +
            ` localPort=${d.localPort === port ? "server port" : d.localPort}` +
            ` remote=${d.remoteAddress}/${d.remoteFamily} remotePort=${
              d.remotePort === bPort ? "client B" : d.remotePort
            }`,
        );
      }
      await rec.closeServer(server);
    },
  },
  {
    name: "pauseOnConnect: nothing is read until resume()",
    async run(net, rec) {
      const { server, peers, accepted } = tracedServer(net, rec, { pauseOnConnect: true }, (peer) => {
        rec.log("peer1", `on connection: paused=${peer.isPaused()} flowing=${peer.readableFlowing}`);
      });
      const port = await rec.listen(server);
      const a = client(net, rec, "clientA", port, "127.0.0.1");
      await accepted(1);
      await new Promise((resolve) => a.write("hello", resolve));
      const peer = peers[0];
      rec.log("peer1", `before resume: bytesRead=${peer.bytesRead} flowing=${peer.readableFlowing}`);
      peer.resume();
      await rec.next(peer, "data");
      a.end();
      await rec.closed(a);
      await rec.closed(peer);
      await rec.closeServer(server);
    },
  },
  {
    name: "allowHalfOpen server: the client ends first, the server answers after 'end'",
    async run(net, rec) {
      const { server, peers, accepted } = tracedServer(net, rec, { allowHalfOpen: true }, (peer) => {
        peer.setEncoding("utf8");
        peer.on("end", () => {
          rec.log("peer1", `on end: writable=${peer.writable} readyState=${peer.readyState}`);
          peer.write("answer ");
          peer.end("after end");
        });
      });
      const port = await rec.listen(server);
      const a = client(net, rec, "clientA", port, "127.0.0.1");
      a.setEncoding("utf8");
      a.end("question");
      await accepted(1);
      await rec.closed(a);
      await rec.closed(peers[0]);
      await rec.closeServer(server);
    },
  },
  {
    name: "listen/close cycles: 12 times on one server, alternating port 0 and the first port",
    async run(net, rec) {
      const server = net.createServer();
      rec.watch("server", server, WATCHED_SERVER_EVENTS);
      const port = await rec.listen(server);
      await rec.closeServer(server);
      for (let i = 0; i < 12; i++) {
        const wanted = i % 2 ? port : 0;
        await bounded(
          new Promise<void>((resolve, reject) => {
            server.once("error", reject);
            server.listen(wanted, "127.0.0.1", () => {
              server.off("error", reject);
              resolve();
            });
          }),
          `listen #${i}`,
        );
        const same = (server.address() as { port: number }).port === port;
        rec.log("server", `#${i} listening=${server.listening} on first port=${same}`);
        await rec.closeServer(server);
      }
    },
  },
  {
    name: "close() before 'listening', close() when not listening, and EADDRINUSE",
    async run(net, rec) {
      const early = net.createServer();
      rec.watch("early", early, WATCHED_SERVER_EVENTS);
      early.listen(0, "127.0.0.1", () => rec.log("early", "listen callback"));
      early.close(closeCallback(rec, "early"));
      await rec.closed(early);
      const idle = net.createServer();
      rec.watch("idle", idle, WATCHED_SERVER_EVENTS);
      idle.close(closeCallback(rec, "idle"));
      await rec.closed(idle);
      const first = net.createServer();
      const port = await rec.listen(first);
      const second = net.createServer();
      rec.watch("second", second, WATCHED_SERVER_EVENTS);
      second.listen(port, "127.0.0.1");
      await rec.next(second, "error");
      rec.log("second", `listening=${second.listening} address=${JSON.stringify(second.address())}`);
      rec.try("second", "listen again while the first listens", () => first.listen(0));
      await rec.closeServer(first);
    },
  },
  {
    name: "Unix socket server: listen(path), connect(path), EADDRINUSE, close removes the path",
    async run(net, rec) {
      const path = rec.socketPath();
      const { server, peers, accepted } = tracedServer(net, rec, {}, (peer) => peer.end("over a pipe"));
      server.listen(path, () => rec.log("server", "listen callback"));
      rec.log("server", `sync: listening=${server.listening} address=${JSON.stringify(server.address())}`);
      await rec.next(server, "listening");
      const a = client(net, rec, "clientA", path);
      a.setEncoding("utf8");
      a.on("connect", () => rec.log("clientA", `address=${JSON.stringify(a.address())} remote=${a.remoteAddress}`));
      await accepted(1);
      rec.log("peer1", `address=${JSON.stringify(peers[0].address())} remote=${peers[0].remoteAddress}`);
      const second = net.createServer();
      rec.watch("second", second, WATCHED_SERVER_EVENTS);
      second.listen(path);
      await rec.next(second, "error");
      await rec.closed(a);
      await rec.closed(peers[0]);
      await rec.closeServer(server);
      rec.log("server", `after close: address=${JSON.stringify(server.address())}`);
      const late = net.connect(path);
      rec.watch("late", late);
      await rec.closed(late);
    },
  },
];
