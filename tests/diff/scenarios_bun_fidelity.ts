// Scenarios: what a runtime's own sockets do differently from libuv's and an adapter must
// hide (issue 11; found on Bun): a Unix socket whose peer closed both ways (Bun closed the
// handle at once), a reset while paused, a reset after the peer's FIN (the kernel took
// our write, then EPIPE is what is left), a socket closed with bytes it never read (RST).
// Each one holds on node:net as libuv does it; every runtime runs them.
import {
  type NetLike,
  type Recorder,
  type Scenario,
  type ServerLike,
  sleep,
  SOCKET_EVENTS,
  type SocketLike,
} from "./_harness.ts";
import { idleSocket, logCb, throwsScenario } from "./_kit.ts";
import { serve, settle } from "./_serve.ts";
import { describeDrop } from "./scenarios_families.ts";

const NO_DRAIN = SOCKET_EVENTS.filter((e) => e !== "drain");

/** A Unix socket server whose first accepted socket is traced as `peer` and given to `onPeer`. */
async function unixServer(
  net: NetLike,
  rec: Recorder,
  onPeer: (peer: SocketLike) => void,
  options: object = {},
): Promise<{ server: ServerLike; path: string; peer: Promise<SocketLike> }> {
  const path = rec.socketPath();
  let resolvePeer!: (p: SocketLike) => void;
  const peer = new Promise<SocketLike>((resolve) => resolvePeer = resolve);
  const server = net.createServer(options, (p) => {
    rec.watch("peer", p, NO_DRAIN);
    onPeer(p);
    resolvePeer(p);
  });
  await rec.listenPath(server, path);
  return { server, path, peer };
}

/**
 * A half-open Unix client whose peer destroys itself at once: returns once the client saw
 * 'end' and the peer closed (the kernel has both ends' state by then).
 */
async function hungUpClient(net: NetLike, rec: Recorder) {
  const { server, path, peer } = await unixServer(net, rec, (p) => p.destroy());
  const client = net.connect({ path, allowHalfOpen: true });
  rec.watch("client", client, NO_DRAIN);
  await rec.next(client, "end");
  await rec.closed(await peer, "peer 'close'");
  await sleep(20); // a runtime that would close the client now has done it
  rec.log("client", `after the peer closed: destroyed=${client.destroyed} readyState=${client.readyState}`);
  return { server, client };
}

export const bunFidelityScenarios: Scenario[] = [
  {
    name: "fidelity: Unix, allowHalfOpen, the peer closed: the socket stays open, a write fails with EPIPE",
    needs: ["unix"],
    async run(net, rec) {
      const { server, client } = await hungUpClient(net, rec);
      client.write("x", logCb(rec, "client", "write"));
      await rec.closed(client);
      await rec.closeServer(server);
    },
  },
  {
    name: "fidelity: Unix, allowHalfOpen, the peer closed: end() still finishes cleanly",
    needs: ["unix"],
    async run(net, rec) {
      const { server, client } = await hungUpClient(net, rec);
      client.end(logCb(rec, "client", "end"));
      await rec.closed(client);
      await rec.closeServer(server);
    },
  },
  {
    name: "fidelity: Unix, allowHalfOpen, the peer closed: destroySoon() finishes cleanly",
    needs: ["unix"],
    async run(net, rec) {
      const { server, client } = await hungUpClient(net, rec);
      client.destroySoon();
      await rec.closed(client);
      await rec.closeServer(server);
    },
  },
  {
    name: "fidelity: Unix, allowHalfOpen, paused: the peer wrote and closed: resume() gives it all, 'end', then EPIPE",
    needs: ["unix"],
    async run(net, rec) {
      const { server, path, peer } = await unixServer(net, rec, () => {});
      const client = net.connect({ path, allowHalfOpen: true });
      client.pause();
      rec.watch("client", client, NO_DRAIN);
      await rec.next(client, "connect");
      const p = await peer;
      p.write(new Uint8Array(100_000), () => p.destroy()); // fits the socket buffers
      await rec.closed(p, "peer 'close'");
      await sleep(20);
      rec.log("client", "resume");
      client.resume();
      await rec.next(client, "end");
      client.write("x", logCb(rec, "client", "write"));
      await rec.closed(client);
      rec.log("client", `bytesRead=${client.bytesRead}`);
      await rec.closeServer(server);
    },
  },
  {
    name: "fidelity: a paused client reset by its peer after data: resume() gives the data, then 'end' (libuv's EOF)",
    needs: ["reset"],
    async run(net, rec) {
      await pausedThenReset(net, rec, "hello");
    },
  },
  {
    name: "fidelity: a paused client reset by its peer without data: resume() gives read ECONNRESET",
    needs: ["reset"],
    async run(net, rec) {
      await pausedThenReset(net, rec, "");
    },
  },
  {
    name: "fidelity: maxConnections = 0: the half-open client's write after 'end' succeeds, end() finishes",
    async run(net, rec) {
      const server = net.createServer();
      server.maxConnections = 0;
      const port = await rec.listen(server);
      const client = net.connect({ port, host: "127.0.0.1", allowHalfOpen: true });
      rec.watch("client", client, NO_DRAIN);
      await rec.next(client, "end");
      client.write("x", logCb(rec, "client", "write"));
      await sleep(50); // the peer's RST for the write has come back
      client.end(logCb(rec, "client", "end"));
      await rec.closed(client);
      rec.log("client", `bytesWritten=${client.bytesWritten}`);
      await rec.closeServer(server);
    },
  },
  {
    name: "fidelity: a paused half-open server, its client gone: resume() gives 'end', the write before it succeeded",
    async run(net, rec) {
      const served = await serve(net, rec, () => {}, { allowHalfOpen: true, pauseOnConnect: true, events: NO_DRAIN });
      const client = net.connect(served.port, "127.0.0.1");
      rec.watch("client", client, NO_DRAIN);
      await rec.next(client, "connect");
      const peer = await served.peer;
      client.destroy();
      await rec.closed(client);
      await sleep(20); // the client's FIN has arrived
      peer.write("x", logCb(rec, "peer", "write"));
      await sleep(50); // the client's RST for the write has come back
      rec.log("peer", "resume");
      peer.resume();
      await rec.next(peer, "end");
      peer.end(logCb(rec, "peer", "end"));
      await settle(rec, served);
    },
  },
  ...writesCutOff("TCP", false),
  ...writesCutOff("Unix", true),
  ...unreadAtClose("TCP", false),
  ...unreadAtClose("Unix", true),
  {
    // Bun's connect of the dropped client fails with ECONNRESET (the server closed it before
    // Bun saw the connect complete); a Unix connect(2) completes at once: 'connect', 'end'.
    // (Was pending/families.ts.)
    name: "families: maxConnections over a Unix socket: 'drop' data",
    needs: ["unix"],
    async run(net, rec) {
      const path = rec.socketPath();
      const peers: SocketLike[] = [];
      const server = net.createServer((p) => {
        rec.log("server", "connection");
        peers.push(p);
        p.resume();
      });
      server.maxConnections = 1;
      server.on("drop", (data?: Record<string, unknown>) => rec.log("server", describeDrop(data, -1)));
      await rec.listenPath(server, path);
      const a = net.connect(path);
      rec.watch("clientA", a);
      await rec.next(server, "connection");
      const b = net.connect(path);
      rec.watch("clientB", b);
      b.resume();
      await rec.closed(b);
      a.end();
      a.resume();
      await rec.closed(a);
      await rec.closeServer(server);
    },
  },
  // `''` is utf8 for Node's StringDecoder; Bun's Readable rejects it (was pending/errors.ts).
  throwsScenario("fidelity: setEncoding values ('' is utf8)", (net) => [
    ["setEncoding(1)", () => idleSocket(net).setEncoding(1)],
    ["setEncoding('UTF8')", () => idleSocket(net).setEncoding("UTF8")],
    ["setEncoding('')", () => idleSocket(net).setEncoding("")],
    ["setEncoding('') gives readableEncoding", () => {
      const s = idleSocket(net);
      s.setEncoding("");
      if (s.readableEncoding !== "utf8") throw new Error(`readableEncoding ${s.readableEncoding}`);
    }],
  ]),
];

/**
 * The client is paused before it connects (libuv has not read yet); its peer writes `data`
 * and resets. Resumed, libuv reads the bytes, a short read, then the hang-up: EOF (Linux
 * keeps the reset's error for a read that finds nothing).
 */
async function pausedThenReset(net: NetLike, rec: Recorder, data: string): Promise<void> {
  const served = await serve(net, rec, () => {}, { events: NO_DRAIN });
  const client = net.connect(served.port, "127.0.0.1");
  client.pause();
  rec.watch("client", client, NO_DRAIN);
  await rec.next(client, "connect");
  const peer = await served.peer;
  if (data === "") peer.resetAndDestroy();
  else peer.write(data, () => peer.resetAndDestroy());
  await rec.closed(peer, "peer 'close'");
  await sleep(50); // the RST has arrived
  rec.log("client", "resume");
  client.resume();
  await rec.closed(client);
  await rec.closeServer(served.server);
}

/**
 * A server socket that never read (pauseOnConnect) is destroyed with the client's bytes
 * unread: the kernel sends RST (Unix: the peer's read gets ECONNRESET), not FIN.
 */
function unreadAtClose(kind: string, unix: boolean): Scenario[] {
  return [{
    name: `fidelity: ${kind}: a server socket destroyed with bytes unread: the client gets ECONNRESET`,
    // TCP: the kernel's RST; a runtime that closes with FIN first (Deno) lacks `reset`.
    needs: unix ? ["unix"] : ["reset"],
    async run(net, rec) {
      let resolvePeer!: (p: SocketLike) => void;
      const peer = new Promise<SocketLike>((resolve) => resolvePeer = resolve);
      const server = net.createServer({ pauseOnConnect: true }, (p) => {
        rec.watch("peer", p, NO_DRAIN);
        resolvePeer(p);
      });
      const path = unix ? rec.socketPath() : "";
      const port = unix ? await rec.listenPath(server, path) : await rec.listen(server);
      const client = unix ? net.connect({ path }) : net.connect(port as number, "127.0.0.1");
      rec.watch("client", client, NO_DRAIN);
      await rec.next(client, "connect");
      client.write("hello", logCb(rec, "client", "write"));
      const p = await peer;
      await sleep(50); // the bytes are in the server's kernel buffer
      p.destroy();
      await rec.closed(client);
      await rec.closed(p, "peer 'close'");
      await rec.closeServer(server);
    },
  }];
}

/**
 * Writes wait (the peer, paused from the start, reads nothing) when the peer ends, then
 * closes with our bytes unread. TCP: the RST lands in CLOSE_WAIT, so the writes fail with
 * EPIPE; Unix: a write to a closed peer is EPIPE too, whatever the reset left for a read.
 * The failed callbacks come before 'error'. (How many writes the kernel took varies: the
 * trace has the first failure and whether the rest agree.)
 */
function writesCutOff(kind: string, unix: boolean): Scenario[] {
  return [{
    name: `fidelity: ${kind}: writes waiting when the peer ends and closes unread fail with EPIPE, before 'error'`,
    needs: unix ? ["unix"] : [],
    async run(net, rec) {
      let resolvePeer!: (p: SocketLike) => void;
      const peer = new Promise<SocketLike>((resolve) => resolvePeer = resolve);
      const server = net.createServer({ pauseOnConnect: true }, (p) => {
        rec.watch("peer", p, ["end", "error", "close"]);
        resolvePeer(p);
      });
      const path = unix ? rec.socketPath() : "";
      const port = unix ? await rec.listenPath(server, path) : await rec.listen(server);
      const client = net.connect(
        unix ? { path, allowHalfOpen: true } : { port, host: "127.0.0.1", allowHalfOpen: true },
      );
      rec.watch("client", client, NO_DRAIN);
      let errored = false;
      client.on("error", () => errored = true);
      await rec.next(client, "connect");
      client.resume();
      const failures: string[] = [];
      for (let i = 0; i < 8; i++) {
        client.write(new Uint8Array(1024 * 1024), (err?: Error | null) => {
          if (!err) return;
          const code = (err as { code?: string }).code ?? err.message;
          if (failures.length === 0) {
            rec.log("client", `first failed write callback(${code}) after 'error': ${errored}`);
          }
          failures.push(code);
        });
      }
      const p = await peer;
      await sleep(50); // the kernel has taken what it takes
      p.end();
      await rec.next(client, "end");
      await sleep(20);
      p.destroy();
      await rec.closed(client);
      rec.log("client", `failed writes all alike: ${failures.every((c) => c === failures[0])}`);
      await rec.closed(p, "peer 'close'");
      await rec.closeServer(server);
    },
  }];
}
