// Scenarios: net.Server's documented API: listen() forms and their errors, address(),
// listening, close() and its callback, getConnections(), maxConnections and 'drop',
// pauseOnConnect, allowHalfOpen, noDelay/keepAlive options, blockList, signal, ref/unref.
import type { NetLike, Recorder, Scenario, ServerLike } from "./_harness.ts";
import { bounded } from "./_harness.ts";
import { blockListOf, logCb } from "./_kit.ts";

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

const peerClosings = new WeakMap<ServerLike, Promise<void>[]>();

/** A server traced as `server`, its accepted sockets as `peer1`, `peer2` … */
function traced(net: NetLike, rec: Recorder, options: object = {}, onPeer = (p: ServerLike) => p.resume()) {
  let n = 0;
  const closings: Promise<void>[] = [];
  const server = net.createServer(options, (peer) => {
    n++;
    rec.log("server", `connection ${n}`);
    rec.watch(`peer${n}`, peer);
    // Not bounded here: a bound would start counting now and could reject unobserved.
    closings.push(new Promise<void>((resolve) => peer.once("close", () => resolve())));
    onPeer(peer);
  });
  peerClosings.set(server, closings);
  rec.watch("server", server, SERVER_EVENTS);
  return server;
}

/**
 * Wait for every traced peer's 'close', then close the server: the order of a peer's
 * 'close' and the server's close callback is not part of any scenario.
 */
async function closeTraced(rec: Recorder, server: ServerLike): Promise<void> {
  await bounded(Promise.all(peerClosings.get(server) ?? []), "every peer's 'close'");
  await rec.closeServer(server);
}

function counted(server: ServerLike, rec: Recorder, what: string): Promise<void> {
  return new Promise((resolve) =>
    server.getConnections((err: Error | null, n: number) => {
      rec.log("server", `${what}: getConnections(${err ? (err as { code?: string }).code : err}, ${n})`);
      resolve();
    })
  );
}

export const serverApiScenarios: Scenario[] = [
  listenForm("listen(0, host, cb)", () => [0, "127.0.0.1"], "127.0.0.1"),
  listenForm("listen({ port: 0, host }, cb)", () => [{ port: 0, host: "127.0.0.1" }], "127.0.0.1"),
  listenForm("listen(0, host, backlog, cb)", () => [0, "127.0.0.1", 10], "127.0.0.1"),
  listenForm("listen({ port: '0', host }, cb) with a string port", () => [{ port: "0", host: "127.0.0.1" }]),
  listenForm("listen(0, '::1', cb) on IPv6 loopback", () => [0, "::1"], "::1"),
  listenForm("listen({ port: 0, host: 'localhost' })", () => [{ port: 0, host: "localhost" }]),
  listenForm(
    "listen({ port: 0, host: '::1', ipv6Only: true })",
    () => [{ port: 0, host: "::1", ipv6Only: true }],
    undefined,
    ["ipv6Only"],
  ),
  listenForm("listen({ port: 0, host, exclusive: true })", () => [{ port: 0, host: "127.0.0.1", exclusive: true }]),
  listenForm("listen({ port: 0, host, backlog: 1 })", () => [{ port: 0, host: "127.0.0.1", backlog: 1 }]),
  listenForm("listen({ port: 0, host, reusePort: false })", () => [{ port: 0, host: "127.0.0.1", reusePort: false }]),
  {
    name: "server api: listen(0) without a host listens on every address",
    async run(net, rec) {
      const server = net.createServer();
      rec.watch("server", server, SERVER_EVENTS);
      server.listen(0);
      await rec.next(server, "listening");
      const a = server.address() as { port: number; family: string; address: string };
      rec.addMask(a.port, "<port>");
      rec.log("server", `address=${a.address} family=${a.family}`);
      const c = net.connect(a.port, "127.0.0.1");
      rec.watch("client", c);
      c.on("connect", () => c.end());
      c.resume();
      await rec.closed(c);
      await closeTraced(rec, server);
    },
  },
  {
    name: "server api: listen() with no arguments",
    async run(net, rec) {
      const server = net.createServer();
      rec.watch("server", server, SERVER_EVENTS);
      server.listen();
      await rec.next(server, "listening");
      const a = server.address() as { port: number; family: string; address: string };
      rec.log("server", `address=${a.address} family=${a.family} port>0=${a.port > 0}`);
      await closeTraced(rec, server);
    },
  },
  {
    name: "server api: address() and listening before listen, after close",
    async run(net, rec) {
      const server = net.createServer();
      rec.watch("server", server, SERVER_EVENTS);
      rec.log("server", `new: address=${JSON.stringify(server.address())} listening=${server.listening}`);
      await rec.listen(server);
      await closeTraced(rec, server);
      rec.log("server", `closed: address=${JSON.stringify(server.address())} listening=${server.listening}`);
    },
  },
  {
    name: "server api: listen() twice on a listening server: ERR_SERVER_ALREADY_LISTEN",
    async run(net, rec) {
      const server = net.createServer();
      rec.watch("server", server, SERVER_EVENTS);
      await rec.listen(server);
      rec.try("server", "listen(0, host)", () => server.listen(0, "127.0.0.1"));
      rec.try("server", "listen({ port: 0 })", () => server.listen({ port: 0 }));
      await closeTraced(rec, server);
    },
  },
  {
    name: "server api: close() twice: the second callback gets ERR_SERVER_NOT_RUNNING",
    async run(net, rec) {
      const server = net.createServer();
      rec.watch("server", server, SERVER_EVENTS);
      await rec.listen(server);
      server.close(logCb(rec, "server", "close 1"));
      server.close(logCb(rec, "server", "close 2"));
      await rec.closed(server);
      await new Promise((resolve) => setTimeout(resolve, 10));
    },
  },
  {
    name: "server api: close() returns the server; close without a callback on an idle server",
    async run(net, rec) {
      const server = net.createServer();
      rec.watch("server", server, SERVER_EVENTS);
      rec.log("server", `returns this: ${server.close() === server}`);
      await new Promise((resolve) => setTimeout(resolve, 10));
      rec.log("server", `listening=${server.listening}`);
    },
  },
  {
    name: "server api: 'close' event and close callback order",
    async run(net, rec) {
      const server = net.createServer();
      rec.watch("server", server, SERVER_EVENTS);
      await rec.listen(server);
      server.on("close", () => rec.log("server", "close listener"));
      server.close(logCb(rec, "server", "close"));
      await rec.closed(server);
    },
  },
  {
    name: "server api: getConnections on a server that never listened",
    async run(net, rec) {
      const server = net.createServer();
      rec.log("server", `returns this: ${server.getConnections(() => {}) === server}`);
      await counted(server, rec, "idle");
    },
  },
  {
    name: "server api: getConnections counts live connections as they come and go",
    async run(net, rec) {
      const server = traced(net, rec);
      const port = await rec.listen(server);
      await counted(server, rec, "none");
      const a = net.connect(port, "127.0.0.1");
      rec.watch("clientA", a);
      await rec.next(server, "connection");
      await counted(server, rec, "one");
      const b = net.connect(port, "127.0.0.1");
      rec.watch("clientB", b);
      await rec.next(server, "connection");
      await counted(server, rec, "two");
      a.end();
      await rec.closed(a);
      await bounded(peerClosings.get(server)![0], "peer1 'close'");
      await counted(server, rec, "after A closed");
      b.end();
      await rec.closed(b);
      await closeTraced(rec, server);
      await counted(server, rec, "closed");
    },
  },
  {
    name: "server api: maxConnections defaults and accepts a number",
    async run(net, rec) {
      const server = net.createServer();
      rec.log("server", `default=${server.maxConnections}`);
      server.maxConnections = 3;
      rec.log("server", `set=${server.maxConnections}`);
      await new Promise((resolve) => setTimeout(resolve, 1));
    },
  },
  {
    name: "server api: maxConnections = 0 drops every connection",
    async run(net, rec) {
      const server = traced(net, rec);
      server.maxConnections = 0;
      let drops = 0;
      server.on("drop", () => drops++);
      const port = await rec.listen(server);
      const a = net.connect(port, "127.0.0.1");
      rec.watch("clientA", a);
      a.resume();
      await rec.closed(a);
      await new Promise((resolve) => setTimeout(resolve, 20));
      rec.log("server", `drops=${drops}`);
      await closeTraced(rec, server);
    },
  },
  {
    name: "server api: a dropped connection frees no slot; the next one after close is accepted",
    async run(net, rec) {
      const server = traced(net, rec);
      server.maxConnections = 1;
      server.on("drop", () => rec.log("server", "drop"));
      const port = await rec.listen(server);
      const a = net.connect(port, "127.0.0.1");
      rec.watch("clientA", a);
      a.resume();
      await rec.next(server, "connection");
      const b = net.connect(port, "127.0.0.1");
      rec.watch("clientB", b);
      b.resume();
      await rec.closed(b);
      a.end();
      await rec.closed(a);
      await bounded(peerClosings.get(server)![0], "peer1 'close'");
      const c = net.connect(port, "127.0.0.1");
      rec.watch("clientC", c);
      c.resume();
      await rec.next(server, "connection");
      c.end();
      await rec.closed(c);
      await closeTraced(rec, server);
    },
  },
  {
    name: "server api: pauseOnConnect with a data listener stays paused",
    async run(net, rec) {
      let peer: ServerLike | undefined;
      const server = traced(net, rec, { pauseOnConnect: true }, (p) => {
        peer = p;
        p.on("data", () => {});
        rec.log("peer1", `listener added: flowing=${p.readableFlowing} paused=${p.isPaused()}`);
      });
      const port = await rec.listen(server);
      const a = net.connect(port, "127.0.0.1");
      rec.watch("clientA", a);
      await new Promise((resolve) => a.write("hi", resolve));
      await new Promise((resolve) => setTimeout(resolve, 30));
      rec.log("peer1", `bytesRead=${peer!.bytesRead}`);
      peer!.resume();
      a.end();
      await rec.closed(a);
      await rec.closed(peer!);
      await closeTraced(rec, server);
    },
  },
  {
    name: "server api: allowHalfOpen server peers keep writing after the client's FIN",
    async run(net, rec) {
      const server = traced(net, rec, { allowHalfOpen: true }, (p) => {
        p.resume();
        p.on("end", () => {
          rec.log("peer1", `on end: allowHalfOpen=${p.allowHalfOpen} writable=${p.writable}`);
          setTimeout(() => p.end("late reply"), 20);
        });
      });
      const port = await rec.listen(server);
      const a = net.connect({ port, host: "127.0.0.1", allowHalfOpen: true });
      rec.watch("clientA", a);
      a.setEncoding("utf8");
      a.end();
      a.on("end", () => a.destroy());
      await rec.closed(a);
      await closeTraced(rec, server);
    },
  },
  {
    name: "server api: peers without allowHalfOpen end when the client ends",
    async run(net, rec) {
      const server = traced(net, rec, {}, (p) => {
        p.resume();
        p.on("end", () => rec.log("peer1", `on end: allowHalfOpen=${p.allowHalfOpen} writable=${p.writable}`));
      });
      const port = await rec.listen(server);
      const a = net.connect(port, "127.0.0.1");
      rec.watch("clientA", a);
      a.end();
      a.resume();
      await rec.closed(a);
      await closeTraced(rec, server);
    },
  },
  {
    name: "server api: noDelay and keepAlive server options accept connections",
    async run(net, rec) {
      const server = traced(net, rec, { noDelay: true, keepAlive: true, keepAliveInitialDelay: 1000 }, (p) => {
        p.end("opts");
      });
      const port = await rec.listen(server);
      const a = net.connect(port, "127.0.0.1");
      rec.watch("clientA", a);
      await rec.closed(a);
      await closeTraced(rec, server);
    },
  },
  {
    name: "server api: the 'connection' listener from createServer and on('connection') both run",
    async run(net, rec) {
      const server = net.createServer((p) => {
        rec.log("server", "createServer listener");
        p.end();
      });
      server.on("connection", () => rec.log("server", "on('connection') listener"));
      const port = await rec.listen(server);
      const a = net.connect(port, "127.0.0.1");
      rec.watch("clientA", a);
      a.resume();
      await rec.closed(a);
      await closeTraced(rec, server);
    },
  },
  {
    name: "server api: a peer's server getters",
    async run(net, rec) {
      const server = traced(net, rec, {}, (p) => {
        rec.log("peer1", `server is the server: ${p.server === server} _server: ${p._server === server}`);
        rec.log("peer1", `readyState=${p.readyState} pending=${p.pending} connecting=${p.connecting}`);
        p.end();
      });
      const port = await rec.listen(server);
      const a = net.connect(port, "127.0.0.1");
      rec.watch("clientA", a);
      a.resume();
      await rec.closed(a);
      await closeTraced(rec, server);
    },
  },
  {
    name: "server api: EADDRINUSE error fields on listen({ port, host })",
    async run(net, rec) {
      const first = net.createServer();
      const port = await rec.listen(first);
      const second = net.createServer();
      rec.watch("second", second, SERVER_EVENTS);
      second.listen({ port, host: "127.0.0.1" }, () => rec.log("second", "listen callback"));
      await rec.next(second, "error");
      rec.log("second", `listening=${second.listening}`);
      await rec.closeServer(first);
    },
  },
  {
    name: "server api: listen again after EADDRINUSE on another port",
    async run(net, rec) {
      const first = net.createServer();
      const port = await rec.listen(first);
      const second = net.createServer();
      rec.watch("second", second, SERVER_EVENTS);
      second.listen(port, "127.0.0.1");
      await rec.next(second, "error");
      second.listen(0, "127.0.0.1");
      await rec.next(second, "listening");
      rec.log("second", `listening=${second.listening}`);
      await rec.closeServer(second);
      await rec.closeServer(first);
    },
  },
  {
    name: "server api: listen on a host that does not resolve: ENOTFOUND",
    async run(net, rec) {
      const server = net.createServer();
      rec.watch("server", server, SERVER_EVENTS);
      server.listen(0, "nonexistent.invalid");
      await rec.next(server, "error");
      rec.log("server", `listening=${server.listening}`);
    },
  },
  {
    name: "server api: listen with an aborted signal never listens",
    async run(net, rec) {
      const server = net.createServer();
      rec.watch("server", server, SERVER_EVENTS);
      server.listen({ port: 0, host: "127.0.0.1", signal: AbortSignal.abort() });
      await new Promise((resolve) => setTimeout(resolve, 30));
      rec.log("server", `listening=${server.listening}`);
    },
  },
  {
    name: "server api: aborting the listen signal closes the server",
    async run(net, rec) {
      const controller = new AbortController();
      const server = net.createServer();
      rec.watch("server", server, SERVER_EVENTS);
      server.listen({ port: 0, host: "127.0.0.1", signal: controller.signal });
      await rec.next(server, "listening");
      controller.abort();
      await rec.closed(server);
      rec.log("server", `listening=${server.listening}`);
    },
  },
  {
    name: "server api: ref() and unref() return the server in every phase",
    async run(net, rec) {
      const server = net.createServer();
      const chain = (when: string) =>
        rec.log(
          "server",
          `${when}: ${server.ref() === server && server.unref() === server && server.ref() === server}`,
        );
      chain("new");
      await rec.listen(server);
      chain("listening");
      await closeTraced(rec, server);
      chain("closed");
    },
  },
  {
    name: "server api: blockList drops a blocked client before 'connection'",
    async run(net, rec) {
      const BlockList = blockListOf(net);
      const blockList = new BlockList();
      blockList.addAddress("127.0.0.1");
      const server = traced(net, rec, { blockList });
      const port = await rec.listen(server, "127.0.0.1");
      const a = net.connect(port, "127.0.0.1");
      rec.watch("clientA", a);
      a.resume();
      await rec.closed(a);
      await closeTraced(rec, server);
    },
  },
  {
    name: "server api: blockList lets other addresses through",
    async run(net, rec) {
      const BlockList = blockListOf(net);
      const blockList = new BlockList();
      blockList.addAddress("10.0.0.1");
      const server = traced(net, rec, { blockList }, (p) => p.end("welcome"));
      const port = await rec.listen(server, "127.0.0.1");
      const a = net.connect(port, "127.0.0.1");
      rec.watch("clientA", a);
      await rec.closed(a);
      await closeTraced(rec, server);
    },
  },
  {
    name: "server api: connect blockList refuses a blocked address: ERR_IP_BLOCKED",
    async run(net, rec) {
      const BlockList = blockListOf(net);
      const blockList = new BlockList();
      blockList.addRange("127.0.0.1", "127.0.0.9");
      const server = net.createServer((p) => p.end());
      const port = await rec.listen(server);
      const a = net.connect({ port, host: "127.0.0.1", blockList });
      rec.watch("clientA", a);
      await rec.closed(a);
      await closeTraced(rec, server);
    },
  },
  {
    name: "server api: connect blockList with a subnet lets other addresses through",
    async run(net, rec) {
      const BlockList = blockListOf(net);
      const blockList = new BlockList();
      blockList.addSubnet("10.0.0.0", 8);
      const server = net.createServer((p) => p.end("ok"));
      const port = await rec.listen(server);
      const a = net.connect({ port, host: "127.0.0.1", blockList });
      rec.watch("clientA", a);
      await rec.closed(a);
      await closeTraced(rec, server);
    },
  },
  {
    name: "server api: connections closed by the client while the server closes",
    async run(net, rec) {
      const server = traced(net, rec);
      const port = await rec.listen(server);
      const clients = [0, 1, 2].map((i) => {
        const c = net.connect(port, "127.0.0.1");
        rec.watch(`client${i}`, c);
        c.resume();
        return c;
      });
      await Promise.all(clients.map((c) => rec.next(c, "connect")));
      await bounded(
        new Promise<void>((resolve) => {
          const check = () =>
            server.getConnections((_e: unknown, n: number) => n === 3 ? resolve() : setTimeout(check, 5));
          check();
        }),
        "3 connections",
      );
      server.close(logCb(rec, "server", "close"));
      for (const c of clients) {
        c.end();
        await rec.closed(c);
      }
      await bounded(Promise.all(peerClosings.get(server) ?? []), "every peer's 'close'");
      await rec.closed(server);
    },
  },
  {
    name: "server api: connect to a server after close(): ECONNREFUSED",
    async run(net, rec) {
      const server = net.createServer();
      const port = await rec.listen(server);
      await closeTraced(rec, server);
      const a = net.connect(port, "127.0.0.1");
      rec.watch("clientA", a);
      await rec.closed(a);
    },
  },
  {
    name: "server api: the server 'listening' event fires before the listen callback's next tick",
    async run(net, rec) {
      const server = net.createServer();
      server.on("listening", () => rec.log("server", "listening listener"));
      server.listen(0, "127.0.0.1", () => {
        rec.log("server", "listen callback");
        queueMicrotask(() => rec.log("server", "microtask after callback"));
      });
      await rec.next(server, "listening");
      await new Promise((resolve) => setTimeout(resolve, 5));
      await closeTraced(rec, server);
    },
  },
  {
    name: "server api: listen on an address not on this machine: EADDRNOTAVAIL",
    async run(net, rec) {
      const server = net.createServer();
      rec.watch("server", server, SERVER_EVENTS);
      server.listen(0, "192.0.2.1");
      await rec.next(server, "error");
      rec.log("server", `listening=${server.listening}`);
    },
  },
];
