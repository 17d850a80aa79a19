// Scenarios: paused-mode reading as protocol parsers use it: read(n) waiting for n bytes,
// read(n) counting characters once an encoding is set, buffering ahead without a reader,
// setEncoding over buffered bytes, and leaving a for await loop early.
import type { Scenario, SocketLike } from "./_harness.ts";
import { serve, settle } from "./_serve.ts";
import { until } from "./_kit.ts";

function readLoop(s: SocketLike, rec: { log(l: string, e: string): void }, n: number): void {
  s.on("readable", () => {
    let chunk;
    while ((chunk = s.read(n)) !== null) rec.log("client", `read(${n}) -> ${JSON.stringify(String(chunk))}`);
    rec.log("client", `read(${n}) -> null`);
  });
}

export const readingScenarios: Scenario[] = [
  {
    name: "reading: read(n) waits until n bytes are buffered",
    async run(net, rec) {
      const served = await serve(net, rec, (p) => {
        p.write("abc");
        p.once("data", () => {
          p.write("defgh");
          setTimeout(() => p.end(), 30);
        });
      });
      const s = net.connect(served.port, "127.0.0.1");
      rec.watch("client", s, ["connect", "end", "close"]);
      let asked = false;
      s.on("readable", () => {
        if (!asked && s.readableLength === 3) {
          asked = true;
          s.write("more");
        }
      });
      readLoop(s, rec, 6);
      await settle(rec, served, s);
    },
  },
  {
    name: "reading: read(n) counts characters once an encoding is set",
    async run(net, rec) {
      const served = await serve(net, rec, (p) => {
        p.write("žžžabc");
        setTimeout(() => p.end(), 30);
      });
      const s = net.connect(served.port, "127.0.0.1");
      s.setEncoding("utf8");
      rec.watch("client", s, ["connect", "end", "close"]);
      readLoop(s, rec, 2);
      await settle(rec, served, s);
    },
  },
  {
    name: "reading: a socket without a reader buffers what arrives",
    async run(net, rec) {
      const served = await serve(net, rec, (p) => p.write("ahead"));
      const s = net.connect(served.port, "127.0.0.1");
      rec.watch("client", s, ["connect", "end", "close"]);
      await until(() => s.readableLength === 5, "5 buffered bytes");
      rec.log("client", `readableLength=${s.readableLength} bytesRead=${s.bytesRead} flowing=${s.readableFlowing}`);
      s.resume();
      (await served.peer).end();
      await settle(rec, served, s);
    },
  },
  {
    name: "reading: setEncoding over bytes already buffered",
    async run(net, rec) {
      const served = await serve(net, rec, (p) => p.write("buffered"));
      const s = net.connect(served.port, "127.0.0.1");
      await until(() => s.readableLength === 8, "8 buffered bytes");
      s.setEncoding("utf8");
      rec.watch("client", s);
      (await served.peer).end();
      await settle(rec, served, s);
    },
  },
  {
    name: "reading: read() without an encoding returns a Buffer",
    async run(net, rec) {
      const served = await serve(net, rec, (p) => p.end("bytes"));
      const s = net.connect(served.port, "127.0.0.1");
      rec.watch("client", s, ["connect", "end", "close"]);
      s.once("readable", () => {
        const chunk = s.read();
        rec.log("client", `read: isBuffer=${chunk instanceof Uint8Array} length=${chunk?.length}`);
        s.resume();
      });
      await settle(rec, served, s);
    },
  },
  {
    name: "reading: breaking out of for await destroys the socket",
    async run(net, rec) {
      const served = await serve(net, rec, (p) => {
        p.on("error", () => {});
        p.write("first");
      });
      const s = net.connect(served.port, "127.0.0.1");
      rec.watch("client", s);
      for await (const chunk of s) {
        rec.log("client", `got ${JSON.stringify(String(chunk))}, breaking`);
        break;
      }
      rec.log("client", `destroyed=${s.destroyed}`);
      await settle(rec, served, s);
    },
  },
  {
    name: "reading: 'readable' at the end gives read() -> null, then 'end'",
    async run(net, rec) {
      const served = await serve(net, rec, (p) => p.end());
      const s = net.connect(served.port, "127.0.0.1");
      rec.watch("client", s, ["connect", "end", "close"]);
      s.on("readable", () => rec.log("client", `readable: read() -> ${s.read()}`));
      await settle(rec, served, s);
    },
  },
];
