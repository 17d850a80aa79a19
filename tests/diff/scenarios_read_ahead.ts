// Scenarios: no reading ahead of node:net. A socket nobody reads stops taking bytes from
// the kernel at its high-water mark (libuv reads 64 KiB at a time, so at 65536 bytes), and
// one that is paused from the start reads nothing. What is left in the kernel shows twice:
// in bytesRead, and in how destroy() closes (unread bytes make the kernel send RST, so the
// peer gets ECONNRESET instead of a clean 'end').
import { Buffer } from "node:buffer";
import { type NetLike, type Recorder, type Scenario, sleep, SOCKET_EVENTS, type SocketLike } from "./_harness.ts";
import { serve, settle } from "./_serve.ts";
import { quietServer, until } from "./_kit.ts";

const NO_DRAIN = SOCKET_EVENTS.filter((e) => e !== "drain");

// Every wait on a count also ends once its socket is destroyed: after a failed wait the
// harness destroys the sockets, and `until` would otherwise poll on for ever.

/** Let reads already under way finish (a read-ahead, if any, shows by then). */
async function quiet(): Promise<void> {
  for (let i = 0; i < 5; i++) await sleep(5);
}

function counts(rec: Recorder, label: string, s: SocketLike): void {
  rec.log(label, `bytesRead=${s.bytesRead} readableLength=${s.readableLength}`);
}

/** Wait until `s` read `bytes` (or was destroyed), let reads under way finish, log its counts. */
async function readTo(rec: Recorder, label: string, s: SocketLike, bytes: number): Promise<void> {
  await until(() => s.bytesRead >= bytes || s.destroyed, `${bytes} bytes read`);
  await quiet();
  counts(rec, label, s);
}

/**
 * The client writes `size` bytes to a peer that does not read (paused in the connection
 * handler, or `pauseOnConnect`); once the bytes are in the kernel and the peer has read
 * what it reads, the peer is destroyed. Unix socket or TCP.
 */
async function destroyUnread(
  net: NetLike,
  rec: Recorder,
  { size, pipe, pauseOnConnect }: { size: number; pipe: boolean; pauseOnConnect: boolean },
): Promise<void> {
  let resolvePeer!: (p: SocketLike) => void;
  const peer = new Promise<SocketLike>((resolve) => resolvePeer = resolve);
  const server = net.createServer({ pauseOnConnect }, (p) => {
    rec.watch("peer", p, NO_DRAIN);
    if (!pauseOnConnect) p.pause();
    resolvePeer(p);
  });
  let c: SocketLike;
  if (pipe) {
    const path = rec.socketPath();
    await rec.listenPath(server, path);
    c = net.connect({ path });
  } else {
    c = net.connect(await rec.listen(server), "127.0.0.1");
  }
  rec.watch("client", c, NO_DRAIN);
  c.resume();
  let written = false;
  c.write(Buffer.alloc(size, 0x61), () => written = true);
  const p = await peer;
  await until(() => written || c.destroyed, "the client's write callback");
  if (!pauseOnConnect) await until(() => p.bytesRead >= 65536 || p.destroyed, "65536 bytes read");
  await quiet();
  counts(rec, "peer", p);
  p.destroy();
  await rec.closed(c);
  await rec.closed(p, "peer 'close'");
  await rec.closeServer(server);
  rec.log("client", `bytesWritten=${c.bytesWritten}`);
}

export const readAheadScenarios: Scenario[] = [
  {
    // libuv reads into the user buffer, at most its size at a time, and stops once the
    // callback returned false: bytesRead counts what the callback got, not more.
    name: "read-ahead: with onread, bytesRead stops with the callback's false",
    async run(net, rec) {
      const { server, port } = await quietServer(net, rec, (p) => p.write(Buffer.alloc(100_000, 0x64)));
      let calls = 0;
      let got = 0;
      const c = net.connect({
        port,
        host: "127.0.0.1",
        onread: {
          buffer: Buffer.alloc(100),
          callback(n: number) {
            calls++;
            got += n;
            return calls !== 3 && calls !== 4;
          },
        },
      });
      rec.watch("client", c, NO_DRAIN);
      await until(() => calls === 3 || c.destroyed, "three callbacks");
      await quiet();
      rec.log("client", `calls=${calls} got=${got} bytesRead=${c.bytesRead}`);
      c.resume();
      await until(() => calls === 4 || c.destroyed, "a fourth callback");
      await quiet();
      rec.log("client", `calls=${calls} got=${got} bytesRead=${c.bytesRead}`);
      c.destroy();
      await rec.closed(c);
      await rec.closeServer(server);
      rec.log("client", `after close: bytesRead=${c.bytesRead}`);
    },
  },
  {
    name: "read-ahead: a peer paused in 'connection' stops reading at 65536 bytes",
    async run(net, rec) {
      const served = await serve(net, rec, (p) => p.pause(), { events: NO_DRAIN });
      const c = net.connect(served.port, "127.0.0.1");
      rec.watch("client", c, NO_DRAIN);
      c.end(Buffer.alloc(200_000, 0x62));
      const p = await served.peer;
      await readTo(rec, "peer", p, 65536);
      p.on("end", () => p.end());
      p.resume();
      await settle(rec, served, c);
      counts(rec, "peer", p);
    },
  },
  {
    // Two bursts: libuv's first read takes the 20000 bytes (all there is), the second 64
    // KiB of the next write, and then the buffer is past its high-water mark.
    name: "read-ahead: a paused peer that read 20000 bytes stops 65536 bytes into the next write",
    async run(net, rec) {
      const served = await serve(net, rec, (p) => p.pause(), { events: NO_DRAIN });
      const c = net.connect(served.port, "127.0.0.1");
      rec.watch("client", c, NO_DRAIN);
      c.write(Buffer.alloc(20_000, 0x65));
      const p = await served.peer;
      await readTo(rec, "peer", p, 20_000);
      c.end(Buffer.alloc(100_000, 0x66));
      await readTo(rec, "peer", p, 65536);
      p.on("end", () => p.end());
      p.resume();
      await settle(rec, served, c);
      counts(rec, "peer", p);
    },
  },
  {
    name: "read-ahead: a client paused on 'connect' stops reading at 65536 bytes",
    async run(net, rec) {
      const served = await serve(net, rec, (p) => p.end(Buffer.alloc(65537, 0x63)), { events: NO_DRAIN });
      const c = net.connect(served.port, "127.0.0.1");
      rec.watch("client", c, NO_DRAIN);
      c.on("connect", () => c.pause());
      await readTo(rec, "client", c, 65536);
      c.on("end", () => c.end());
      c.resume();
      await settle(rec, served, c);
      counts(rec, "client", c);
    },
  },
  {
    // Bun reads a Unix socket ahead of the core (up to 512 KiB): no `pipeReset`.
    name: "read-ahead: destroy() with unread bytes resets the peer (pipe, paused peer)",
    needs: ["unix", "pipeReset"],
    run: (net, rec) => destroyUnread(net, rec, { size: 70_000, pipe: true, pauseOnConnect: false }),
  },
  {
    name: "read-ahead: destroy() with unread bytes resets the peer (pipe, pauseOnConnect)",
    needs: ["unix"],
    run: (net, rec) => destroyUnread(net, rec, { size: 1000, pipe: true, pauseOnConnect: true }),
  },
  {
    // The kernel sends the RST: an adapter whose runtime closes with FIN first (Deno's
    // Deno.Conn shuts the write side down before closing) has no `reset` capability.
    name: "read-ahead: destroy() with unread bytes resets the peer (TCP, paused peer)",
    needs: ["reset"],
    run: (net, rec) => destroyUnread(net, rec, { size: 100_000, pipe: false, pauseOnConnect: false }),
  },
  {
    name: "read-ahead: destroy() with unread bytes resets the peer (TCP, pauseOnConnect)",
    needs: ["reset"],
    run: (net, rec) => destroyUnread(net, rec, { size: 1000, pipe: false, pauseOnConnect: true }),
  },
];
