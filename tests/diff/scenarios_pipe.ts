// Scenarios: Unix domain sockets (Node's test-pipe-* / test-net-pipe-* checks): listen
// forms, address getters, half-close, errors on bad paths, getConnections, timeouts.
import { Buffer } from "node:buffer";
import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import {
  type NetLike,
  type Recorder,
  type Scenario,
  type ServerLike,
  SOCKET_EVENTS,
  type SocketLike,
} from "./_harness.ts";
import { addresses, logCb } from "./_kit.ts";

const SERVER_EVENTS = ["listening", "error", "close"];
const NO_DRAIN = SOCKET_EVENTS.filter((e) => e !== "drain");

/** A Unix socket server traced as `server`, its first peer as `peer`. */
async function pipeServer(
  net: NetLike,
  rec: Recorder,
  onPeer: (peer: SocketLike) => void = (p) => p.resume(),
  options: object = {},
): Promise<{ server: ServerLike; path: string; peer: Promise<SocketLike> }> {
  const path = rec.socketPath();
  let resolvePeer!: (p: SocketLike) => void;
  const peer = new Promise<SocketLike>((resolve) => resolvePeer = resolve);
  let first = true;
  const server = net.createServer(options, (p) => {
    if (first) rec.watch("peer", p, NO_DRAIN);
    onPeer(p);
    if (first) resolvePeer(p);
    first = false;
  });
  rec.watch("server", server, SERVER_EVENTS);
  await rec.listenPath(server, path);
  return { server, path, peer };
}

async function finish(rec: Recorder, server: ServerLike, peer: Promise<SocketLike>, ...sockets: SocketLike[]) {
  for (const s of sockets) await rec.closed(s);
  await rec.closed(await peer, "peer 'close'");
  await rec.closeServer(server);
}

export const pipeScenarios: Scenario[] = [
  {
    name: "pipe: echo round trip with connect({ path }) and the connect callback",
    needs: ["unix"],
    async run(net, rec) {
      const { server, path, peer } = await pipeServer(net, rec, (p) => p.pipe(p));
      const c = net.connect({ path }, () => rec.log("client", "connect callback"));
      rec.watch("client", c);
      c.end("ping");
      await finish(rec, server, peer, c);
      rec.log("client", `bytesRead=${c.bytesRead} bytesWritten=${c.bytesWritten}`);
    },
  },
  {
    name: "pipe: createConnection(path) and new Socket().connect(path)",
    needs: ["unix"],
    async run(net, rec) {
      const { server, path, peer } = await pipeServer(net, rec, (p) => p.end("hi"));
      const a = net.createConnection(path);
      rec.watch("clientA", a);
      const b = new net.Socket();
      rec.watch("clientB", b);
      rec.log("clientB", `connect returns this: ${b.connect(path) === b}`);
      a.resume();
      b.resume();
      await finish(rec, server, peer, a, b);
    },
  },
  {
    name: "pipe: address getters on both ends",
    needs: ["unix"],
    async run(net, rec) {
      const { server, path, peer } = await pipeServer(net, rec);
      const c = net.connect(path);
      rec.watch("client", c);
      await rec.next(c, "connect");
      addresses(rec, "client", "connected", c);
      addresses(rec, "peer", "accepted", await peer);
      rec.log("server", `address=${JSON.stringify(server.address())}`);
      c.end();
      await finish(rec, server, peer, c);
    },
  },
  {
    name: "pipe: state getters through the life of a client",
    needs: ["unix"],
    async run(net, rec) {
      const { server, path, peer } = await pipeServer(net, rec, (p) => p.end("x"));
      const c = net.connect(path);
      const state = (what: string) =>
        rec.log("client", `${what}: readyState=${c.readyState} pending=${c.pending} connecting=${c.connecting}`);
      state("connecting");
      rec.watch("client", c);
      c.on("connect", () => state("on connect"));
      c.on("end", () => state("on end"));
      c.on("close", () => state("on close"));
      await finish(rec, server, peer, c);
    },
  },
  {
    name: "pipe: listen({ path }) form with a callback",
    needs: ["unix"],
    async run(net, rec) {
      const path = rec.socketPath();
      const server = net.createServer();
      rec.watch("server", server, SERVER_EVENTS);
      server.listen({ path }, () => rec.log("server", "listen callback"));
      await rec.next(server, "listening");
      rec.log("server", `listening=${server.listening} address=${JSON.stringify(server.address())}`);
      await rec.closeServer(server);
      rec.log("server", `path exists after close: ${existsSync(path)}`);
    },
  },
  {
    name: "pipe: listen({ path, readableAll, writableAll })",
    needs: ["unix"],
    async run(net, rec) {
      const path = rec.socketPath();
      const server = net.createServer((p) => p.end("all"));
      rec.watch("server", server, SERVER_EVENTS);
      server.listen({ path, readableAll: true, writableAll: true });
      await rec.next(server, "listening");
      const c = net.connect(path);
      rec.watch("client", c);
      await rec.closed(c);
      await rec.closeServer(server);
    },
  },
  {
    name: "pipe: connect to a path in a missing directory: ENOENT",
    needs: ["unix"],
    async run(net, rec) {
      const path = join(dirname(rec.socketPath()), "nope", "s.sock");
      const c = net.connect(path);
      rec.watch("client", c);
      await rec.closed(c);
    },
  },
  {
    name: "pipe: the client ends first; the server answers (allowHalfOpen)",
    needs: ["unix"],
    async run(net, rec) {
      const { server, path, peer } = await pipeServer(net, rec, (p) => {
        p.setEncoding("utf8");
        p.on("end", () => p.end("answer"));
      }, { allowHalfOpen: true });
      const c = net.connect(path);
      rec.watch("client", c);
      c.setEncoding("utf8");
      c.end("question");
      await finish(rec, server, peer, c);
    },
  },
  {
    name: "pipe: the server ends first; a half-open client keeps writing",
    needs: ["unix"],
    async run(net, rec) {
      const { server, path, peer } = await pipeServer(net, rec, (p) => {
        p.setEncoding("utf8");
        p.end("done");
      }, { allowHalfOpen: true });
      const c = net.connect({ path, allowHalfOpen: true });
      rec.watch("client", c);
      c.on("end", () => {
        rec.log("client", `on end: readyState=${c.readyState}`);
        c.end("after");
      });
      await finish(rec, server, peer, c);
    },
  },
  {
    name: "pipe: the server destroys the connection",
    needs: ["unix"],
    async run(net, rec) {
      const { server, path, peer } = await pipeServer(net, rec, (p) => p.destroy());
      const c = net.connect(path);
      rec.watch("client", c);
      c.resume();
      await finish(rec, server, peer, c);
    },
  },
  {
    name: "pipe: a large transfer arrives whole",
    needs: ["unix"],
    async run(net, rec) {
      const { server, path, peer } = await pipeServer(net, rec);
      const c = net.connect(path);
      rec.watch("client", c, NO_DRAIN);
      c.end(Buffer.alloc(500_000, 0x71));
      await finish(rec, server, peer, c);
      rec.log("peer", `bytesRead=${(await peer).bytesRead}`);
    },
  },
  {
    name: "pipe: setNoDelay, setKeepAlive and setTimeout return the socket",
    needs: ["unix"],
    async run(net, rec) {
      const { server, path, peer } = await pipeServer(net, rec);
      const c = net.connect(path);
      rec.watch("client", c);
      await rec.next(c, "connect");
      const ok = c.setNoDelay(true) === c && c.setKeepAlive(true, 10) === c && c.setTimeout(0) === c;
      rec.log("client", `chained=${ok}`);
      c.end();
      await finish(rec, server, peer, c);
    },
  },
  {
    name: "pipe: getConnections counts Unix connections",
    needs: ["unix"],
    async run(net, rec) {
      const { server, path, peer } = await pipeServer(net, rec);
      const c = net.connect(path);
      rec.watch("client", c);
      await peer;
      await new Promise<void>((resolve) =>
        server.getConnections((err: Error | null, n: number) => {
          rec.log("server", `getConnections(${err}, ${n})`);
          resolve();
        })
      );
      c.end();
      await finish(rec, server, peer, c);
    },
  },
  {
    name: "pipe: 'timeout' on an idle Unix connection",
    needs: ["unix"],
    async run(net, rec) {
      const { server, path, peer } = await pipeServer(net, rec);
      const c = net.connect(path);
      rec.watch("client", c);
      c.on("connect", () => c.setTimeout(40));
      c.on("timeout", () => c.end());
      await finish(rec, server, peer, c);
    },
  },
  {
    name: "pipe: write callbacks and 'finish' over a Unix socket",
    needs: ["unix"],
    async run(net, rec) {
      const { server, path, peer } = await pipeServer(net, rec);
      const c = net.connect(path);
      rec.watch("client", c);
      await rec.next(c, "connect");
      c.write("a", logCb(rec, "client", "write a"));
      c.write("b", logCb(rec, "client", "write b"));
      c.end(logCb(rec, "client", "end"));
      c.resume();
      await finish(rec, server, peer, c);
    },
  },
  {
    name: "pipe: destroy() during connect",
    needs: ["unix"],
    async run(net, rec) {
      const path = rec.socketPath();
      const server = net.createServer((p) => {
        p.on("error", () => {});
        p.resume();
      });
      await rec.listenPath(server, path);
      const c = net.connect(path);
      rec.watch("client", c);
      c.destroy();
      await rec.closed(c);
      await rec.closeServer(server);
    },
  },
  {
    name: "pipe: writes before connect are sent in order",
    needs: ["unix"],
    async run(net, rec) {
      const { server, path, peer } = await pipeServer(net, rec, (p) => p.setEncoding("utf8"));
      const c = net.connect(path);
      rec.watch("client", c);
      c.write("1,");
      c.write("2,");
      c.end("3");
      rec.log("client", `bytesWritten before connect=${c.bytesWritten}`);
      await finish(rec, server, peer, c);
    },
  },
  {
    name: "pipe: reconnecting a closed socket to a Unix path",
    needs: ["unix"],
    async run(net, rec) {
      const path = rec.socketPath();
      const server = net.createServer((p) => p.end("hello"));
      await rec.listenPath(server, path);
      const c = net.connect(path);
      rec.watch("client", c);
      c.resume();
      await rec.next(c, "close");
      c.connect(path);
      await rec.next(c, "close");
      await rec.closeServer(server);
    },
  },
  {
    name: "pipe: server close while a Unix connection lives",
    needs: ["unix"],
    async run(net, rec) {
      const { server, path, peer } = await pipeServer(net, rec);
      const c = net.connect(path);
      rec.watch("client", c);
      await peer;
      server.close(logCb(rec, "server", "close"));
      rec.log("server", `after close(): listening=${server.listening}`);
      c.end();
      await rec.closed(c);
      await rec.closed(server);
    },
  },
  {
    name: "pipe: listen twice on one Unix server: ERR_SERVER_ALREADY_LISTEN",
    needs: ["unix"],
    async run(net, rec) {
      const { server, path, peer } = await pipeServer(net, rec);
      rec.try("server", "listen(path) again", () => server.listen(path));
      void peer;
      await rec.closeServer(server);
    },
  },
  {
    name: "pipe: connect to a path that is a regular file: ECONNREFUSED",
    needs: ["unix"],
    async run(net, rec) {
      const path = rec.socketPath("file");
      writeFileSync(path, "not a socket");
      const c = net.connect(path);
      rec.watch("client", c);
      await rec.closed(c);
    },
  },
  {
    name: "pipe: listen on a path whose directory does not exist: EACCES (libuv maps ENOENT)",
    needs: ["unix"],
    async run(net, rec) {
      const path = join(dirname(rec.socketPath()), "missing", "s.sock");
      const server = net.createServer();
      rec.watch("server", server, SERVER_EVENTS);
      server.listen(path);
      await rec.next(server, "error");
      rec.log("server", `listening=${server.listening}`);
    },
  },
  {
    name: "pipe: listen on a path that is a regular file: EADDRINUSE",
    needs: ["unix"],
    async run(net, rec) {
      const path = rec.socketPath("file");
      writeFileSync(path, "");
      const server = net.createServer();
      rec.watch("server", server, SERVER_EVENTS);
      server.listen(path);
      await rec.next(server, "error");
    },
  },
  {
    name: "pipe: listen on a path that is a directory: EADDRINUSE",
    needs: ["unix"],
    async run(net, rec) {
      const path = rec.socketPath("dir");
      mkdirSync(path);
      const server = net.createServer();
      rec.watch("server", server, SERVER_EVENTS);
      server.listen(path);
      await rec.next(server, "error");
    },
  },
];
