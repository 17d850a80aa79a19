// Scenarios: the kernel's answers once the peer has closed, per transport, as the memory
// adapter models them (issue 11's randomized differential found them: groups 2 and 10).
//
// - TCP: after a closed peer's FIN, the first write that carries bytes is taken (the peer
//   answers RST) if it is at most 512 KiB; a longer one fails EPIPE. Every later write
//   fails EPIPE, an empty one too; an empty write before that is taken and changes nothing.
// - Unix: a closed peer shuts the socket both ways: every write fails EPIPE, even empty.
// - A peer that ended, then closed with bytes unread: on TCP that is a FIN then a RST, read
//   as the EOF; on a Unix socket the reset comes before the EOF: read ECONNRESET.
//
// Deterministic on loopback: each write follows the peer's close (its 'close' and our
// 'end' both seen), and loopback's RST answers within the first write's syscall.
import { Buffer } from "node:buffer";
import {
  type NetLike,
  type Recorder,
  type Scenario,
  type ServerLike,
  SOCKET_EVENTS,
  type SocketLike,
} from "./_harness.ts";

type Transport = "tcp" | "unix";

const NO_DRAIN = SOCKET_EVENTS.filter((e) => e !== "drain");

function code(err: Error | null | undefined): string {
  return err ? (err as { code?: string }).code ?? err.message : "ok";
}

/** A server socket ("peer", allowHalfOpen) whose client has connected and closed; the client's trace is "client". */
async function closedClient(
  net: NetLike,
  rec: Recorder,
  transport: Transport,
): Promise<{ peer: SocketLike; server: ServerLike }> {
  let onPeer!: (s: SocketLike) => void;
  const accepted = new Promise<SocketLike>((resolve) => onPeer = resolve);
  const server = net.createServer({ allowHalfOpen: true }, (peer) => {
    rec.watch("peer", peer, NO_DRAIN);
    peer.resume();
    onPeer(peer);
  });
  const path = transport === "unix" ? rec.socketPath() : "";
  const port = transport === "unix" ? (await rec.listenPath(server, path), 0) : await rec.listen(server);
  const client = transport === "unix" ? net.connect(path) : net.connect(port, "127.0.0.1");
  rec.watch("client", client);
  client.on("connect", () => client.destroy());
  const peer = await accepted;
  await rec.next(peer, "end");
  await rec.closed(client);
  return { peer, server };
}

/**
 * Write `sizes` (bytes) on `peer`, each once the one before called back (so each is a write
 * of its own, never batched with the next), logging the callbacks as "peer writes". What
 * depends on the core's write contract (issue 11's group 1) is left out: write()'s value,
 * 'drain', and where a write that fails at once calls back relative to 'error'.
 */
async function writes(rec: Recorder, peer: SocketLike, sizes: number[]): Promise<void> {
  for (const [i, size] of sizes.entries()) {
    const err = await new Promise<Error | null | undefined>((resolve) => peer.write(Buffer.alloc(size, 0x61), resolve));
    rec.log("peer writes", `write ${i} (${size} B) callback(${code(err)})`);
    if (err) return;
  }
}

/** Write after the client closed, then close the peer (end, or destroy after an error). */
function afterClose(transport: Transport, sizes: number[], name: string): Scenario {
  return {
    name: `kernel: ${name}`,
    needs: transport === "unix" ? ["unix"] : [],
    async run(net, rec) {
      const { peer, server } = await closedClient(net, rec, transport);
      await writes(rec, peer, sizes);
      peer.end();
      await rec.closed(peer);
      rec.log("peer", `bytesWritten=${peer.bytesWritten}`);
      await rec.closeServer(server);
    },
  };
}

/**
 * The peer (paused from the start) ends, then closes with the client's bytes unread; the
 * client (allowHalfOpen, paused) reads only then: the EOF on TCP, ECONNRESET on a Unix socket.
 */
function resetAfterEnd(transport: Transport): Scenario {
  return {
    name: `kernel: ${transport}: the peer ended, then closed with bytes unread; read afterwards`,
    needs: transport === "unix" ? ["unix"] : [],
    async run(net, rec) {
      let onPeer!: (s: SocketLike) => void;
      const accepted = new Promise<SocketLike>((resolve) => onPeer = resolve);
      const server = net.createServer({ pauseOnConnect: true }, (peer) => {
        rec.watch("peer", peer);
        onPeer(peer);
      });
      const path = transport === "unix" ? rec.socketPath() : "";
      const port = transport === "unix" ? (await rec.listenPath(server, path), 0) : await rec.listen(server);
      const client = transport === "unix"
        ? net.connect({ path, allowHalfOpen: true })
        : net.connect({ port, host: "127.0.0.1", allowHalfOpen: true });
      client.pause();
      rec.watch("client", client);
      await rec.next(client, "connect");
      client.write("unread by the peer", (err?: Error | null) => rec.log("client", `write callback(${code(err)})`));
      const peer = await accepted;
      peer.end();
      await rec.next(peer, "finish");
      peer.destroy();
      await rec.closed(peer);
      client.on("end", () => client.destroy());
      client.resume();
      await rec.closed(client);
      await rec.closeServer(server);
    },
  };
}

export const memoryKernelScenarios: Scenario[] = [
  afterClose("tcp", [1, 1], "tcp: after the closed peer's FIN the first write is taken, the next fails EPIPE"),
  afterClose("tcp", [0, 100, 1], "tcp: an empty write to a closed peer is taken, the first with bytes too"),
  afterClose("tcp", [512 * 1024, 1], "tcp: a first write of 512 KiB to a closed peer is taken"),
  afterClose("tcp", [512 * 1024 + 1], "tcp: a first write over 512 KiB to a closed peer fails EPIPE"),
  afterClose("unix", [1], "unix: a write to a closed peer fails EPIPE at once"),
  resetAfterEnd("tcp"),
  resetAfterEnd("unix"),
];

/**
 * Empty writes after the peer closed: node:net hands them to the kernel, which fails them
 * (EPIPE) once it knows; Deno's and Bun's sockets never pass an empty write on, so these
 * run on the memory adapter only (tests/memory_kernel_test.ts, with node:net's traces).
 */
export const emptyWriteScenarios: Scenario[] = [
  afterClose("tcp", [0, 100, 0], "tcp: an empty write after the first with bytes fails EPIPE"),
  afterClose("unix", [0], "unix: an empty write to a closed peer fails EPIPE too"),
];
