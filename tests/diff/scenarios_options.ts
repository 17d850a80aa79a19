// Scenarios: connect and server options from Node 24's docs that change nothing in the
// trace of a plain conversation (noDelay, keepAlive, timeout: 0) or only one detail of it
// (blockList over IPv6, dual-stack servers, onread sizes, readable/writable without fd).
import { Buffer } from "node:buffer";
import type { Scenario } from "./_harness.ts";
import { serve, settle } from "./_serve.ts";
import { addresses, blockListOf, idleSocket, maskLocal, quietServer } from "./_kit.ts";

type LookupCb = (...args: unknown[]) => void;

export const optionScenarios: Scenario[] = [
  {
    name: "options: connect({ noDelay, keepAlive, keepAliveInitialDelay }) converses normally",
    async run(net, rec) {
      const served = await serve(net, rec, (p) => p.end("hi"));
      const s = net.connect({
        port: served.port,
        host: "127.0.0.1",
        noDelay: true,
        keepAlive: true,
        keepAliveInitialDelay: 2000,
      });
      rec.watch("client", s);
      await settle(rec, served, s);
    },
  },
  {
    name: "options: connect({ timeout: 0 }) arms no timer",
    async run(net, rec) {
      const served = await serve(net, rec, (p) => p.end("hi"));
      const s = net.connect({ port: served.port, host: "127.0.0.1", timeout: 0 });
      rec.watch("client", s);
      rec.log("client", `timeout=${s.timeout}`);
      await settle(rec, served, s);
    },
  },
  {
    name: "options: connect({ allowHalfOpen: false }) explicitly",
    async run(net, rec) {
      const served = await serve(net, rec, (p) => p.end("bye"), { allowHalfOpen: true });
      const s = net.connect({ port: served.port, host: "127.0.0.1", allowHalfOpen: false });
      rec.watch("client", s);
      rec.log("client", `allowHalfOpen=${s.allowHalfOpen}`);
      await settle(rec, served, s);
    },
  },
  {
    name: "options: onread with a buffer larger than the data",
    async run(net, rec) {
      const served = await serve(net, rec, (p) => p.end("tiny"));
      const buffer = Buffer.alloc(1024);
      const s = net.connect({
        port: served.port,
        host: "127.0.0.1",
        onread: {
          buffer,
          callback: (n: number, buf: Uint8Array) => {
            rec.log("client", `onread(${n}, ${JSON.stringify(Buffer.from(buf.subarray(0, n)).toString())})`);
          },
        },
      });
      rec.watch("client", s);
      await settle(rec, served, s);
    },
  },
  {
    name: "options: new Socket({ readable: false, writable: false }) without fd",
    async run(net, rec) {
      const s = idleSocket(net, { readable: false, writable: false });
      rec.log("client", `readable=${s.readable} writable=${s.writable}`);
      s.destroy();
      await rec.closed(s);
    },
  },
  {
    name: "options: connect({ host: '::1', family: 6 }) to an IPv6 literal",
    async run(net, rec) {
      const served = await serve(net, rec, (p) => p.end("six"), { host: "::1" });
      const s = net.connect({ port: served.port, host: "::1", family: 6 });
      rec.watch("client", s);
      await settle(rec, served, s);
    },
  },
  {
    name: "options: a dual-stack server ('::') sees an IPv4 client as IPv4-mapped",
    async run(net, rec) {
      const served = await serve(net, rec, (p) => {
        rec.log("peer", `remote=${p.remoteAddress}/${p.remoteFamily} local=${p.localAddress}/${p.localFamily}`);
        p.end();
      }, { host: "::" });
      const s = net.connect(served.port, "127.0.0.1");
      rec.watch("client", s);
      s.resume();
      await settle(rec, served, s);
    },
  },
  {
    name: "options: a dual-stack server ('::') and an IPv6 client",
    async run(net, rec) {
      const served = await serve(net, rec, (p) => {
        rec.log("peer", `remote=${p.remoteAddress}/${p.remoteFamily} local=${p.localAddress}/${p.localFamily}`);
        p.end();
      }, { host: "::" });
      const s = net.connect(served.port, "::1");
      rec.watch("client", s);
      s.resume();
      await settle(rec, served, s);
    },
  },
  {
    name: "options: address getters of an IPv6 client",
    async run(net, rec) {
      const served = await serve(net, rec, (p) => p.resume(), { host: "::1" });
      const s = net.connect(served.port, "::1");
      rec.watch("client", s);
      await rec.next(s, "connect");
      maskLocal(rec, s);
      addresses(rec, "client", "connected", s);
      s.end();
      await settle(rec, served, s);
    },
  },
  {
    name: "options: connect blockList with an IPv6 address refuses ::1",
    async run(net, rec) {
      const BlockList = blockListOf(net);
      const blockList = new BlockList();
      blockList.addAddress("::1", "ipv6");
      const { server, port } = await quietServer(net, rec, (p) => p.end(), {});
      const s = net.connect({ port, host: "::1", blockList });
      rec.watch("client", s);
      await rec.closed(s);
      await rec.closeServer(server);
    },
  },
  {
    name: "options: server blockList with an IPv6 subnet drops a ::1 client",
    async run(net, rec) {
      const BlockList = blockListOf(net);
      const blockList = new BlockList();
      blockList.addSubnet("::", 64, "ipv6");
      const server = net.createServer({ blockList }, (p) => {
        rec.log("server", "connection");
        p.end();
      });
      const port = await rec.listen(server, "::1");
      const s = net.connect(port, "::1");
      rec.watch("client", s);
      s.resume();
      await rec.closed(s);
      await rec.closeServer(server);
    },
  },
  {
    name: "options: connect blockList skips a blocked address in Happy Eyeballs",
    async run(net, rec) {
      const served = await serve(net, rec, (p) => p.end("v4"));
      const BlockList = blockListOf(net);
      const blockList = new BlockList();
      blockList.addAddress("::1", "ipv6");
      const lookup = (_h: string, o: { all?: boolean }, cb: LookupCb) =>
        setTimeout(
          () =>
            o.all ? cb(null, [{ address: "::1", family: 6 }, { address: "127.0.0.1", family: 4 }]) : cb(null, "::1", 6),
          1,
        );
      const s = net.connect({
        port: served.port,
        host: "both.test",
        lookup,
        blockList,
        autoSelectFamilyAttemptTimeout: 2000,
      });
      rec.watch("client", s);
      await rec.closed(s);
      const peer = await Promise.race([served.peer, new Promise((r) => setTimeout(() => r(null), 50))]);
      if (peer) await rec.closed(peer as never);
      await rec.closeServer(served.server);
    },
  },
  {
    name: "options: pauseOnConnect with allowHalfOpen: the peer reads after resume and answers",
    async run(net, rec) {
      const served = await serve(net, rec, (p) => {
        p.setEncoding("utf8");
        p.on("end", () => p.end("answered"));
        setTimeout(() => p.resume(), 20);
      }, { pauseOnConnect: true, allowHalfOpen: true });
      const s = net.connect(served.port, "127.0.0.1");
      rec.watch("client", s);
      s.setEncoding("utf8");
      s.end("question");
      await settle(rec, served, s);
    },
  },
  {
    name: "options: setKeepAlive and setNoDelay before connect, then converse",
    async run(net, rec) {
      const served = await serve(net, rec, (p) => p.pipe(p));
      const s = new net.Socket();
      rec.watch("client", s);
      s.setKeepAlive(true, 1000);
      s.setNoDelay(true);
      s.connect(served.port, "127.0.0.1");
      s.end("echo");
      await settle(rec, served, s);
    },
  },
  {
    name: "options: server keepAlive with keepAliveInitialDelay 0",
    async run(net, rec) {
      const served = await serve(net, rec, (p) => p.end("ka"), { keepAlive: true, keepAliveInitialDelay: 0 } as object);
      const s = net.connect(served.port, "127.0.0.1");
      rec.watch("client", s);
      await settle(rec, served, s);
    },
  },
];
