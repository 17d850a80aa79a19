// Scenarios: the same server and connect errors over IPv6 loopback and Unix sockets as
// over IPv4: EADDRINUSE and ECONNREFUSED messages, maxConnections and 'drop' data,
// pauseOnConnect, getConnections once the server stopped listening.
import type { Scenario, SocketLike } from "./_harness.ts";
import { logCb } from "./_kit.ts";

const SERVER_EVENTS = ["listening", "error", "close"];

/** A `'drop'` event's data with the numbers that change between runs masked. */
export function describeDrop(data: Record<string, unknown> | undefined, port: number): string {
  if (!data) return "drop()";
  const keys = Object.keys(data).join(",");
  const lp = data.localPort === port
    ? "<server port>"
    : typeof data.localPort === "number"
    ? "<number>"
    : data.localPort;
  const rp = typeof data.remotePort === "number" ? "<number>" : data.remotePort;
  return `drop keys=${keys} local=${data.localAddress}/${data.localFamily}:${lp} remote=${data.remoteAddress}/${data.remoteFamily}:${rp}`;
}

export const familyScenarios: Scenario[] = [
  {
    name: "families: EADDRINUSE on IPv6 loopback",
    async run(net, rec) {
      const first = net.createServer();
      const port = await rec.listen(first, "::1");
      const second = net.createServer();
      rec.watch("second", second, SERVER_EVENTS);
      second.listen(port, "::1");
      await rec.next(second, "error");
      await rec.closeServer(first);
    },
  },
  {
    name: "families: ECONNREFUSED on IPv6 loopback",
    async run(net, rec) {
      const server = net.createServer();
      const port = await rec.listen(server, "::1");
      await rec.closeServer(server);
      const s = net.connect(port, "::1");
      rec.watch("client", s);
      await rec.closed(s);
    },
  },
  {
    name: "families: ECONNREFUSED for localhost through the system resolver",
    async run(net, rec) {
      const port = await rec.closedPort(net);
      const s = net.connect(port, "localhost");
      rec.watch("client", s);
      await rec.closed(s);
    },
  },
  {
    name: "families: maxConnections over IPv6: 'drop' data",
    async run(net, rec) {
      const server = net.createServer((p) => {
        rec.log("server", "connection");
        p.resume();
      });
      server.maxConnections = 1;
      let port = 0;
      server.on("drop", (data?: Record<string, unknown>) => rec.log("server", describeDrop(data, port)));
      port = await rec.listen(server, "::1");
      const a = net.connect(port, "::1");
      rec.watch("clientA", a);
      await rec.next(server, "connection");
      const b = net.connect(port, "::1");
      rec.watch("clientB", b);
      b.resume();
      await rec.closed(b);
      a.end();
      a.resume();
      await rec.closed(a);
      await rec.closeServer(server);
    },
  },
  {
    name: "families: pauseOnConnect over a Unix socket",
    needs: ["unix"],
    async run(net, rec) {
      const path = rec.socketPath();
      let peer: SocketLike | undefined;
      const server = net.createServer({ pauseOnConnect: true }, (p) => {
        peer = p;
        rec.watch("peer", p);
        rec.log("peer", `flowing=${p.readableFlowing}`);
      });
      await rec.listenPath(server, path);
      const a = net.connect(path);
      rec.watch("client", a);
      await new Promise((resolve) => a.write("unix", resolve));
      while (!peer) await new Promise((resolve) => setTimeout(resolve, 5));
      await new Promise((resolve) => setTimeout(resolve, 20));
      rec.log("peer", `bytesRead before resume=${peer.bytesRead}`);
      peer.resume();
      a.end();
      await rec.closed(a);
      await rec.closed(peer);
      await rec.closeServer(server);
    },
  },
  {
    name: "families: getConnections after close() while a connection lives",
    async run(net, rec) {
      let peerClosed: Promise<void> | undefined;
      const server = net.createServer((p) => {
        peerClosed = new Promise((resolve) => p.once("close", () => resolve()));
        p.resume();
      });
      rec.watch("server", server, SERVER_EVENTS);
      const port = await rec.listen(server);
      const a = net.connect(port, "127.0.0.1");
      rec.watch("client", a);
      await rec.next(server, "connection");
      const closed = rec.closed(server);
      server.close(logCb(rec, "server", "close"));
      await new Promise<void>((resolve) =>
        server.getConnections((err: Error | null, n: number) => {
          rec.log("server", `getConnections(${err}, ${n})`);
          resolve();
        })
      );
      a.end();
      a.resume();
      await rec.closed(a);
      await peerClosed;
      await closed;
    },
  },
  {
    name: "families: an IPv6 server refuses IPv4 clients when bound to ::1",
    async run(net, rec) {
      const server = net.createServer((p) => p.end());
      const port = await rec.listen(server, "::1");
      const s = net.connect(port, "127.0.0.1");
      rec.watch("client", s);
      await rec.closed(s);
      await rec.closeServer(server);
    },
  },
  {
    name: "families: the IPv4 and IPv6 loopbacks can share a port number",
    async run(net, rec) {
      const v4 = net.createServer((p) => p.end("four"));
      const port = await rec.listen(v4, "127.0.0.1");
      const v6 = net.createServer((p) => p.end("six"));
      rec.watch("v6", v6, SERVER_EVENTS);
      v6.listen(port, "::1");
      await rec.next(v6, "listening");
      const a = net.connect(port, "127.0.0.1");
      const b = net.connect(port, "::1");
      rec.watch("to v4", a);
      rec.watch("to v6", b);
      await rec.closed(a);
      await rec.closed(b);
      await rec.closeServer(v4);
      await rec.closeServer(v6);
    },
  },
];
