// Scenarios: net.Socket's documented getters and methods in each phase of its life
// (new, connecting, connected, half-closed, closed): readyState, pending, connecting,
// byte counters, address getters, timeout, setNoDelay/setKeepAlive/ref/unref, end/destroy.
import { Buffer } from "node:buffer";
import type { Scenario } from "./_harness.ts";
import { serve, serveEcho, settle, snapshot } from "./_serve.ts";
import { addresses, counters, idleSocket, logCb, maskLocal, quietServer } from "./_kit.ts";

export const socketApiScenarios: Scenario[] = [
  {
    name: "socket api: a new Socket's getters before connect",
    async run(net, rec) {
      const s = new net.Socket();
      rec.watch("client", s);
      snapshot(rec, "client", "new", s);
      addresses(rec, "client", "new", s);
      counters(rec, "client", "new", s);
      rec.log("client", `timeout=${s.timeout} readable=${s.readable} writable=${s.writable}`);
      rec.log("client", `allowHalfOpen=${s.allowHalfOpen} bufferSize=${s.bufferSize}`);
      s.destroy();
      await rec.closed(s);
      snapshot(rec, "client", "destroyed", s);
    },
  },
  {
    name: "socket api: getters while connecting",
    async run(net, rec) {
      const { server, port } = await quietServer(net, rec);
      const s = net.connect(port, "127.0.0.1");
      rec.watch("client", s);
      snapshot(rec, "client", "connecting", s);
      addresses(rec, "client", "connecting", s);
      rec.log("client", `readable=${s.readable} writable=${s.writable}`);
      s.on("connect", () => s.end());
      s.resume();
      await rec.closed(s);
      await rec.closeServer(server);
    },
  },
  {
    name: "socket api: address getters once connected, on both ends",
    async run(net, rec) {
      const served = await serve(net, rec);
      const s = net.connect(served.port, "127.0.0.1");
      rec.watch("client", s);
      await rec.next(s, "connect");
      maskLocal(rec, s);
      addresses(rec, "client", "connected", s);
      const peer = await served.peer;
      addresses(rec, "peer", "accepted", peer);
      s.end();
      await settle(rec, served, s);
      addresses(rec, "client", "closed", s);
    },
  },
  {
    name: "socket api: address getters over IPv6 loopback",
    async run(net, rec) {
      const served = await serve(net, rec, (peer) => peer.resume(), { host: "::1" });
      const s = net.connect(served.port, "::1");
      rec.watch("client", s);
      await rec.next(s, "connect");
      maskLocal(rec, s);
      addresses(rec, "client", "connected", s);
      addresses(rec, "peer", "accepted", await served.peer);
      rec.log("server", `address=${JSON.stringify(served.server.address())}`);
      s.end();
      await settle(rec, served, s);
    },
  },
  {
    name: "socket api: readyState through a half-close started by the client",
    async run(net, rec) {
      const served = await serve(net, rec, (peer) => {
        peer.resume();
        peer.on("end", () => setTimeout(() => peer.end("bye"), 30));
      }, { allowHalfOpen: true });
      const s = net.connect({ port: served.port, host: "127.0.0.1", allowHalfOpen: true });
      rec.watch("client", s);
      s.on("connect", () => {
        s.end();
        rec.log("client", `after end(): readyState=${s.readyState}`);
      });
      s.on("finish", () => rec.log("client", `on finish: readyState=${s.readyState} writable=${s.writable}`));
      s.on("end", () => rec.log("client", `on end: readyState=${s.readyState}`));
      s.resume();
      await settle(rec, served, s);
    },
  },
  {
    name: "socket api: readyState readOnly after the peer ends a half-open client",
    async run(net, rec) {
      const served = await serve(net, rec, (peer) => peer.end("x"), { allowHalfOpen: true });
      const s = net.connect({ port: served.port, host: "127.0.0.1", allowHalfOpen: true });
      rec.watch("client", s);
      s.on("end", () => {
        rec.log("client", `on end: readyState=${s.readyState} readable=${s.readable} writable=${s.writable}`);
        s.end();
      });
      await settle(rec, served, s);
    },
  },
  {
    name: "socket api: bytesWritten counts strings in their encoding",
    async run(net, rec) {
      const served = await serve(net, rec);
      const s = net.connect(served.port, "127.0.0.1");
      rec.watch("client", s);
      await rec.next(s, "connect");
      s.write("héllo");
      s.write("00ff", "hex");
      s.write("aGk=", "base64");
      s.write(Buffer.from([1, 2, 3]));
      s.end("€", "utf8");
      rec.log("client", `after writes: bytesWritten=${s.bytesWritten}`);
      await settle(rec, served, s);
      rec.log("client", `closed: bytesWritten=${s.bytesWritten}`);
      rec.log("peer", `bytesRead=${(await served.peer).bytesRead}`);
    },
  },
  {
    name: "socket api: bytesRead and bytesWritten after the socket closed",
    async run(net, rec) {
      const served = await serveEcho(net, rec);
      const s = net.connect(served.port, "127.0.0.1");
      rec.watch("client", s);
      s.end("0123456789");
      await settle(rec, served, s);
      counters(rec, "client", "closed", s);
      counters(rec, "peer", "closed", await served.peer);
    },
  },
  {
    name: "socket api: timeout getter follows setTimeout and connect({ timeout })",
    async run(net, rec) {
      const s = idleSocket(net);
      rec.log("client", `new: ${s.timeout}`);
      s.setTimeout(1000);
      rec.log("client", `setTimeout(1000): ${s.timeout}`);
      s.setTimeout(0);
      rec.log("client", `setTimeout(0): ${s.timeout}`);
      s.destroy();
      const { server, port } = await quietServer(net, rec);
      const c = net.connect({ port, host: "127.0.0.1", timeout: 5000 });
      rec.watch("other", c);
      rec.log("other", `connect({ timeout: 5000 }): ${c.timeout}`);
      c.end();
      await rec.closed(c);
      await rec.closeServer(server);
    },
  },
  {
    name: "socket api: setTimeout returns the socket and adds one listener per callback",
    async run(net, rec) {
      const s = idleSocket(net);
      const cb = () => {};
      rec.log("client", `returns this: ${s.setTimeout(1000, cb) === s}`);
      rec.log("client", `listeners=${s.listenerCount("timeout")}`);
      s.setTimeout(2000, cb);
      rec.log("client", `same callback again: listeners=${s.listenerCount("timeout")}`);
      s.setTimeout(0, cb);
      rec.log("client", `setTimeout(0, cb): listeners=${s.listenerCount("timeout")}`);
      s.destroy();
      await rec.closed(s);
    },
  },
  {
    name: "socket api: 'timeout' fires once per idle period; activity re-arms it",
    async run(net, rec) {
      const served = await serve(net, rec);
      const s = net.connect(served.port, "127.0.0.1");
      rec.watch("client", s);
      let n = 0;
      s.on("connect", () => s.setTimeout(40));
      s.on("timeout", () => {
        if (++n === 1) s.write("activity");
        else {
          s.setTimeout(0);
          setTimeout(() => s.end(), 150);
        }
      });
      s.resume();
      await settle(rec, served, s);
      rec.log("client", `timeouts=${n}`);
    },
  },
  {
    name: "socket api: setTimeout before connect fires only once idle after connecting",
    async run(net, rec) {
      const served = await serve(net, rec);
      const s = new net.Socket();
      rec.watch("client", s);
      s.setTimeout(300, () => s.destroy());
      s.connect(served.port, "127.0.0.1");
      await settle(rec, served, s);
    },
  },
  {
    name: "socket api: 'timeout' without a listener does not close the socket",
    async run(net, rec) {
      const served = await serve(net, rec);
      const s = net.connect(served.port, "127.0.0.1");
      rec.watch("client", s);
      s.on("connect", () => s.setTimeout(30));
      await rec.next(s, "timeout");
      snapshot(rec, "client", "after timeout", s);
      s.end();
      await settle(rec, served, s);
    },
  },
  {
    name: "socket api: setNoDelay/setKeepAlive/ref/unref on a destroyed socket return it",
    async run(net, rec) {
      const s = idleSocket(net);
      s.destroy();
      await rec.closed(s);
      const all = [s.setNoDelay(true), s.setKeepAlive(true, 100), s.ref(), s.unref(), s.setTimeout(5)];
      rec.log("client", `all return the socket: ${all.every((r) => r === s)}`);
    },
  },
  {
    name: "socket api: address() before connect, connected and after close",
    async run(net, rec) {
      const served = await serve(net, rec);
      const s = new net.Socket();
      rec.watch("client", s);
      rec.log("client", `new: ${JSON.stringify(s.address())}`);
      s.connect(served.port, "127.0.0.1");
      await rec.next(s, "connect");
      maskLocal(rec, s);
      rec.log("client", `connected: ${JSON.stringify(s.address())}`);
      s.destroy();
      await settle(rec, served, s);
      rec.log("client", `closed: ${JSON.stringify(s.address())}`);
    },
  },
  {
    name: "socket api: end() returns the socket; a second end() is harmless",
    async run(net, rec) {
      const served = await serve(net, rec);
      const s = net.connect(served.port, "127.0.0.1");
      rec.watch("client", s);
      await rec.next(s, "connect");
      rec.log("client", `end() returns this: ${s.end(logCb(rec, "client", "end 1")) === s}`);
      rec.log("client", `end() again returns this: ${s.end(logCb(rec, "client", "end 2")) === s}`);
      s.resume();
      await settle(rec, served, s);
    },
  },
  {
    name: "socket api: end(data, encoding, cb) writes the data and calls back on finish",
    async run(net, rec) {
      const served = await serve(net, rec, (peer) => peer.setEncoding("utf8"));
      const s = net.connect(served.port, "127.0.0.1");
      rec.watch("client", s);
      await rec.next(s, "connect");
      s.end("6869", "hex", logCb(rec, "client", "end"));
      s.resume();
      await settle(rec, served, s);
    },
  },
  {
    name: "socket api: destroy() returns the socket and sets destroyed at once",
    async run(net, rec) {
      const served = await serve(net, rec);
      const s = net.connect(served.port, "127.0.0.1");
      rec.watch("client", s);
      await rec.next(s, "connect");
      rec.log("client", `returns this: ${s.destroy() === s}`);
      snapshot(rec, "client", "after destroy", s);
      await settle(rec, served, s);
    },
  },
  {
    name: "socket api: destroy() after end() before the peer answers",
    async run(net, rec) {
      const served = await serve(net, rec, (peer) => peer.resume(), { allowHalfOpen: true });
      const s = net.connect(served.port, "127.0.0.1");
      rec.watch("client", s);
      await rec.next(s, "connect");
      const peer = await served.peer;
      s.write("x");
      await rec.next(peer, "data");
      const peerEnded = rec.next(peer, "end");
      s.end();
      await rec.next(s, "finish");
      s.destroy();
      await peerEnded;
      peer.end();
      await settle(rec, served, s);
    },
  },
  {
    name: "socket api: destroySoon() on a connected socket with nothing queued",
    async run(net, rec) {
      const served = await serve(net, rec);
      const s = net.connect(served.port, "127.0.0.1");
      rec.watch("client", s);
      await rec.next(s, "connect");
      s.destroySoon();
      snapshot(rec, "client", "after destroySoon", s);
      await settle(rec, served, s);
    },
  },
  {
    name: "socket api: destroySoon() while connecting waits for the connection",
    async run(net, rec) {
      const served = await serve(net, rec, (peer) => peer.setEncoding("utf8"));
      const s = net.connect(served.port, "127.0.0.1");
      rec.watch("client", s);
      s.write("queued");
      s.destroySoon();
      snapshot(rec, "client", "after destroySoon", s);
      await settle(rec, served, s);
    },
  },
  {
    name: "socket api: destroySoon() on a never connected socket",
    async run(net, rec) {
      const s = new net.Socket();
      rec.watch("client", s);
      s.destroySoon();
      snapshot(rec, "client", "after destroySoon", s);
      await new Promise((resolve) => setTimeout(resolve, 20));
      snapshot(rec, "client", "later", s);
      s.destroy();
      await rec.closed(s);
    },
  },
  {
    name: "socket api: end() on a never connected socket does not finish",
    async run(net, rec) {
      const s = new net.Socket();
      rec.watch("client", s);
      s.end(logCb(rec, "client", "end"));
      snapshot(rec, "client", "after end", s);
      await new Promise((resolve) => setTimeout(resolve, 20));
      rec.log("client", `writableEnded=${s.writableEnded} writableFinished=${s.writableFinished}`);
      s.destroy();
      await rec.closed(s);
    },
  },
  {
    name: "socket api: write() on a never connected socket: ERR_SOCKET_CLOSED",
    async run(net, rec) {
      const s = new net.Socket();
      rec.watch("client", s);
      rec.log("client", `write: ${s.write("x", logCb(rec, "client", "write"))}`);
      await rec.closed(s);
      snapshot(rec, "client", "closed", s);
    },
  },
  {
    name: "socket api: destroy(err) on a never connected socket",
    async run(net, rec) {
      const s = new net.Socket();
      rec.watch("client", s);
      s.destroy(Object.assign(new Error("early"), { code: "EEARLY" }));
      await rec.closed(s);
    },
  },
  {
    name: "socket api: destroy() on a never connected socket: close(false) only",
    async run(net, rec) {
      const s = new net.Socket();
      rec.watch("client", s);
      s.destroy();
      snapshot(rec, "client", "after destroy", s);
      await rec.closed(s);
    },
  },
  {
    name: "socket api: the connect listener runs once even if connect() is called with one twice",
    async run(net, rec) {
      const served = await serve(net, rec);
      const s = net.connect(served.port, "127.0.0.1", () => rec.log("client", "cb 1"));
      rec.watch("client", s);
      rec.log("client", `connect listeners=${s.listenerCount("connect")}`);
      await rec.next(s, "connect");
      s.end();
      await settle(rec, served, s);
      rec.log("client", `connect listeners after=${s.listenerCount("connect")}`);
    },
  },
  {
    name: "socket api: isPaused, pause and resume return values",
    async run(net, rec) {
      const s = idleSocket(net);
      rec.log("client", `new: isPaused=${s.isPaused()} flowing=${s.readableFlowing}`);
      rec.log("client", `pause returns this: ${s.pause() === s} isPaused=${s.isPaused()}`);
      rec.log("client", `resume returns this: ${s.resume() === s} isPaused=${s.isPaused()}`);
      s.destroy();
      await rec.closed(s);
    },
  },
  {
    name: "socket api: setEncoding returns the socket and sets readableEncoding",
    async run(net, rec) {
      const s = idleSocket(net);
      rec.log("client", `before=${s.readableEncoding}`);
      rec.log("client", `returns this: ${s.setEncoding("latin1") === s} encoding=${s.readableEncoding}`);
      s.setEncoding("utf-8");
      rec.log("client", `utf-8 gives ${s.readableEncoding}`);
      s.destroy();
      await rec.closed(s);
    },
  },
  {
    name: "socket api: writable stream getters before and after end()",
    async run(net, rec) {
      const served = await serve(net, rec);
      const s = net.connect(served.port, "127.0.0.1");
      rec.watch("client", s);
      const state = (what: string) =>
        rec.log(
          "client",
          `${what}: writable=${s.writable} writableEnded=${s.writableEnded} writableFinished=${s.writableFinished}`,
        );
      state("connecting");
      await rec.next(s, "connect");
      state("connected");
      s.end();
      state("after end()");
      await rec.next(s, "finish");
      state("on finish");
      s.resume();
      await settle(rec, served, s);
      state("closed");
    },
  },
  {
    name: "socket api: readable stream getters through end of data",
    async run(net, rec) {
      const served = await serve(net, rec, (peer) => peer.end("abc"));
      const s = net.connect(served.port, "127.0.0.1");
      rec.watch("client", s);
      const state = (what: string) =>
        rec.log("client", `${what}: readable=${s.readable} readableEnded=${s.readableEnded}`);
      state("connecting");
      s.on("connect", () => state("on connect"));
      s.on("end", () => state("on end"));
      await settle(rec, served, s);
      state("closed");
    },
  },
  {
    name: "socket api: errored and closed getters after an error",
    async run(net, rec) {
      const port = await rec.closedPort(net);
      const s = net.connect(port, "127.0.0.1");
      rec.watch("client", s);
      rec.log("client", `before: errored=${s.errored} closed=${s.closed}`);
      await rec.closed(s);
      rec.log(
        "client",
        `after: errored=${(s.errored as { code?: string } | null)?.code} closed=${s.closed} destroyed=${s.destroyed}`,
      );
    },
  },
  {
    name: "socket api: autoSelectFamilyAttemptedAddresses for an IP host",
    async run(net, rec) {
      const served = await serve(net, rec);
      const s = net.connect(served.port, "127.0.0.1");
      rec.watch("client", s);
      await rec.next(s, "connect");
      rec.log("client", `attempted=${JSON.stringify(s.autoSelectFamilyAttemptedAddresses)}`);
      s.end();
      await settle(rec, served, s);
    },
  },
  {
    name: "socket api: autoSelectFamilyAttemptedAddresses for localhost",
    async run(net, rec) {
      const served = await serve(net, rec);
      const s = net.connect(served.port, "localhost");
      rec.watch("client", s);
      await rec.next(s, "connect");
      rec.log("client", `attempted=${JSON.stringify(s.autoSelectFamilyAttemptedAddresses)}`);
      s.end();
      await settle(rec, served, s);
    },
  },
  {
    name: "socket api: localAddress/remoteAddress of the peer match the client's",
    async run(net, rec) {
      const served = await serve(net, rec);
      const s = net.connect(served.port, "127.0.0.1");
      rec.watch("client", s);
      await rec.next(s, "connect");
      const peer = await served.peer;
      rec.log("peer", `remotePort is the client's localPort: ${peer.remotePort === s.localPort}`);
      rec.log("peer", `localPort is the server port: ${peer.localPort === served.port}`);
      s.end();
      await settle(rec, served, s);
    },
  },
  {
    name: "socket api: new Socket({ allowHalfOpen }) reflects the option",
    async run(net, rec) {
      const a = idleSocket(net, { allowHalfOpen: true });
      const b = idleSocket(net, {});
      rec.log("client", `allowHalfOpen: true -> ${a.allowHalfOpen}, default -> ${b.allowHalfOpen}`);
      const closed = Promise.all([rec.closed(a), rec.closed(b)]);
      a.destroy();
      b.destroy();
      await closed;
    },
  },
  {
    name: "socket api: writableHighWaterMark and readableHighWaterMark defaults and options",
    async run(net, rec) {
      const a = idleSocket(net);
      const b = idleSocket(net, { highWaterMark: 1024 });
      const c = idleSocket(net, { readableHighWaterMark: 10, writableHighWaterMark: 20 });
      for (const [n, s] of [["default", a], ["highWaterMark 1024", b], ["split 10/20", c]] as const) {
        rec.log("client", `${n}: readable=${s.readableHighWaterMark} writable=${s.writableHighWaterMark}`);
        s.destroy();
      }
      await rec.closed(c);
    },
  },
];
