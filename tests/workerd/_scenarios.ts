// Client-side differential scenarios for runtimes that can only connect (Cloudflare
// Workers): each names a kind of server that runs on the host (Node 24's node:net, see
// _servers.ts) and drives only a client. scripts/workerd_run.ts runs every scenario on
// Node 24's node:net (the oracle, live), on omninet inside workerd and on workerd's own
// node:net, and compares the traces. The recorder is the differential suite's
// (tests/diff/_harness.ts), so traces read the same.
import { pipeline } from "node:stream/promises";
import { Readable } from "node:stream";
import { type NetLike, type Recorder, show, sleep, type SocketLike } from "../diff/_harness.ts";

/** What the host's server does with each connection (tests/workerd/_servers.ts). */
export type ServerKind =
  | "echo" // writes back what it reads; ends when the client ends
  | "echo6" // the same on [::1]
  | "greet" // writes "hello from host" and ends
  | "silent" // reads and never writes
  | "stall" // never reads (its receive buffer fills)
  | "destroy" // closes (FIN) as soon as it accepts
  | "reset" // resets (RST) when the first bytes arrive
  | "halfopen" // allowHalfOpen: after the client's FIN answers "answer:<what it read>" and ends
  | "bulk" // writes 4 MiB (bytes 0..250 repeating) and ends
  | "count" // reads everything; after the client's FIN answers the byte count and ends
  | "closed"; // nothing listens: connects are refused

/** One client scenario. */
export interface ClientScenario {
  /** Unique, describes the behaviour. */
  name: string;
  /** The host server the client talks to. */
  server: ServerKind;
  /** Drive a client of `net` against `port`; resolve once every socket is closed. */
  run(net: NetLike, rec: Recorder, port: number): Promise<void>;
}

/** The size the `bulk` server sends. */
export const BULK_SIZE = 4 * 1024 * 1024;

function endAfterEcho(client: SocketLike): void {
  client.on("connect", () => client.write("ping"));
  client.on("data", () => client.end());
}

function states(rec: Recorder, what: string, s: SocketLike): void {
  rec.log(
    "client",
    `${what}: readyState=${s.readyState} pending=${s.pending} connecting=${s.connecting} destroyed=${s.destroyed}`,
  );
}

export const clientScenarios: ClientScenario[] = [
  {
    name: "connect(port, host, cb): echo round trip and byte counts",
    server: "echo",
    async run(net, rec, port) {
      const client = net.connect(port, "127.0.0.1", () => rec.log("client", "connect callback"));
      rec.watch("client", client);
      endAfterEcho(client);
      await rec.closed(client);
      rec.log("client", `bytesRead=${client.bytesRead} bytesWritten=${client.bytesWritten}`);
    },
  },
  {
    name: "createConnection({ port, host }) behaves as connect",
    server: "echo",
    async run(net, rec, port) {
      const client = net.createConnection({ port, host: "127.0.0.1" });
      rec.watch("client", client);
      endAfterEcho(client);
      await rec.closed(client);
    },
  },
  {
    name: "new Socket() then socket.connect({ port, host }, cb)",
    server: "echo",
    async run(net, rec, port) {
      const client = new net.Socket();
      rec.watch("client", client);
      states(rec, "before connect", client);
      client.connect({ port, host: "127.0.0.1" }, () => rec.log("client", "cb"));
      states(rec, "after connect()", client);
      endAfterEcho(client);
      await rec.closed(client);
      states(rec, "closed", client);
    },
  },
  {
    name: "connect to localhost (family 4): 'lookup' then the connect",
    server: "echo",
    async run(net, rec, port) {
      const client = net.connect({ port, host: "localhost", family: 4 });
      rec.watch("client", client);
      endAfterEcho(client);
      await rec.closed(client);
    },
  },
  {
    name: "connect to [::1] (family 6) echoes",
    server: "echo6",
    async run(net, rec, port) {
      const client = net.connect(port, "::1");
      rec.watch("client", client);
      client.on("connect", () => rec.log("client", `remote ${client.remoteAddress} ${client.remoteFamily}`));
      endAfterEcho(client);
      await rec.closed(client);
    },
  },
  {
    name: "the server ends first: data, end, finish, close(false)",
    server: "greet",
    async run(net, rec, port) {
      const client = net.connect(port, "127.0.0.1");
      rec.watch("client", client);
      client.on("end", () => states(rec, "on end", client));
      await rec.closed(client);
    },
  },
  {
    name: "allowHalfOpen: the client writes after 'end' and closes after its own end()",
    server: "greet",
    async run(net, rec, port) {
      const client = net.connect({ port, host: "127.0.0.1", allowHalfOpen: true });
      rec.watch("client", client);
      client.on("end", () => {
        states(rec, "on end", client);
        rec.log("client", `write: ${client.write("still here")}`);
        setTimeout(() => client.end("bye"), 10);
      });
      await rec.closed(client);
    },
  },
  {
    name: "the client ends first; the half-open server answers after its 'end'",
    server: "halfopen",
    async run(net, rec, port) {
      const client = net.connect(port, "127.0.0.1");
      rec.watch("client", client);
      client.setEncoding("utf8");
      client.on("connect", () => client.end("ping"));
      client.on("finish", () => states(rec, "on finish", client));
      await rec.closed(client);
    },
  },
  {
    name: "no allowHalfOpen: a write after 'end' fails with EPIPE",
    server: "greet",
    async run(net, rec, port) {
      const client = net.connect(port, "127.0.0.1");
      rec.watch("client", client);
      client.on("end", () => {
        queueMicrotask(() => {
          const cb = (err?: Error | null) => rec.log("client", `write callback(${(err as { code?: string })?.code})`);
          rec.log("client", `write: ${client.write("late", cb)}`);
        });
      });
      await rec.closed(client);
    },
  },
  {
    name: "destroy() before the connect completes: close(false) only",
    server: "silent",
    async run(net, rec, port) {
      const client = net.connect(port, "127.0.0.1");
      rec.watch("client", client);
      client.destroy();
      states(rec, "after destroy", client);
      await rec.closed(client);
    },
  },
  {
    name: "destroy() once connected: connect, ready, close(false)",
    server: "silent",
    async run(net, rec, port) {
      const client = net.connect(port, "127.0.0.1");
      rec.watch("client", client);
      client.on("connect", () => client.destroy());
      await rec.closed(client);
    },
  },
  {
    name: "destroy(err) once connected: error, close(true)",
    server: "silent",
    async run(net, rec, port) {
      const client = net.connect(port, "127.0.0.1");
      rec.watch("client", client);
      client.on("connect", () => client.destroy(new Error("boom")));
      await rec.closed(client);
    },
  },
  {
    name: "a refused connect: error with Node's fields, close(true)",
    server: "closed",
    async run(net, rec, port) {
      const client = net.connect(port, "127.0.0.1");
      rec.watch("client", client);
      await rec.closed(client);
      states(rec, "closed", client);
    },
  },
  {
    name: "the server resets after the first bytes: ECONNRESET on read, close(true)",
    server: "reset",
    async run(net, rec, port) {
      const client = net.connect(port, "127.0.0.1");
      rec.watch("client", client);
      client.on("connect", () => client.write("ping"));
      client.resume();
      await rec.closed(client);
    },
  },
  {
    name: "the server closes at once: connect, ready, end, finish, close(false)",
    server: "destroy",
    async run(net, rec, port) {
      const client = net.connect(port, "127.0.0.1");
      rec.watch("client", client);
      client.resume();
      await rec.closed(client);
    },
  },
  {
    name: "write callbacks run in order, before 'finish'",
    server: "count",
    async run(net, rec, port) {
      const client = net.connect(port, "127.0.0.1");
      rec.watch("client", client);
      client.setEncoding("utf8");
      for (const n of [1, 2, 3]) {
        client.write(`chunk${n}`, (err?: Error | null) => rec.log("client", `cb${n}(${show(err)})`));
      }
      client.end("last", () => rec.log("client", "end callback"));
      await rec.closed(client);
    },
  },
  {
    name: "1 MiB written in 64 KiB chunks arrives whole (the server counts it)",
    server: "count",
    async run(net, rec, port) {
      const client = net.connect(port, "127.0.0.1");
      rec.watch("client", client, ["connect", "data", "end", "finish", "error", "close"]);
      client.setEncoding("utf8");
      const chunk = new Uint8Array(64 * 1024).fill(7);
      client.on("connect", async () => {
        for (let i = 0; i < 16; i++) {
          if (!client.write(chunk)) await new Promise((resolve) => client.once("drain", resolve));
        }
        client.end();
      });
      await rec.closed(client);
      rec.log("client", `bytesWritten=${client.bytesWritten}`);
    },
  },
  {
    name: "4 MiB read with pause and resume arrives byte for byte",
    server: "bulk",
    async run(net, rec, port) {
      const client = net.connect(port, "127.0.0.1");
      rec.watch("client", client, ["connect", "end", "finish", "error", "close"]);
      let received = 0;
      let wrong = 0;
      let paused = false;
      client.on("data", (chunk: Uint8Array) => {
        for (let i = 0; i < chunk.length; i++) if (chunk[i] !== (received + i) % 251) wrong++;
        received += chunk.length;
        if (!paused && received > 1024 * 1024) {
          paused = true;
          client.pause();
          setTimeout(() => client.resume(), 50);
        }
      });
      await rec.closed(client);
      rec.log("client", `received=${received} wrong=${wrong} paused=${paused} bytesRead=${client.bytesRead}`);
    },
  },
  {
    name: "setEncoding('utf8'): data arrives as strings",
    server: "greet",
    async run(net, rec, port) {
      const client = net.connect(port, "127.0.0.1");
      client.setEncoding("utf8");
      rec.watch("client", client);
      await rec.closed(client);
    },
  },
  {
    name: "setTimeout(50) on an idle connection: 'timeout', then destroy",
    server: "silent",
    async run(net, rec, port) {
      const client = net.connect(port, "127.0.0.1");
      rec.watch("client", client);
      client.setTimeout(50, () => {
        rec.log("client", "timeout callback");
        client.destroy();
      });
      await rec.closed(client);
    },
  },
  {
    name: "setNoDelay() and setKeepAlive() return the socket",
    server: "echo",
    async run(net, rec, port) {
      const client = net.connect(port, "127.0.0.1");
      rec.watch("client", client);
      client.on("connect", () => {
        rec.log("client", `setNoDelay: ${client.setNoDelay(true) === client}`);
        rec.log("client", `setKeepAlive: ${client.setKeepAlive(true) === client}`);
        client.end();
      });
      await rec.closed(client);
    },
  },
  {
    name: "remote address getters once connected",
    server: "echo",
    async run(net, rec, port) {
      const client = net.connect(port, "127.0.0.1");
      rec.watch("client", client);
      rec.log("client", `before: ${client.remoteAddress} ${client.remotePort} ${client.remoteFamily}`);
      client.on("connect", () => {
        rec.log("client", `after: ${client.remoteAddress} ${client.remotePort} ${client.remoteFamily}`);
        client.end();
      });
      await rec.closed(client);
    },
  },
  {
    name: "async iteration reads until the server's end",
    server: "greet",
    async run(net, rec, port) {
      const client = net.connect(port, "127.0.0.1");
      rec.watch("client", client, ["connect", "end", "finish", "error", "close"]);
      let text = "";
      for await (const chunk of client) text += new TextDecoder().decode(chunk as Uint8Array);
      rec.log("client", `read ${JSON.stringify(text)}`);
      await rec.closed(client);
    },
  },
  {
    name: "stream.pipeline from a Readable into the socket",
    server: "count",
    async run(net, rec, port) {
      const client = net.connect(port, "127.0.0.1");
      rec.watch("client", client);
      client.setEncoding("utf8");
      await pipeline(Readable.from(["a", "bb", "ccc"]), client);
      rec.log("client", "pipeline resolved");
      await rec.closed(client);
    },
  },
  {
    name: "end(data, cb) with a pause before reading the answer",
    server: "halfopen",
    async run(net, rec, port) {
      const client = net.connect(port, "127.0.0.1");
      rec.watch("client", client);
      client.pause();
      client.end("late reader", () => rec.log("client", "end callback"));
      await sleep(30);
      client.resume();
      await rec.closed(client);
    },
  },
];
