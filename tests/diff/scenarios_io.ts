// Scenarios: reading and writing: half-open, backpressure, cork, encodings, onread.
import { Buffer } from "node:buffer";
import { type Scenario, show, SOCKET_EVENTS, type SocketLike } from "./_harness.ts";

const NO_DRAIN = SOCKET_EVENTS.filter((e) => e !== "drain");
import { serve, settle, snapshot } from "./_serve.ts";

export const ioScenarios: Scenario[] = [
  {
    name: "allowHalfOpen: the client keeps writing after 'end', closes after its own end()",
    async run(net, rec) {
      const served = await serve(net, rec, (peer) => {
        peer.setEncoding("utf8");
        peer.end("server done");
      }, { allowHalfOpen: true });
      const client = net.connect({ port: served.port, host: "127.0.0.1", allowHalfOpen: true });
      rec.watch("client", client);
      client.on("end", () => {
        snapshot(rec, "client", "on end", client);
        rec.log("client", `write: ${client.write("still here")}`);
        setTimeout(() => client.end("bye"), 10);
      });
      await settle(rec, served, client);
    },
  },
  {
    name: "no allowHalfOpen: the peer's FIN ends our side too",
    async run(net, rec) {
      const served = await serve(net, rec, (peer) => peer.end("done"), { allowHalfOpen: true });
      const client = net.connect(served.port, "127.0.0.1");
      rec.watch("client", client);
      client.on("end", () => snapshot(rec, "client", "on end", client));
      await settle(rec, served, client);
    },
  },
  {
    name: "no allowHalfOpen: write after 'end' fails with EPIPE",
    async run(net, rec) {
      const served = await serve(net, rec, (peer) => peer.end("done"), { allowHalfOpen: true });
      const client = net.connect(served.port, "127.0.0.1");
      rec.watch("client", client);
      client.on("end", () => {
        queueMicrotask(() => {
          const cb = (err?: Error | null) => rec.log("client", `write callback(${(err as { code?: string })?.code})`);
          rec.log("client", `write: ${client.write("late", cb)}`);
        });
      });
      await settle(rec, served, client);
    },
  },
  {
    name: "the client ends first; the half-open peer answers after 'end'",
    async run(net, rec) {
      const served = await serve(net, rec, (peer) => {
        peer.setEncoding("utf8");
        peer.on("end", () => peer.end("answer"));
      }, { allowHalfOpen: true });
      const client = net.connect(served.port, "127.0.0.1");
      rec.watch("client", client);
      client.setEncoding("utf8");
      client.end("question");
      await settle(rec, served, client);
    },
  },
  {
    name: "error during write: EPIPE once the peer is gone",
    async run(net, rec) {
      const served = await serve(net, rec, (peer) => peer.destroy());
      const client = net.connect({ port: served.port, host: "127.0.0.1", allowHalfOpen: true });
      rec.watch("client", client);
      const cb = (what: string) => (err?: Error | null) => rec.log("callbacks", `${what}(${show(err ?? null)})`);
      client.on("end", () => {
        client.write("a", cb("write 1"));
        // The peer's kernel answers "a" with RST; the next write then fails.
        setTimeout(() => client.write("b", cb("write 2")), 50);
      });
      client.resume();
      await settle(rec, served, client);
    },
  },
  {
    name: "write() returns false past writableHighWaterMark and 'drain' follows",
    async run(net, rec) {
      // Written while connecting: node:net may finish a write synchronously once connected
      // (then write() returns true past the mark); queued writes are deterministic.
      // 'drain' is logged when awaited: node:net emits it inside the 'connect' emit when the
      // kernel takes the queued bytes at once.
      const served = await serve(net, rec);
      const client = net.connect(served.port, "127.0.0.1");
      rec.watch("client", client, NO_DRAIN);
      rec.log("client", `hwm=${client.writableHighWaterMark}`);
      rec.log("client", `small write: ${client.write(Buffer.alloc(1024))}`);
      rec.log("client", `big write: ${client.write(Buffer.alloc(1024 * 1024))}`);
      rec.log("client", `needDrain=${client.writableNeedDrain} bytesWritten=${client.bytesWritten}`);
      await rec.next(client, "drain");
      rec.log("client", `drain: writableLength=${client.writableLength} bytesWritten=${client.bytesWritten}`);
      client.end();
      await settle(rec, served, client);
    },
  },
  {
    name: "writableHighWaterMark option applies to the socket",
    async run(net, rec) {
      const served = await serve(net, rec);
      const client = new net.Socket({ writableHighWaterMark: 4 });
      rec.watch("client", client);
      client.connect(served.port, "127.0.0.1");
      rec.log("client", `hwm=${client.writableHighWaterMark} write: ${client.write("hello")}`);
      client.end();
      await settle(rec, served, client);
    },
  },
  {
    name: "cork()/uncork(): callbacks in order, bytes in order",
    async run(net, rec) {
      const served = await serve(net, rec, (peer) => peer.setEncoding("utf8"));
      const client = net.connect(served.port, "127.0.0.1");
      rec.watch("client", client);
      await rec.next(client, "connect");
      client.cork();
      for (const word of ["a", "b", "c"]) client.write(word, () => rec.log("client", `cb ${word}`));
      rec.log("client", `corked=${client.writableCorked} writableLength=${client.writableLength}`);
      client.uncork();
      client.end();
      await settle(rec, served, client);
    },
  },
  {
    name: "setEncoding('utf8') joins a character split across packets",
    async run(net, rec) {
      const euro = Buffer.from("€uro");
      const served = await serve(net, rec, (peer) => {
        peer.write(euro.subarray(0, 1));
        setTimeout(() => peer.end(euro.subarray(1)), 20);
      });
      const client = net.connect(served.port, "127.0.0.1");
      rec.watch("client", client);
      client.setEncoding("utf8");
      await settle(rec, served, client);
      rec.log("client", `bytesRead=${client.bytesRead}`);
    },
  },
  {
    name: "setEncoding('hex') before data",
    async run(net, rec) {
      const served = await serve(net, rec, (peer) => peer.end(Buffer.from([0xde, 0xad, 0xbe, 0xef])));
      const client = net.connect(served.port, "127.0.0.1");
      client.setEncoding("hex");
      rec.watch("client", client);
      await settle(rec, served, client);
    },
  },
  {
    name: "onread with a static buffer: callback(n, buf) with this = socket",
    async run(net, rec) {
      const served = await serve(net, rec, (peer) => peer.end("hello world!"));
      const buffer = Buffer.alloc(4);
      const box: { client?: SocketLike } = {};
      const callback = function (this: unknown, n: number, buf: Uint8Array): void {
        const same = buf === buffer;
        rec.log("client", `onread(${n}, ${JSON.stringify(Buffer.from(buf).toString("latin1", 0, n))}, same=${same})`);
        rec.log("client", `this is the socket: ${this === box.client}`);
      };
      const client = box.client = net.connect({ port: served.port, host: "127.0.0.1", onread: { buffer, callback } });
      rec.watch("client", client);
      await settle(rec, served, client);
      rec.log("client", `bytesRead=${client.bytesRead}`);
    },
  },
  {
    name: "onread callback returning false pauses until resume()",
    async run(net, rec) {
      const served = await serve(net, rec, (peer) => peer.end("abcdefgh"));
      const box: { client?: SocketLike } = {};
      let first = true;
      const callback = (n: number, buf: Uint8Array): boolean => {
        rec.log("client", `onread(${n}, ${JSON.stringify(Buffer.from(buf.subarray(0, n)).toString())})`);
        if (!first) return true;
        first = false;
        setTimeout(() => {
          rec.log("client", `resume (isPaused=${box.client!.isPaused()})`);
          box.client!.resume();
        }, 30);
        return false;
      };
      const client = box.client = net.connect({
        port: served.port,
        host: "127.0.0.1",
        onread: { buffer: Buffer.alloc(4), callback },
      });
      rec.watch("client", client);
      await settle(rec, served, client);
    },
  },
  {
    name: "onread with a buffer function",
    async run(net, rec) {
      const served = await serve(net, rec, (peer) => peer.end("0123456789"));
      let made = 0;
      const buffer = () => {
        made++;
        return new Uint8Array(16);
      };
      const callback = (n: number, buf: Uint8Array) => {
        rec.log("client", `onread(${n}, ${JSON.stringify(new TextDecoder().decode(buf.subarray(0, n)))})`);
      };
      const client = net.connect({ port: served.port, host: "127.0.0.1", onread: { buffer, callback } });
      rec.watch("client", client);
      await settle(rec, served, client);
      rec.log("client", `buffers made: ${made > 0}`);
    },
  },
  {
    name: "'data' chunks are Buffers and bytesRead counts them",
    async run(net, rec) {
      const served = await serve(net, rec, (peer) => peer.end(Buffer.alloc(100_000, 0x61)));
      const client = net.connect(served.port, "127.0.0.1");
      rec.watch("client", client);
      let allBuffers = true;
      client.on("data", (d: unknown) => allBuffers &&= Buffer.isBuffer(d));
      await settle(rec, served, client);
      rec.log("client", `all Buffers=${allBuffers} bytesRead=${client.bytesRead}`);
    },
  },
  {
    name: "pipe(): a client piped into a writable peer delivers everything",
    async run(net, rec) {
      // The peer's 'drain' is not traced: node:net skips it when the kernel takes a write at once.
      const served = await serve(net, rec, (peer) => peer.pipe(peer), { events: NO_DRAIN });
      const client = net.connect(served.port, "127.0.0.1");
      rec.watch("client", client);
      const payload = Buffer.alloc(256 * 1024, 0x62);
      client.end(payload);
      await settle(rec, served, client);
      rec.log("client", `bytesWritten=${client.bytesWritten}`);
    },
  },
];
