// Scenarios: conversations and call sequences that Node's own test-net-* files pin down
// (ping-pong, reconnect from 'close', end right after a failing lookup, calls on a
// destroyed socket, encoding switched mid-stream, destroy inside listeners, server
// calls inside 'connection').
import process from "node:process";
import type { Scenario, SocketLike } from "./_harness.ts";
import { serve, serveEcho, settle, snapshot } from "./_serve.ts";
import { logCb, quietServer } from "./_kit.ts";

type LookupCb = (...args: unknown[]) => void;

export const flowScenarios: Scenario[] = [
  {
    name: "flows: ping-pong, five round trips",
    async run(net, rec) {
      const served = await serve(net, rec, (p) => {
        p.setEncoding("utf8");
        p.on("data", (d: string) => p.write(d === "ping 5" ? "last pong" : "pong"));
        p.on("end", () => p.end());
      });
      const s = net.connect(served.port, "127.0.0.1");
      s.setEncoding("utf8");
      rec.watch("client", s);
      let n = 0;
      s.on("connect", () => s.write(`ping ${++n}`));
      s.on("data", () => n < 5 ? s.write(`ping ${++n}`) : s.end());
      await settle(rec, served, s);
    },
  },
  {
    name: "flows: reconnect from 'close' three times",
    async run(net, rec) {
      let accepted = 0;
      const { server, port } = await quietServer(net, rec, (p) => {
        accepted++;
        p.end("hello");
      });
      const s = new net.Socket();
      rec.watch("client", s);
      let rounds = 0;
      s.on("close", () => {
        if (++rounds < 3) s.connect(port, "127.0.0.1");
      });
      s.resume();
      s.connect(port, "127.0.0.1");
      while (rounds < 3) await rec.next(s, "close");
      rec.log("client", `rounds=${rounds} accepted=${accepted} bytesRead=${s.bytesRead}`);
      await rec.closeServer(server);
    },
  },
  {
    name: "flows: end() right after connect to a name that fails to resolve",
    async run(net, rec) {
      const err = Object.assign(new Error("getaddrinfo ENOTFOUND nowhere.test"), {
        code: "ENOTFOUND",
        syscall: "getaddrinfo",
        hostname: "nowhere.test",
      });
      const lookup = (_h: string, _o: unknown, cb: LookupCb) => setTimeout(() => cb(err), 1);
      const s = net.connect({ port: 80, host: "nowhere.test", lookup });
      rec.watch("client", s);
      s.end(logCb(rec, "client", "end"));
      await rec.closed(s);
    },
  },
  {
    name: "flows: end(cb) on a destroyed socket",
    async run(net, rec) {
      const s = new net.Socket();
      rec.watch("client", s);
      s.destroy();
      s.end(logCb(rec, "client", "end"));
      await rec.closed(s);
      await new Promise((resolve) => setTimeout(resolve, 10));
    },
  },
  {
    name: "flows: setTimeout on a never connected socket still emits 'timeout'",
    async run(net, rec) {
      const s = new net.Socket();
      rec.watch("client", s);
      s.setTimeout(20);
      await rec.next(s, "timeout");
      snapshot(rec, "client", "on timeout", s);
      s.destroy();
      await rec.closed(s);
    },
  },
  {
    name: "flows: write callbacks when destroyed before the connection is made",
    async run(net, rec) {
      const { server, port } = await quietServer(net, rec);
      const s = net.connect(port, "127.0.0.1");
      rec.watch("client", s);
      s.write("a", logCb(rec, "callbacks", "write a"));
      s.write("b", logCb(rec, "callbacks", "write b"));
      s.destroy();
      await rec.closed(s);
      await new Promise((resolve) => setTimeout(resolve, 10));
      await rec.closeServer(server);
    },
  },
  {
    name: "flows: resetAndDestroy() twice",
    needs: ["reset"],
    async run(net, rec) {
      const served = await serve(net, rec);
      const s = net.connect(served.port, "127.0.0.1");
      rec.watch("client", s);
      await rec.next(s, "connect");
      rec.try("client", "resetAndDestroy()", () => s.resetAndDestroy());
      rec.try("client", "resetAndDestroy() again", () => s.resetAndDestroy());
      await settle(rec, served, s);
    },
  },
  {
    name: "flows: resetAndDestroy() after destroy()",
    needs: ["reset"],
    async run(net, rec) {
      const served = await serve(net, rec);
      const s = net.connect(served.port, "127.0.0.1");
      rec.watch("client", s);
      await rec.next(s, "connect");
      s.destroy();
      rec.try("client", "resetAndDestroy()", () => s.resetAndDestroy());
      await settle(rec, served, s);
    },
  },
  {
    name: "flows: bytesWritten counts corked and queued data",
    async run(net, rec) {
      const served = await serve(net, rec);
      const s = net.connect(served.port, "127.0.0.1");
      rec.watch("client", s);
      await rec.next(s, "connect");
      s.cork();
      s.write("12345");
      rec.log("client", `corked: bytesWritten=${s.bytesWritten}`);
      s.write("678");
      s.uncork();
      rec.log("client", `uncorked: bytesWritten=${s.bytesWritten}`);
      s.end();
      s.resume();
      await settle(rec, served, s);
      rec.log("client", `closed: bytesWritten=${s.bytesWritten}`);
    },
  },
  {
    name: "flows: server.close() before listen's lookup answered",
    async run(net, rec) {
      const server = net.createServer();
      rec.watch("server", server, ["listening", "error", "close"]);
      server.listen(0, "localhost");
      server.close(logCb(rec, "server", "close"));
      await new Promise((resolve) => setTimeout(resolve, 50));
      rec.log("server", `listening=${server.listening}`);
      if (server.listening) await rec.closeServer(server);
    },
  },
  {
    name: "flows: the deprecated server.connections property",
    async run(net, rec) {
      const server = net.createServer();
      rec.log("server", `connections=${server.connections}`);
      await new Promise((resolve) => setTimeout(resolve, 1));
    },
  },
  {
    name: "flows: end() inside the 'connect' listener",
    async run(net, rec) {
      const served = await serve(net, rec, (p) => p.setEncoding("utf8"));
      const s = net.connect(served.port, "127.0.0.1");
      rec.watch("client", s);
      s.on("connect", () => s.end("from connect"));
      s.resume();
      await settle(rec, served, s);
    },
  },
  {
    name: "flows: setEncoding after the first chunk: later chunks are strings",
    async run(net, rec) {
      const served = await serve(net, rec, (p) => {
        p.write("bytes");
        p.once("data", () => p.end("text"));
      });
      const s = net.connect(served.port, "127.0.0.1");
      rec.watch("client", s);
      s.once("data", () => {
        s.setEncoding("utf8");
        s.write("go");
      });
      await settle(rec, served, s);
    },
  },
  {
    name: "flows: destroy() inside 'data' stops the flow",
    async run(net, rec) {
      const served = await serve(net, rec, (p) => {
        p.on("error", () => {});
        p.write("first");
      });
      const s = net.connect(served.port, "127.0.0.1");
      rec.watch("client", s);
      s.once("data", () => {
        s.destroy();
        snapshot(rec, "client", "destroyed in data", s);
      });
      await rec.closed(s);
      await rec.closed(await served.peer);
      await rec.closeServer(served.server);
    },
  },
  {
    name: "flows: destroy(err) inside 'end'",
    async run(net, rec) {
      const served = await serve(net, rec, (p) => p.end("bye"));
      const s = net.connect(served.port, "127.0.0.1");
      rec.watch("client", s);
      s.on("end", () => s.destroy(new Error("after end")));
      await settle(rec, served, s);
    },
  },
  {
    name: "flows: write after 'finish' on a half-open socket: ERR_STREAM_WRITE_AFTER_END",
    async run(net, rec) {
      const served = await serve(net, rec, (p) => {
        p.resume();
        p.on("end", () => setTimeout(() => p.end(), 30));
      }, { allowHalfOpen: true });
      const s = net.connect({ port: served.port, host: "127.0.0.1", allowHalfOpen: true });
      rec.watch("client", s);
      s.end();
      await rec.next(s, "finish");
      rec.log("client", `write: ${s.write("late", logCb(rec, "client", "write"))}`);
      s.resume();
      await settle(rec, served, s);
    },
  },
  {
    name: "flows: connect({ host: IP, family: 4 }) skips the lookup",
    async run(net, rec) {
      const served = await serve(net, rec);
      let looked = 0;
      const lookup = (_h: string, _o: unknown, cb: LookupCb) => {
        looked++;
        cb(null, "127.0.0.1", 4);
      };
      const s = net.connect({ port: served.port, host: "127.0.0.1", family: 4, lookup });
      rec.watch("client", s);
      s.on("connect", () => s.end());
      await settle(rec, served, s);
      rec.log("client", `lookup calls=${looked}`);
    },
  },
  {
    name: "flows: connect({ host: 'localhost', autoSelectFamily: false })",
    async run(net, rec) {
      const served = await serve(net, rec);
      const s = net.connect({ port: served.port, host: "localhost", autoSelectFamily: false });
      rec.watch("client", s);
      s.on("connect", () => s.end());
      await settle(rec, served, s);
    },
  },
  {
    name: "flows: getConnections inside the 'connection' listener counts the new socket",
    async run(net, rec) {
      const server = net.createServer((p) => {
        server.getConnections((err: Error | null, n: number) => {
          rec.log("server", `getConnections(${err}, ${n})`);
          p.end();
        });
      });
      const port = await rec.listen(server);
      const s = net.connect(port, "127.0.0.1");
      rec.watch("client", s);
      s.resume();
      await rec.closed(s);
      await rec.closeServer(server);
    },
  },
  {
    name: "flows: server.close() inside 'connection': that connection is still served",
    async run(net, rec) {
      const server = net.createServer((p) => {
        server.close(logCb(rec, "server", "close"));
        p.end("served anyway");
      });
      rec.watch("server", server, ["listening", "error", "close"]);
      const port = await rec.listen(server);
      const s = net.connect(port, "127.0.0.1");
      rec.watch("client", s);
      await rec.closed(s);
      await rec.closed(server);
    },
  },
  {
    name: "flows: setTimeout(0) inside the 'timeout' listener stops further timeouts",
    async run(net, rec) {
      const served = await serve(net, rec);
      const s = net.connect(served.port, "127.0.0.1");
      rec.watch("client", s);
      s.on("connect", () => s.setTimeout(30));
      s.on("timeout", () => {
        s.setTimeout(0);
        s.write("wake");
        setTimeout(() => s.end(), 120);
      });
      await settle(rec, served, s);
    },
  },
  {
    name: "flows: pipe() returns the destination and ends it",
    async run(net, rec) {
      const a = await quietServer(net, rec, (p) => p.end("through"));
      const sink = await serveEcho(net, rec);
      const from = net.connect(a.port, "127.0.0.1");
      const to = net.connect(sink.port, "127.0.0.1");
      rec.watch("from", from);
      rec.watch("to", to);
      rec.log("from", `pipe returns the destination: ${from.pipe(to) === to}`);
      await rec.closed(from);
      await rec.closed(to);
      await rec.closeServer(a.server);
      await settle(rec, sink);
    },
  },
  {
    name: "flows: Unix socket with corked writes",
    needs: ["unix"],
    async run(net, rec) {
      const path = rec.socketPath();
      let peer: SocketLike | undefined;
      const server = net.createServer((p) => {
        peer = p;
        rec.watch("peer", p);
        p.setEncoding("utf8");
      });
      await rec.listenPath(server, path);
      const s = net.connect(path);
      rec.watch("client", s);
      await rec.next(s, "connect");
      s.cork();
      for (const w of ["x", "y", "z"]) s.write(w, logCb(rec, "client", w));
      process.nextTick(() => s.uncork());
      s.end();
      await rec.closed(s);
      while (!peer) await new Promise((resolve) => setTimeout(resolve, 5));
      await rec.closed(peer);
      await rec.closeServer(server);
    },
  },
  {
    name: "flows: Unix listen(path, backlog, cb)",
    needs: ["unix"],
    async run(net, rec) {
      const path = rec.socketPath();
      const server = net.createServer((p) => p.end("backlog"));
      rec.watch("server", server, ["listening", "error", "close"]);
      server.listen(path, 5, () => rec.log("server", "listen callback"));
      await rec.next(server, "listening");
      const s = net.connect(path);
      rec.watch("client", s);
      await rec.closed(s);
      await rec.closeServer(server);
    },
  },
  {
    name: "flows: bytes written just before destroy() still reach the peer",
    async run(net, rec) {
      const served = await serve(net, rec, (p) => p.on("error", () => {}));
      const s = net.connect(served.port, "127.0.0.1");
      rec.watch("client", s);
      await rec.next(s, "connect");
      await served.peer;
      s.write("last");
      s.destroy();
      await settle(rec, served, s);
    },
  },
];
