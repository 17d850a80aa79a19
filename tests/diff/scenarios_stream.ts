// Scenarios: the net.Socket as a stream.Duplex: 'pause'/'resume' events, every
// encoding name Node accepts (aliases, ascii, base64url), destroy with buffered data,
// instanceof checks and `this` in callbacks, sync or async callbacks, disposal.
import { Buffer } from "node:buffer";
import { type Scenario, SOCKET_EVENTS } from "./_harness.ts";
import { serve, settle, snapshot } from "./_serve.ts";
import { logCb } from "./_kit.ts";

/** Serve `bytes`, read them with `encoding` on the client. */
function decodes(encoding: string, bytes: number[]): Scenario {
  return {
    name: `stream: setEncoding('${encoding}') decodes ${bytes.length} bytes`,
    async run(net, rec) {
      const served = await serve(net, rec, (p) => p.end(Buffer.from(bytes)));
      const s = net.connect(served.port, "127.0.0.1");
      s.setEncoding(encoding as BufferEncoding);
      rec.log("client", `readableEncoding=${s.readableEncoding}`);
      rec.watch("client", s);
      await settle(rec, served, s);
    },
  };
}

/** Write `text` with `encoding`; the peer traces the bytes it got as hex. */
function encodes(encoding: string, text: string): Scenario {
  return {
    name: `stream: write(text, '${encoding}') sends the encoded bytes`,
    async run(net, rec) {
      const served = await serve(net, rec, (p) => p.setEncoding("hex"));
      const s = net.connect(served.port, "127.0.0.1");
      rec.watch("client", s);
      s.end(text, encoding as BufferEncoding);
      s.resume();
      await settle(rec, served, s);
      rec.log("client", `bytesWritten=${s.bytesWritten}`);
    },
  };
}

export const streamScenarios: Scenario[] = [
  decodes("ascii", [0x68, 0x69, 0xe9, 0x7f]),
  decodes("binary", [0x63, 0x61, 0x66, 0xe9]),
  decodes("ucs2", [0x68, 0x00, 0x69, 0x00]),
  decodes("base64url", [0xfb, 0xff, 0xfe, 0x01]),
  decodes("utf8", [0x61, 0xff, 0x62]),
  encodes("latin1", "café"),
  encodes("ucs2", "hi"),
  encodes("base64url", "-_8"),
  encodes("ascii", "plain"),
  {
    name: "stream: pause() and resume() emit 'pause' and 'resume'",
    async run(net, rec) {
      const served = await serve(net, rec, (p) => p.end("pr"));
      const s = net.connect(served.port, "127.0.0.1");
      rec.watch("client", s, [...SOCKET_EVENTS, "pause", "resume"]);
      s.pause();
      await rec.next(s, "connect");
      s.resume();
      await settle(rec, served, s);
    },
  },
  {
    name: "stream: destroy() while paused with buffered data: no 'data', no 'end'",
    async run(net, rec) {
      const served = await serve(net, rec, (p) => p.end("unread data"));
      const s = net.connect(served.port, "127.0.0.1");
      rec.watch("client", s, ["connect", "data", "end", "close"]);
      s.on("readable", () => {
        rec.log("client", `readable: readableLength=${s.readableLength}`);
        s.destroy();
      });
      await settle(rec, served, s);
    },
  },
  {
    name: "stream: sockets are instances of net.Socket on both ends",
    async run(net, rec) {
      const served = await serve(net, rec, (p) => {
        rec.log("peer", `instanceof Socket=${p instanceof net.Socket}`);
        p.end();
      });
      const s = net.connect(served.port, "127.0.0.1");
      rec.watch("client", s);
      rec.log("client", `instanceof Socket=${s instanceof net.Socket} name=${s.constructor.name}`);
      s.resume();
      await settle(rec, served, s);
    },
  },
  {
    name: "stream: `this` in the connect callback, the listen callback and 'close' listeners",
    async run(net, rec) {
      const server = net.createServer((p) => p.end());
      await new Promise<void>((resolve) =>
        server.listen(0, "127.0.0.1", function (this: unknown) {
          rec.log("server", `listen callback this is the server: ${this === server}`);
          resolve();
        })
      );
      const port = (server.address() as { port: number }).port;
      const s = net.connect(port, "127.0.0.1", function (this: unknown) {
        rec.log("client", `connect callback this is the socket: ${this === s}`);
      });
      s.on("close", function (this: unknown) {
        rec.log("client", `close listener this is the socket: ${this === s}`);
      });
      s.resume();
      await rec.closed(s);
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  },
  {
    name: "stream: getConnections, close and write callbacks are never synchronous",
    async run(net, rec) {
      const served = await serve(net, rec);
      const s = net.connect(served.port, "127.0.0.1");
      rec.watch("client", s);
      await rec.next(s, "connect");
      served.server.getConnections(() => rec.log("server", "getConnections callback"));
      rec.log("server", "after getConnections()");
      s.write("x", logCb(rec, "client", "write"));
      rec.log("client", "after write()");
      s.end();
      await settle(rec, served, s);
      const idle = net.createServer();
      idle.close(logCb(rec, "server", "idle close"));
      rec.log("server", "after idle close()");
      await new Promise((resolve) => setTimeout(resolve, 10));
    },
  },
  {
    name: "stream: a small write() once connected returns true",
    async run(net, rec) {
      const served = await serve(net, rec);
      const s = net.connect(served.port, "127.0.0.1");
      rec.watch("client", s);
      await rec.next(s, "connect");
      rec.log("client", `write: ${s.write("small")} writableNeedDrain=${s.writableNeedDrain}`);
      s.end();
      await settle(rec, served, s);
    },
  },
  {
    name: "stream: end() and destroy() on a destroyed socket return it",
    async run(net, rec) {
      const s = new net.Socket();
      rec.watch("client", s);
      s.destroy();
      rec.log("client", `end returns this: ${s.end() === s} destroy returns this: ${s.destroy() === s}`);
      await rec.closed(s);
      snapshot(rec, "client", "closed", s);
    },
  },
  {
    name: "stream: server[Symbol.asyncDispose]() closes the server",
    async run(net, rec) {
      const server = net.createServer();
      rec.watch("server", server, ["listening", "error", "close"]);
      await rec.listen(server);
      const dispose = (server as unknown as Record<symbol, unknown>)[Symbol.asyncDispose] as
        | (() => Promise<void>)
        | undefined;
      rec.log("server", `has asyncDispose: ${typeof dispose}`);
      if (typeof dispose === "function") await dispose.call(server);
      rec.log("server", `listening=${server.listening}`);
      if (server.listening) await rec.closeServer(server);
    },
  },
  {
    name: "stream: writes of mixed strings and buffers while corked arrive in order",
    async run(net, rec) {
      const served = await serve(net, rec, (p) => p.setEncoding("utf8"));
      const s = net.connect(served.port, "127.0.0.1");
      rec.watch("client", s);
      await rec.next(s, "connect");
      s.cork();
      s.write("a");
      s.write(Buffer.from("b"));
      s.write("63", "hex");
      s.write(new Uint8Array([0x64]));
      s.uncork();
      s.end();
      await settle(rec, served, s);
    },
  },
];
