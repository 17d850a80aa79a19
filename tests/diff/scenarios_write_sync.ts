// Scenarios: writes the kernel takes at once (issue 11). node:net hands a write to libuv,
// which tries it synchronously (uv_try_write); when the kernel takes it all, the Writable's
// callback runs inside `_write`: `write()` returns true with nothing queued and no 'drain'
// follows, even past the high-water mark; a write that fails at once (EPIPE) errors the
// socket before `write()` returns, which returns false. Loopback takes 65537 B into an
// empty socket at once, so these traces are deterministic. Runtimes whose adapter can only
// tell later (Deno: `conn.write` settles a promise) lack `syncWrite`: there `write()` returns
// false and 'drain' follows (checked instead, `_unavailable.ts`).
import { Buffer } from "node:buffer";
import { type NetLike, type Recorder, type Scenario, SOCKET_EVENTS, type SocketLike } from "./_harness.ts";
import { serve, settle } from "./_serve.ts";
import { show } from "./_harness.ts";

const NO_DATA = SOCKET_EVENTS.filter((e) => e !== "data");

/** Count what the peer receives; log the total at its 'end'. */
function countOnPeer(rec: Recorder): (peer: SocketLike) => void {
  return (peer) => {
    let bytes = 0;
    peer.on("data", (d: Uint8Array) => bytes += d.byteLength);
    peer.on("end", () => rec.log("peer", `received ${bytes}`));
    peer.resume();
  };
}

function state(s: SocketLike & { writableNeedDrain?: boolean }): string {
  return `writableLength=${s.writableLength} needDrain=${s.writableNeedDrain} bytesWritten=${s.bytesWritten}`;
}

/**
 * A half-open client whose peer destroyed its end at once: after the peer's FIN, `probe` is
 * written (the peer's kernel answers it with RST), so the write `step` makes fails at once
 * with EPIPE. Then the connection settles and the final `bytesWritten` is logged.
 */
async function afterPeerReset(
  net: NetLike,
  rec: Recorder,
  probe: string | Uint8Array,
  step: (client: SocketLike) => void,
): Promise<void> {
  const served = await serve(net, rec, (peer) => peer.destroy(), { events: ["close"] });
  const client = net.connect({ port: served.port, host: "127.0.0.1", allowHalfOpen: true });
  rec.watch("client", client);
  client.resume();
  await rec.next(client, "end");
  client.write(probe);
  await new Promise((resolve) => setTimeout(resolve, 50));
  step(client);
  await settle(rec, served, client);
  rec.log("client", `after close: bytesWritten=${client.bytesWritten}`);
}

export const writeSyncScenarios: Scenario[] = [
  {
    name: "write sync: write(65537 B) on a connected socket returns true, nothing queued, no 'drain'",
    needs: ["syncWrite"],
    async run(net, rec) {
      const served = await serve(net, rec, countOnPeer(rec), { events: NO_DATA });
      const client = net.connect(served.port, "127.0.0.1");
      rec.watch("client", client, NO_DATA);
      await rec.next(client, "connect");
      const ok = client.write(Buffer.alloc(65537), (err?: Error | null) => rec.log("client", `callback(${show(err)})`));
      rec.log("client", `write: ${ok} ${state(client)}`);
      client.end();
      await settle(rec, served, client);
    },
  },
  {
    name: "write sync: a write queued while connecting: 'connect', 'drain', 'ready'",
    needs: ["syncWrite"],
    async run(net, rec) {
      const served = await serve(net, rec, countOnPeer(rec), { events: NO_DATA });
      const client = net.connect(served.port, "127.0.0.1");
      rec.watch("client", client, NO_DATA);
      rec.log("client", `write: ${client.write(Buffer.alloc(65537))} ${state(client)}`);
      client.once("drain", () => rec.log("client", `in 'drain': ${state(client)}`));
      await rec.next(client, "ready");
      client.end();
      await settle(rec, served, client);
    },
  },
  {
    name: "write sync: write() returns false when the write fails at once with EPIPE",
    needs: ["syncWrite"],
    async run(net, rec) {
      await afterPeerReset(net, rec, Buffer.from("a"), (client) => {
        const ok = client.write(Buffer.alloc(100), (err?: Error | null) => rec.log("client", `callback(${show(err)})`));
        rec.log("client", `write: ${ok} destroyed=${client.destroyed} bytesWritten=${client.bytesWritten}`);
      });
    },
  },
  ...(["utf8", "latin1", "hex"] as const).map((encoding): Scenario => ({
    name: `write sync: bytesWritten after a 1000-char ${encoding} string write fails at once with EPIPE`,
    needs: ["syncWrite"],
    async run(net, rec) {
      await afterPeerReset(net, rec, "ab", (client) => {
        // Node counts a short string write's bytes (utf8, latin1 …) only once sent; hex goes as a Buffer.
        const ok = client.write("cd".repeat(500), encoding);
        rec.log("client", `write: ${ok} bytesWritten=${client.bytesWritten}`);
      });
    },
  })),
  {
    name: "write sync: bytesWritten after end(data) fails at once with EPIPE",
    needs: ["syncWrite"],
    async run(net, rec) {
      await afterPeerReset(net, rec, "ab", (client) => {
        client.end("the last words");
        rec.log("client", `end: bytesWritten=${client.bytesWritten} destroyed=${client.destroyed}`);
      });
    },
  },
  {
    name: "write sync: a socket reused with connect() takes writes at once again, no spurious 'drain'",
    needs: ["syncWrite"],
    async run(net, rec) {
      let peers = 0;
      const served = await serve(net, rec, (peer) => {
        peers++;
        peer.resume();
        if (peers === 1) peer.end();
      }, { events: ["end", "close"] });
      const client = net.connect(served.port, "127.0.0.1");
      rec.watch("client", client, NO_DATA);
      rec.log("client", `write while connecting: ${client.write(Buffer.alloc(65537))}`);
      await rec.next(client, "close");
      client.connect(served.port, "127.0.0.1");
      await rec.next(client, "connect");
      rec.log("client", `write 10: ${client.write(Buffer.alloc(10))} ${state(client)}`);
      rec.log("client", `write 65537: ${client.write(Buffer.alloc(65537))} ${state(client)}`);
      // destroy(), not end(): a reused socket does not see its second peer's FIN yet (issue 11).
      client.destroy();
      await rec.closed(client);
      await rec.closeServer(served.server);
    },
  },
];
