// Scenarios: edge cases of the socket and server API that Node's own test-net-* files
// pin down: calls after finish or close, option precedence, server option inheritance,
// late listeners, and calls with missing or odd arguments.
import type { NetLike, Recorder, Scenario, SocketLike } from "./_harness.ts";
import { serve, settle, snapshot } from "./_serve.ts";
import { idleSocket, logCb, quietServer, throwsScenario, until } from "./_kit.ts";

const SERVER_EVENTS = ["listening", "error", "close"];

async function connected(net: NetLike, rec: Recorder, port: number, label = "client"): Promise<SocketLike> {
  const s = net.connect(port, "127.0.0.1");
  rec.watch(label, s);
  await rec.next(s, "connect");
  return s;
}

export const edgeScenarios: Scenario[] = [
  {
    name: "edges: end(cb) after 'finish': the callback gets ERR_STREAM_ALREADY_FINISHED",
    async run(net, rec) {
      const served = await serve(net, rec, (p) => {
        p.resume();
        p.on("end", () => setTimeout(() => p.end(), 30));
      }, { allowHalfOpen: true });
      const s = net.connect({ port: served.port, host: "127.0.0.1", allowHalfOpen: true });
      rec.watch("client", s);
      s.end();
      await rec.next(s, "finish");
      s.end(logCb(rec, "client", "second end"));
      s.resume();
      await settle(rec, served, s);
    },
  },
  {
    name: "edges: a 'close' listener added after close does not run",
    async run(net, rec) {
      const s = new net.Socket();
      rec.watch("client", s);
      s.destroy();
      await rec.closed(s);
      s.on("close", () => rec.log("client", "late close listener"));
      await new Promise((resolve) => setTimeout(resolve, 10));
      rec.log("client", `closed=${s.closed}`);
    },
  },
  {
    name: "edges: connect({ path, port }): the path wins",
    needs: ["unix"],
    async run(net, rec) {
      const { server, port } = await quietServer(net, rec);
      const s = net.connect({ path: rec.socketPath("missing.sock"), port, host: "127.0.0.1" });
      rec.watch("client", s);
      await rec.closed(s);
      await rec.closeServer(server);
    },
  },
  {
    name: "edges: connect({ port, host: '' }) resolves localhost",
    async run(net, rec) {
      const served = await serve(net, rec);
      const s = net.connect({ port: served.port, host: "" });
      rec.watch("client", s);
      s.on("connect", () => s.end());
      await settle(rec, served, s);
    },
  },
  {
    name: "edges: connect(port, host) with a trailing options-like argument",
    async run(net, rec) {
      const served = await serve(net, rec);
      const s = net.connect(served.port, "127.0.0.1", { ignored: true });
      rec.watch("client", s);
      s.on("connect", () => s.end());
      await settle(rec, served, s);
    },
  },
  {
    name: "edges: connect(String(port), host) with a numeric-string port",
    async run(net, rec) {
      const served = await serve(net, rec);
      const s = net.connect(String(served.port), "127.0.0.1");
      rec.watch("client", s);
      s.on("connect", () => s.end());
      await settle(rec, served, s);
    },
  },
  {
    name: "edges: destroy('reason') with a non-Error reason",
    async run(net, rec) {
      const s = new net.Socket();
      rec.watch("client", s);
      s.destroy("reason" as unknown as Error);
      await rec.closed(s);
    },
  },
  {
    name: "edges: the peer's remote getters stay readable after it closed",
    async run(net, rec) {
      const served = await serve(net, rec);
      const s = await connected(net, rec, served.port);
      const peer = await served.peer;
      s.end();
      await settle(rec, served, s);
      rec.log("peer", `closed: remoteAddress=${peer.remoteAddress} remoteFamily=${peer.remoteFamily}`);
      rec.log("peer", `closed: remotePort is the client's: ${peer.remotePort === s.localPort}`);
      rec.log("client", `closed: remoteAddress=${s.remoteAddress} remotePort=${s.remotePort === served.port}`);
    },
  },
  {
    name: "edges: server highWaterMark option reaches accepted sockets",
    async run(net, rec) {
      const served = await serve(net, rec, (p) => {
        rec.log("peer", `hwm readable=${p.readableHighWaterMark} writable=${p.writableHighWaterMark}`);
        p.end();
      }, { highWaterMark: 1024 } as object);
      const s = net.connect(served.port, "127.0.0.1");
      rec.watch("client", s);
      s.resume();
      await settle(rec, served, s);
    },
  },
  {
    name: "edges: accepted sockets are not flowing until read",
    async run(net, rec) {
      const served = await serve(net, rec, (p) => {
        rec.log("peer", `flowing=${p.readableFlowing} paused=${p.isPaused()}`);
        p.end();
      });
      const s = net.connect(served.port, "127.0.0.1");
      rec.watch("client", s);
      s.resume();
      await settle(rec, served, s);
    },
  },
  {
    name: "edges: resetAndDestroy() on a Unix socket",
    needs: ["unix"],
    async run(net, rec) {
      const path = rec.socketPath();
      const server = net.createServer((p) => {
        p.on("error", () => {});
        p.resume();
      });
      await rec.listenPath(server, path);
      const s = net.connect(path);
      rec.watch("client", s);
      await rec.next(s, "connect");
      rec.try("client", "resetAndDestroy()", () => s.resetAndDestroy());
      s.destroy();
      await rec.closed(s);
      await rec.closeServer(server);
    },
  },
  {
    name: "edges: server 'listening' listener and listen callback both run once",
    async run(net, rec) {
      const server = net.createServer();
      let n = 0;
      server.on("listening", () => n++);
      server.listen(0, "127.0.0.1", () => n++);
      await rec.next(server, "listening");
      await new Promise((resolve) => setTimeout(resolve, 5));
      rec.log("server", `calls=${n} listeners=${server.listenerCount("listening")}`);
      await rec.closeServer(server);
    },
  },
  {
    name: "edges: the listen callback is not called on EADDRINUSE",
    async run(net, rec) {
      const first = net.createServer();
      const port = await rec.listen(first);
      const second = net.createServer();
      rec.watch("second", second, SERVER_EVENTS);
      second.listen(port, "127.0.0.1", () => rec.log("second", "listen callback"));
      await rec.next(second, "error");
      await new Promise((resolve) => setTimeout(resolve, 10));
      rec.log("second", `listening listeners left=${second.listenerCount("listening")}`);
      await rec.closeServer(first);
    },
  },
  {
    name: "edges: server.close() callback once every connection ended",
    async run(net, rec) {
      const { server, port } = await quietServer(net, rec, (p) => p.on("end", () => p.end()));
      const s = await connected(net, rec, port);
      const closed = rec.closed(server);
      server.close(logCb(rec, "server", "close"));
      rec.log("server", `listening=${server.listening}`);
      s.end();
      s.resume();
      await rec.closed(s);
      await closed;
    },
  },
  throwsScenario("edges: getConnections() without a callback", (net) => [
    ["getConnections()", () => net.createServer().getConnections()],
  ]),
  throwsScenario("edges: server.close('x') with a non-function", (net) => [
    ["close('x')", () => net.createServer().close("x")],
  ]),
  throwsScenario("edges: listen with a negative or fractional backlog", (net) => [
    ["backlog -1", () => net.createServer().listen({ port: 0, host: "127.0.0.1", backlog: -1 })],
    ["backlog 1.5", () => net.createServer().listen({ port: 0, host: "127.0.0.1", backlog: 1.5 })],
    ["backlog 'x'", () => net.createServer().listen({ port: 0, host: "127.0.0.1", backlog: "x" })],
  ]),
  throwsScenario("edges: setKeepAlive() and setNoDelay() without arguments", (net) => [
    ["setKeepAlive()", () => idleSocket(net).setKeepAlive()],
    ["setNoDelay()", () => idleSocket(net).setNoDelay()],
  ]),
  throwsScenario("edges: write() with only a callback", (net) => [
    ["write(cb)", () => idleSocket(net).write(() => {})],
    ["end(cb, cb)", () => idleSocket(net).end(() => {}, () => {})],
  ]),
  {
    name: "edges: maxConnections set after listen applies to the next connection",
    async run(net, rec) {
      const server = net.createServer((p) => {
        rec.log("server", "connection");
        p.resume();
      });
      server.on("drop", () => rec.log("server", "drop"));
      const port = await rec.listen(server);
      const a = await connected(net, rec, port, "clientA");
      await new Promise((resolve) => setTimeout(resolve, 20));
      server.maxConnections = 1;
      const b = net.connect(port, "127.0.0.1");
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
    name: "edges: pause() inside 'data' holds the rest until resume()",
    async run(net, rec) {
      const served = await serve(net, rec, (p) => {
        p.write("one");
        setTimeout(() => p.end("two"), 30);
      });
      const s = net.connect(served.port, "127.0.0.1");
      s.setEncoding("utf8");
      rec.watch("client", s);
      s.once("data", () => {
        s.pause();
        until(() => s.readableLength === 3, "3 buffered bytes").then(() => {
          rec.log("client", `resume: readableLength=${s.readableLength}`);
          s.resume();
        });
      });
      await settle(rec, served, s);
    },
  },
  {
    name: "edges: state snapshot in the 'error' listener of a refused connect",
    async run(net, rec) {
      const port = await rec.closedPort(net);
      const s = net.connect(port, "127.0.0.1");
      rec.watch("client", s);
      s.on("error", () => snapshot(rec, "client", "on error", s));
      await rec.closed(s);
    },
  },
  {
    name: "edges: connect callback is not called on a refused connect",
    async run(net, rec) {
      const port = await rec.closedPort(net);
      const s = net.connect(port, "127.0.0.1", () => rec.log("client", "connect callback"));
      rec.watch("client", s);
      await rec.closed(s);
      rec.log("client", `connect listeners left=${s.listenerCount("connect")}`);
    },
  },
  {
    name: "edges: end(data) after end(): ERR_STREAM_WRITE_AFTER_END",
    async run(net, rec) {
      const served = await serve(net, rec);
      const s = await connected(net, rec, served.port);
      s.end("a");
      s.end("b", logCb(rec, "client", "second end"));
      s.resume();
      await settle(rec, served, s);
    },
  },
];
