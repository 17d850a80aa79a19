// Scenarios: the order of a socket's events (connect, ready, data, end, finish, close)
// in the common shapes of a conversation, write callbacks, cork/uncork, encodings,
// paused-mode reading, the write queue getters, lookup and the signal option.
import { Buffer } from "node:buffer";
import { type Scenario, SOCKET_EVENTS, type SocketLike } from "./_harness.ts";
import { serve, serveEcho, settle, snapshot } from "./_serve.ts";
import { logCb, quietServer, until } from "./_kit.ts";

const NO_DRAIN = SOCKET_EVENTS.filter((e) => e !== "drain");

function readAll(s: SocketLike, rec: { log(l: string, e: string): void }, label: string, n?: number): void {
  s.on("readable", () => {
    let chunk;
    while ((chunk = n === undefined ? s.read() : s.read(n)) !== null) {
      rec.log(label, `read -> ${JSON.stringify(String(chunk))}`);
    }
    rec.log(label, "read -> null");
  });
}

export const eventScenarios: Scenario[] = [
  {
    name: "events: the server ends first; the client auto-ends",
    async run(net, rec) {
      const served = await serve(net, rec, (peer) => peer.end("bye"));
      const s = net.connect(served.port, "127.0.0.1");
      rec.watch("client", s);
      await settle(rec, served, s);
    },
  },
  {
    name: "events: the server destroys after writing",
    async run(net, rec) {
      const served = await serve(net, rec, (peer) => {
        peer.write("last", () => peer.destroy());
      });
      const s = net.connect(served.port, "127.0.0.1");
      rec.watch("client", s);
      await settle(rec, served, s);
    },
  },
  {
    name: "events: the client writes and ends at once; the server echoes",
    async run(net, rec) {
      const served = await serveEcho(net, rec);
      const s = net.connect(served.port, "127.0.0.1");
      rec.watch("client", s);
      s.end("at once");
      await settle(rec, served, s);
    },
  },
  {
    name: "events: the connect callback runs before other 'connect' listeners",
    async run(net, rec) {
      const served = await serve(net, rec);
      const s = new net.Socket();
      s.on("connect", () => rec.log("client", "listener added first"));
      s.connect(served.port, "127.0.0.1", () => rec.log("client", "connect callback"));
      s.on("connect", () => rec.log("client", "listener added last"));
      s.on("ready", () => rec.log("client", "ready"));
      await rec.next(s, "ready");
      s.end();
      s.resume();
      await settle(rec, served, s);
    },
  },
  {
    name: "events: 'end' only once data is consumed",
    async run(net, rec) {
      const served = await serve(net, rec, (peer) => peer.end("unread"));
      const s = net.connect(served.port, "127.0.0.1");
      rec.watch("client", s, ["connect", "end", "close"]);
      await rec.next(s, "connect");
      await until(() => s.readableLength === 6, "6 buffered bytes");
      await new Promise((resolve) => setTimeout(resolve, 20));
      rec.log("client", `readableLength=${s.readableLength} readableEnded=${s.readableEnded}`);
      s.resume();
      await settle(rec, served, s);
    },
  },
  {
    name: "events: write callbacks run in order, before 'finish'",
    async run(net, rec) {
      const served = await serve(net, rec);
      const s = net.connect(served.port, "127.0.0.1");
      rec.watch("client", s);
      await rec.next(s, "connect");
      for (let i = 1; i <= 4; i++) s.write(`w${i}`, logCb(rec, "client", `write ${i}`));
      s.end(logCb(rec, "client", "end"));
      s.resume();
      await settle(rec, served, s);
    },
  },
  {
    name: "events: write('') calls back and sends nothing",
    async run(net, rec) {
      const served = await serve(net, rec);
      const s = net.connect(served.port, "127.0.0.1");
      rec.watch("client", s);
      await rec.next(s, "connect");
      let returned: boolean | undefined;
      await new Promise<void>((resolve) => {
        returned = s.write("", (err?: Error | null) => {
          logCb(rec, "client", "empty write")(err);
          resolve();
        });
      });
      rec.log("client", `write returned ${returned}`);
      await new Promise((resolve) => setTimeout(resolve, 20));
      rec.log("client", `bytesWritten=${s.bytesWritten}`);
      s.end();
      s.resume();
      await settle(rec, served, s);
    },
  },
  {
    name: "events: write(Uint8Array) and write(Buffer) are sent as bytes",
    async run(net, rec) {
      const served = await serve(net, rec);
      const s = net.connect(served.port, "127.0.0.1");
      rec.watch("client", s);
      await rec.next(s, "connect");
      s.write(new Uint8Array([0x61, 0x62]));
      s.end(Buffer.from("cd"));
      s.resume();
      await settle(rec, served, s);
    },
  },
  {
    name: "events: nested cork() needs as many uncork() calls",
    async run(net, rec) {
      const served = await serve(net, rec, (peer) => peer.setEncoding("utf8"));
      const s = net.connect(served.port, "127.0.0.1");
      rec.watch("client", s);
      await rec.next(s, "connect");
      s.cork();
      s.cork();
      s.write("a", logCb(rec, "client", "a"));
      s.uncork();
      rec.log("client", `after one uncork: corked=${s.writableCorked} writableLength=${s.writableLength}`);
      s.uncork();
      rec.log("client", `after two: corked=${s.writableCorked}`);
      s.end();
      await settle(rec, served, s);
    },
  },
  {
    name: "events: end() while corked flushes the corked writes",
    async run(net, rec) {
      const served = await serve(net, rec, (peer) => peer.setEncoding("utf8"));
      const s = net.connect(served.port, "127.0.0.1");
      rec.watch("client", s);
      await rec.next(s, "connect");
      s.cork();
      s.write("x", logCb(rec, "client", "x"));
      s.write("y", logCb(rec, "client", "y"));
      s.end("z", logCb(rec, "client", "end"));
      await settle(rec, served, s);
    },
  },
  {
    name: "events: cork() before connect, uncork() after",
    async run(net, rec) {
      const served = await serve(net, rec, (peer) => peer.setEncoding("utf8"));
      const s = net.connect(served.port, "127.0.0.1");
      rec.watch("client", s);
      s.cork();
      s.write("one ");
      s.write("two");
      await rec.next(s, "connect");
      rec.log("client", `connected, corked=${s.writableCorked} writableLength=${s.writableLength}`);
      s.uncork();
      s.end();
      await settle(rec, served, s);
    },
  },
  {
    name: "events: setEncoding('latin1') delivers strings",
    async run(net, rec) {
      const served = await serve(net, rec, (peer) => peer.end(Buffer.from([0x63, 0x61, 0x66, 0xe9])));
      const s = net.connect(served.port, "127.0.0.1");
      s.setEncoding("latin1");
      rec.watch("client", s);
      await settle(rec, served, s);
    },
  },
  {
    name: "events: setEncoding('base64') delivers base64 text",
    async run(net, rec) {
      const served = await serve(net, rec, (peer) => peer.end("hello"));
      const s = net.connect(served.port, "127.0.0.1");
      s.setEncoding("base64");
      rec.watch("client", s);
      await settle(rec, served, s);
    },
  },
  {
    name: "events: setEncoding('utf16le') joins code units",
    async run(net, rec) {
      const served = await serve(net, rec, (peer) => peer.end(Buffer.from("hi!", "utf16le")));
      const s = net.connect(served.port, "127.0.0.1");
      s.setEncoding("utf16le");
      rec.watch("client", s);
      await settle(rec, served, s);
    },
  },
  {
    name: "events: setEncoding on the server side peer",
    async run(net, rec) {
      const served = await serve(net, rec, (peer) => {
        peer.setEncoding("hex");
        peer.resume();
      });
      const s = net.connect(served.port, "127.0.0.1");
      rec.watch("client", s);
      s.end("AB");
      await settle(rec, served, s);
    },
  },
  {
    name: "events: 'readable' and read() in paused mode",
    async run(net, rec) {
      const served = await serve(net, rec, (peer) => peer.end("hello world"));
      const s = net.connect(served.port, "127.0.0.1");
      rec.watch("client", s, ["connect", "end", "close"]);
      readAll(s, rec, "client");
      await settle(rec, served, s);
    },
  },
  {
    name: "events: read(n) returns n bytes at a time, the rest at end",
    async run(net, rec) {
      const served = await serve(net, rec, (peer) => {
        peer.write("abcdefghij");
        setTimeout(() => peer.end(), 50);
      });
      const s = net.connect(served.port, "127.0.0.1");
      rec.watch("client", s, ["connect", "end", "close"]);
      readAll(s, rec, "client", 4);
      await settle(rec, served, s);
    },
  },
  {
    name: "events: read(0) on a socket with nothing buffered",
    async run(net, rec) {
      const served = await serve(net, rec, (peer) => peer.end());
      const s = net.connect(served.port, "127.0.0.1");
      rec.watch("client", s, ["connect", "end", "close"]);
      await rec.next(s, "connect");
      rec.log("client", `read(0) -> ${s.read(0)}`);
      s.resume();
      await settle(rec, served, s);
    },
  },
  {
    name: "events: setEncoding with read(): strings out of read()",
    async run(net, rec) {
      const served = await serve(net, rec, (peer) => peer.end("žlutý"));
      const s = net.connect(served.port, "127.0.0.1");
      s.setEncoding("utf8");
      rec.watch("client", s, ["connect", "end", "close"]);
      readAll(s, rec, "client");
      await settle(rec, served, s);
    },
  },
  {
    name: "events: unshift() puts data back in front",
    async run(net, rec) {
      const served = await serve(net, rec, (peer) => peer.end("HEADbody"));
      const s = net.connect(served.port, "127.0.0.1");
      rec.watch("client", s);
      s.once("readable", () => {
        const all = s.read();
        rec.log("client", `read ${String(all)}`);
        s.unshift(all.subarray(4));
        s.setEncoding("utf8");
      });
      await rec.next(s, "end").catch(() => {});
      await settle(rec, served, s);
    },
  },
  {
    name: "events: a paused receiver makes the sender buffer and 'drain' later",
    async run(net, rec) {
      let peerRef: SocketLike | undefined;
      const served = await serve(net, rec, (peer) => {
        peerRef = peer;
        peer.pause();
      }, { events: NO_DRAIN });
      const s = net.connect(served.port, "127.0.0.1");
      rec.watch("client", s, NO_DRAIN);
      await rec.next(s, "connect");
      // 16 MiB is more than loopback buffers hold: the last write() returns false.
      let last = true;
      for (let i = 0; i < 256; i++) last = s.write(Buffer.alloc(64 * 1024));
      rec.log("client", `last write returned ${last}, needDrain=${s.writableNeedDrain}`);
      await served.peer;
      peerRef!.resume();
      await rec.next(s, "drain");
      rec.log("client", `drained: writableLength=${s.writableLength}`);
      s.end();
      await settle(rec, served, s);
    },
  },
  {
    name: "events: connect again after close on the same Socket object (end first)",
    async run(net, rec) {
      const served = await serveEcho(net, rec);
      const s = net.connect(served.port, "127.0.0.1");
      rec.watch("client", s);
      s.end("one");
      await rec.next(s, "close");
      snapshot(rec, "client", "closed", s);
      s.connect(served.port, "127.0.0.1");
      snapshot(rec, "client", "connecting again", s);
      await rec.next(s, "connect");
      rec.log("client", `bytesRead=${s.bytesRead} bytesWritten=${s.bytesWritten}`);
      s.destroy();
      await rec.next(s, "close");
      await rec.closeServer(served.server);
    },
  },
  {
    name: "events: connect after a refused attempt on the same Socket",
    async run(net, rec) {
      const port = await rec.closedPort(net);
      const served = await serve(net, rec);
      const s = net.connect(port, "127.0.0.1");
      rec.watch("client", s);
      await rec.next(s, "close");
      snapshot(rec, "client", "after refusal", s);
      s.connect(served.port, "127.0.0.1");
      await rec.next(s, "connect");
      s.end();
      s.resume();
      await rec.next(s, "close");
      await rec.closeServer(served.server);
    },
  },
  {
    name: "events: 'lookup' for localhost with family 4",
    async run(net, rec) {
      const served = await serve(net, rec);
      const s = net.connect({ port: served.port, host: "localhost", family: 4 });
      rec.watch("client", s);
      s.on("connect", () => s.end());
      await settle(rec, served, s);
    },
  },
  {
    name: "events: custom lookup receives the hints and family options",
    async run(net, rec) {
      const served = await serve(net, rec);
      const lookup = (host: string, options: Record<string, unknown>, cb: (...a: unknown[]) => void) => {
        rec.log("lookup-fn", `host=${host} family=${options.family} hints=${options.hints} all=${options.all}`);
        setTimeout(() => cb(null, "127.0.0.1", 4), 1);
      };
      const s = net.connect({ port: served.port, host: "x.test", family: 4, hints: 0x400, lookup });
      rec.watch("client", s);
      s.on("connect", () => s.end());
      await settle(rec, served, s);
    },
  },
  {
    name: "events: custom lookup called synchronously back",
    async run(net, rec) {
      const served = await serve(net, rec);
      const lookup = (_h: string, o: { all?: boolean }, cb: (...a: unknown[]) => void) =>
        o.all ? cb(null, [{ address: "127.0.0.1", family: 4 }]) : cb(null, "127.0.0.1", 4);
      const s = net.connect({ port: served.port, host: "sync.test", lookup });
      rec.watch("client", s);
      s.on("connect", () => s.end());
      await settle(rec, served, s);
    },
  },
  {
    name: "events: a lookup error with autoSelectFamily false",
    async run(net, rec) {
      const err = Object.assign(new Error("getaddrinfo EAI_AGAIN again.test"), {
        code: "EAI_AGAIN",
        syscall: "getaddrinfo",
        hostname: "again.test",
      });
      const lookup = (_h: string, _o: unknown, cb: (...a: unknown[]) => void) => setTimeout(() => cb(err), 1);
      const s = net.connect({ port: 80, host: "again.test", lookup, autoSelectFamily: false });
      rec.watch("client", s);
      await rec.closed(s);
    },
  },
  {
    name: "events: destroy() during a pending custom lookup",
    async run(net, rec) {
      let answer: (() => void) | undefined;
      const lookup = (_h: string, o: { all?: boolean }, cb: (...a: unknown[]) => void) => {
        answer = () => o.all ? cb(null, [{ address: "127.0.0.1", family: 4 }]) : cb(null, "127.0.0.1", 4);
      };
      const s = net.connect({ port: 80, host: "slow.test", lookup });
      rec.watch("client", s);
      s.destroy();
      await rec.closed(s);
      answer?.();
      await new Promise((resolve) => setTimeout(resolve, 20));
      snapshot(rec, "client", "after late answer", s);
    },
  },
  {
    name: "events: signal aborted with a reason during connect",
    async run(net, rec) {
      const { server, port } = await quietServer(net, rec);
      const controller = new AbortController();
      const s = net.connect({ port, host: "127.0.0.1", signal: controller.signal });
      rec.watch("client", s);
      controller.abort("why");
      await rec.closed(s);
      await rec.closeServer(server);
    },
  },
  ...["ip", "lookup", "unix"].map(connectWithAbortedSignal),
  {
    name: "events: abort after the socket closed does nothing",
    async run(net, rec) {
      const served = await serve(net, rec);
      const controller = new AbortController();
      const s = net.connect({ port: served.port, host: "127.0.0.1", signal: controller.signal });
      rec.watch("client", s);
      s.on("connect", () => s.end());
      s.resume();
      await settle(rec, served, s);
      controller.abort();
      await new Promise((resolve) => setTimeout(resolve, 10));
      snapshot(rec, "client", "after abort", s);
    },
  },
  {
    name: "events: 'data' before 'end' when the peer writes twice and ends",
    async run(net, rec) {
      const served = await serve(net, rec, (peer) => {
        peer.write("first,");
        setTimeout(() => peer.end("second"), 20);
      });
      const s = net.connect(served.port, "127.0.0.1");
      s.setEncoding("utf8");
      rec.watch("client", s);
      await settle(rec, served, s);
    },
  },
  {
    name: "events: a large echo round trip counts every byte",
    async run(net, rec) {
      const served = await serveEcho(net, rec, { events: NO_DRAIN });
      const s = net.connect(served.port, "127.0.0.1");
      // 'finish' may come amid the echoed data: only the reading side is traced.
      rec.watch("client", s, NO_DRAIN.filter((e) => e !== "finish"));
      s.end(Buffer.alloc(300_000, 0x7a));
      await settle(rec, served, s);
      rec.log("client", `bytesRead=${s.bytesRead} bytesWritten=${s.bytesWritten}`);
    },
  },
  {
    name: "events: the server writes before the client reads, client paused",
    async run(net, rec) {
      const served = await serve(net, rec, (peer) => peer.end("waiting"));
      const s = net.connect(served.port, "127.0.0.1");
      s.pause();
      rec.watch("client", s);
      await rec.next(s, "connect");
      // Nothing is read while paused: the bytes wait in the kernel.
      await new Promise((resolve) => setTimeout(resolve, 40));
      rec.log("client", `paused: readableLength=${s.readableLength} bytesRead=${s.bytesRead}`);
      s.resume();
      await settle(rec, served, s);
    },
  },
  {
    name: "events: removing the 'data' listener does not stop the flow",
    async run(net, rec) {
      const served = await serve(net, rec, (peer) => peer.end("flow"));
      const s = net.connect(served.port, "127.0.0.1");
      rec.watch("client", s, ["connect", "end", "close"]);
      const onData = () => {};
      s.on("data", onData);
      s.off("data", onData);
      rec.log("client", `flowing=${s.readableFlowing}`);
      await settle(rec, served, s);
    },
  },
  {
    name: "events: async iteration reads every chunk",
    async run(net, rec) {
      const served = await serve(net, rec, (peer) => peer.end("iterate me"));
      const s = net.connect(served.port, "127.0.0.1");
      rec.watch("client", s, ["connect", "end", "close"]);
      let text = "";
      for await (const chunk of s) text += String(chunk);
      rec.log("client", `read ${JSON.stringify(text)}`);
      await settle(rec, served, s);
    },
  },
  {
    name: "events: 'lookup' for localhost with family 6",
    async run(net, rec) {
      const served = await serve(net, rec, (peer) => peer.resume(), { host: "::1" });
      const s = net.connect({ port: served.port, host: "localhost", family: 6 });
      rec.watch("client", s);
      s.on("connect", () => s.end());
      await settle(rec, served, s);
    },
  },
  {
    name: "events: writableLength and bufferSize while connecting and after connect",
    async run(net, rec) {
      const served = await serve(net, rec);
      const s = net.connect(served.port, "127.0.0.1");
      rec.watch("client", s, NO_DRAIN);
      s.write("12345");
      s.write(Buffer.alloc(10));
      rec.log("client", `connecting: writableLength=${s.writableLength} bufferSize=${s.bufferSize}`);
      await rec.next(s, "connect");
      await new Promise((resolve) => setTimeout(resolve, 20));
      rec.log("client", `connected: writableLength=${s.writableLength} bufferSize=${s.bufferSize}`);
      s.end();
      s.resume();
      await settle(rec, served, s);
    },
  },
];

/**
 * connect() with a signal that already aborted. node:net's constructor destroys the socket
 * (node:stream queues the AbortError and a bare 'close'), then un-destroys it as it sets it
 * up, so connect() goes on connecting: its attempt (or lookup) follows that 'close'.
 */
function connectWithAbortedSignal(how: string): Scenario {
  return {
    name: `events: connect with an already aborted signal${how === "ip" ? "" : ` (${how})`}`,
    needs: how === "unix" ? ["unix"] : [],
    async run(net, rec) {
      const server = net.createServer((peer) => peer.resume());
      const path = how === "unix" ? rec.socketPath() : "";
      const port = how === "unix" ? await rec.listenPath(server, path) : await rec.listen(server);
      const target = how === "unix"
        ? { path }
        : how === "ip"
        ? { port, host: "127.0.0.1" }
        : { port, host: "localhost", family: 4 };
      const s = net.connect({ ...target, signal: AbortSignal.abort() });
      rec.watch("client", s);
      await rec.closed(s);
      // (The memory adapter's resolver answers in a microtask, not from the loop as DNS
      // does: after a lookup's start, a snapshot would race it there.)
      if (how !== "lookup") snapshot(rec, "client", "closed", s);
      await rec.next(s, "connect");
      snapshot(rec, "client", "connected", s);
      s.destroy();
      await rec.next(s, "close");
      await rec.closeServer(server);
    },
  };
}
