// Scenarios: writes made inside the server's 'connection' listener (issue 11, the accept
// path). node:net's accepted socket is connected from its first moment, so a write in
// 'connection' goes to libuv at once and, taken by the kernel (uv_try_write), completes
// inside `write()`: true past the high-water mark, nothing queued, no 'drain'. The same
// holds for `end(data)`, a write after setNoDelay/setKeepAlive, a paused (pauseOnConnect)
// socket and a Unix socket; a write then destroy() in 'connection' has left nothing
// behind. Loopback takes 65537 B into a fresh socket at once, so the traces are
// deterministic. Runtimes whose adapter can only tell later (Deno) lack `syncWrite`.
import { Buffer } from "node:buffer";
import { type NetLike, type Recorder, type Scenario, show, SOCKET_EVENTS, type SocketLike } from "./_harness.ts";
import { serve, type Served, settle } from "./_serve.ts";

const NO_DATA = SOCKET_EVENTS.filter((e) => e !== "data");

function state(s: SocketLike): string {
  return `writableLength=${s.writableLength} needDrain=${s.writableNeedDrain} bytesWritten=${s.bytesWritten}`;
}

/** A client on `served` that reads everything and logs the total at its 'end'. */
function reader(net: NetLike, rec: Recorder, served: Served, path?: string): SocketLike {
  const client = path === undefined ? net.connect(served.port, "127.0.0.1") : net.connect(path);
  rec.watch("client", client, NO_DATA);
  let bytes = 0;
  client.on("data", (d: Uint8Array) => bytes += d.byteLength);
  client.on("end", () => rec.log("client", `received ${bytes}`));
  return client;
}

/** A write of `size` B in 'connection', logged with the socket's state, then end(). */
function writeThenEnd(rec: Recorder, size: number): (peer: SocketLike) => void {
  return (peer) => {
    const ok = peer.write(Buffer.alloc(size), (err?: Error | null) => rec.log("peer", `callback(${show(err)})`));
    rec.log("peer", `write: ${ok} ${state(peer)}`);
    peer.end();
  };
}

export const acceptWriteScenarios: Scenario[] = [
  {
    name: "accept write: write(65537 B) in 'connection' returns true, nothing queued, no 'drain'",
    needs: ["syncWrite"],
    async run(net, rec) {
      const served = await serve(net, rec, writeThenEnd(rec, 65537), { events: NO_DATA });
      const client = reader(net, rec, served);
      await settle(rec, served, client);
    },
  },
  {
    name: "accept write: two 65537 B writes in 'connection' both complete inside write()",
    needs: ["syncWrite"],
    async run(net, rec) {
      const served = await serve(net, rec, (peer) => {
        rec.log("peer", `write 1: ${peer.write(Buffer.alloc(65537))} ${state(peer)}`);
        rec.log("peer", `write 2: ${peer.write(Buffer.alloc(65537))} ${state(peer)}`);
        peer.end();
      }, { events: NO_DATA });
      const client = reader(net, rec, served);
      await settle(rec, served, client);
    },
  },
  {
    name: "accept write: end(65537 B) in 'connection' leaves nothing queued",
    needs: ["syncWrite"],
    async run(net, rec) {
      const served = await serve(net, rec, (peer) => {
        peer.end(Buffer.alloc(65537), () => rec.log("peer", "end callback"));
        rec.log("peer", `end: ${state(peer)} writableEnded=${peer.writableEnded}`);
      }, { events: NO_DATA });
      const client = reader(net, rec, served);
      await settle(rec, served, client);
    },
  },
  {
    name: "accept write: setNoDelay and setKeepAlive, then write(65537 B) in 'connection': true",
    needs: ["syncWrite"],
    async run(net, rec) {
      const served = await serve(net, rec, (peer) => {
        peer.setNoDelay(true);
        peer.setKeepAlive(true, 1000);
        writeThenEnd(rec, 65537)(peer);
      }, { events: NO_DATA });
      const client = reader(net, rec, served);
      await settle(rec, served, client);
    },
  },
  {
    name: "accept write: write then destroy() in 'connection': nothing left queued, the bytes arrive",
    needs: ["syncWrite"],
    async run(net, rec) {
      const served = await serve(net, rec, (peer) => {
        const ok = peer.write(Buffer.alloc(65537), (err?: Error | null) => rec.log("peer", `callback(${show(err)})`));
        peer.destroy();
        rec.log("peer", `write: ${ok}, destroyed: ${state(peer)}`);
      }, { events: NO_DATA });
      const client = reader(net, rec, served);
      await settle(rec, served, client);
    },
  },
  {
    name: "accept write: a pauseOnConnect socket takes write(65537 B) in 'connection' at once",
    needs: ["syncWrite"],
    async run(net, rec) {
      const served = await serve(net, rec, (s) => {
        writeThenEnd(rec, 65537)(s);
        s.resume();
      }, { events: NO_DATA, pauseOnConnect: true });
      const client = reader(net, rec, served);
      await settle(rec, served, client);
    },
  },
  {
    name: "accept write: Unix socket, write(65537 B) in 'connection' returns true, no 'drain'",
    needs: ["syncWrite", "unix"],
    async run(net, rec) {
      const path = rec.socketPath();
      let resolvePeer!: (s: SocketLike) => void;
      const peer = new Promise<SocketLike>((resolve) => resolvePeer = resolve);
      const server = net.createServer((s) => {
        rec.watch("peer", s, NO_DATA);
        writeThenEnd(rec, 65537)(s);
        resolvePeer(s);
      });
      await rec.listenPath(server, path);
      const client = reader(net, rec, { server, port: 0, peer }, path);
      await settle(rec, { server, port: 0, peer }, client);
    },
  },
];
