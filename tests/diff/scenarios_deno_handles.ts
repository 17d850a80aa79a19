// Scenarios: where Deno's libuv-style handles differ from libuv and the Deno adapter makes
// up for it (adapters/deno/_fresh.ts, _ended.ts), kept honest on every runtime. A server
// that writes in 'connection' to a client that ended at once: Deno queues such a write and
// loses it to the client's FIN, the adapter holds it until Deno takes it (the bytes must
// arrive). A client that ended its side and reads late, the peer's bytes and FIN waiting:
// both FINs crossed, so the socket is in CLOSE, as after an RST, yet every byte must come
// before 'end' (the adapter ends early only after an RST, libuv's POLLHUP rule).
import { Buffer } from "node:buffer";
import { type Scenario, sleep, SOCKET_EVENTS, type SocketLike } from "./_harness.ts";
import { serve, settle } from "./_serve.ts";

const NO_DATA = SOCKET_EVENTS.filter((e) => e !== "data");
// The peer's 'finish' and 'end' race where a write in 'connection' is not taken at once
// (Deno: 'accept write' scenarios); what these check is the client's bytes.
const PEER_EVENTS = ["error", "close"];

const SIZE = 32 * 1024;

/** Count the bytes `socket` reads; log at its 'end' whether all came (a count could pass for a port). */
function counted(socket: SocketLike, log: (line: string) => void): void {
  let bytes = 0;
  socket.on("data", (d: Uint8Array) => bytes += d.byteLength);
  socket.on("end", () => log(bytes === SIZE ? "received every byte" : `received ${bytes} of ${SIZE} bytes`));
}

export const denoHandlesScenarios: Scenario[] = [
  {
    name: "deno handles: end(32 KiB) in 'connection' to a client that ended at once: every byte arrives",
    async run(net, rec) {
      const served = await serve(net, rec, (peer) => {
        peer.resume();
        peer.end(Buffer.alloc(SIZE, 7));
      }, { events: PEER_EVENTS, allowHalfOpen: true });
      const client = net.connect({ port: served.port, host: "127.0.0.1", allowHalfOpen: true });
      rec.watch("client", client, NO_DATA);
      counted(client, (line) => rec.log("client", line));
      client.on("connect", () => client.end());
      await settle(rec, served, client);
    },
  },
  {
    name: "deno handles: a client that ended its side reads late: every byte, then 'end' and 'close'",
    async run(net, rec) {
      const served = await serve(net, rec, (peer) => {
        peer.resume();
        peer.end(Buffer.alloc(SIZE, 7));
      }, { events: PEER_EVENTS, allowHalfOpen: true });
      const client = net.connect({ port: served.port, host: "127.0.0.1", allowHalfOpen: true });
      client.pause();
      rec.watch("client", client, NO_DATA);
      counted(client, (line) => rec.log("client", line));
      client.on("connect", () => client.end());
      await rec.next(client, "finish");
      await sleep(100); // both FINs have crossed: the bytes and the FIN wait in the kernel
      rec.log("client", "resume");
      client.resume();
      await settle(rec, served, client);
    },
  },
];
