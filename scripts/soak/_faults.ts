// Faults on real sockets, as scenarios for the differential harness (tests/diff/_harness.ts):
// each one is run on omninet and on node:net (Node 24) and their per-socket event traces
// are compared. The misbehaving peers are real node:net sockets in a Node 24 process
// (worker.ts fault-peer, blackhole), so both sides of the comparison meet the same peer.
import { Buffer } from "node:buffer";
import type { NetLike, Scenario, ServerLike, SocketLike } from "../../tests/diff/_harness.ts";
import { sleep } from "./_scale.ts";

/** Loopback ports of the misbehaving peers. */
export interface PeerPorts {
  /** Accepts, and on the first data calls resetAndDestroy() (RST). */
  rst: number;
  /** Accepts, sends FIN at once, and keeps reading. */
  fin: number;
  /** Listens with backlog 1 and never accepts (its process is blocked): SYNs go unanswered. */
  blackhole: number;
}

const MiB = 1024 * 1024;

/** The key of the faults worker's result saying whether the adapter has `syncWrite`. */
export const SYNC_WRITE_KEY = "@syncWrite";

/**
 * node:net's trace as an adapter without `syncWrite` gives it (README, what each runtime
 * cannot do): a 1 MiB write past the high-water mark is queued, so `write()` returns false
 * and `'drain'` follows `'ready'`.
 */
export function withoutSyncWrite(trace: Record<string, string[]>): Record<string, string[]> {
  const client = trace.client ?? [];
  return {
    ...trace,
    client: client.flatMap((line) =>
      line === "write(1 MiB) -> true" ? ["write(1 MiB) -> false"] : line === "ready" ? ["ready", "drain"] : [line]
    ),
  };
}

/** The scenarios whose trace on an adapter without `syncWrite` is {@link withoutSyncWrite}'s. */
export const ASYNC_WRITE_SCENARIOS = new Set([
  "peer FIN while 1 MiB is queued: 'end', then our FIN after the bytes flush",
]);

/** The fault scenarios, against the peers at `ports`. */
export function faultScenarios(ports: PeerPorts): Scenario[] {
  return [
    {
      name: "RST from a peer that calls resetAndDestroy() after our first write",
      async run(net, rec) {
        rec.addMask(ports.rst, "<port>");
        const c = net.connect(ports.rst, "127.0.0.1");
        rec.watch("client", c);
        c.on("connect", () => rec.log("client", `write("ping") -> ${c.write("ping")}`));
        await rec.closed(c);
      },
    },
    {
      name: "RST from a peer while 1 MiB is queued (write after the reset)",
      async run(net, rec) {
        rec.addMask(ports.rst, "<port>");
        const c = net.connect(ports.rst, "127.0.0.1");
        rec.watch("client", c, ["connect", "error", "close"]);
        c.on("connect", () => {
          c.write("x");
          // Give the RST time to arrive, then queue 1 MiB on the reset connection.
          setTimeout(() => c.write(Buffer.alloc(MiB, 1)), 100);
        });
        await rec.closed(c);
      },
    },
    {
      name: "peer FIN while 1 MiB is queued: 'end', then our FIN after the bytes flush",
      async run(net, rec) {
        rec.addMask(ports.fin, "<port>");
        const c = net.connect(ports.fin, "127.0.0.1");
        rec.watch("client", c);
        c.on("connect", () => rec.log("client", `write(1 MiB) -> ${c.write(Buffer.alloc(MiB, 2))}`));
        c.on("end", () => rec.log("client", `at 'end': writableLength>0 ${c.writableLength > 0}`));
        await rec.closed(c);
      },
    },
    {
      name: "connect refused on a closed loopback port",
      async run(net, rec) {
        const port = await rec.closedPort(net);
        const c = net.connect(port, "127.0.0.1");
        rec.watch("client", c);
        await rec.closed(c);
      },
    },
    {
      name: "listen on a port in use: EADDRINUSE",
      async run(net, rec) {
        const a = net.createServer();
        const port = await rec.listen(a);
        const b = net.createServer();
        rec.watch("second", b, ["listening", "error", "close"]);
        b.listen(port, "127.0.0.1");
        await rec.next(b, "error");
        rec.log("second", `listening ${b.listening}`);
        await rec.closeServer(a);
      },
    },
    {
      name: "listen on a Unix socket path in use: EADDRINUSE",
      async run(net, rec) {
        const path = rec.socketPath();
        const a = net.createServer();
        await rec.listenPath(a, path);
        const b = net.createServer();
        rec.watch("second", b, ["listening", "error", "close"]);
        b.listen(path);
        await rec.next(b, "error");
        rec.log("second", `listening ${b.listening}`);
        await rec.closeServer(a);
      },
    },
    {
      name: "connect timeout: setTimeout(300) on a connect to a loopback listener whose backlog is full",
      async run(net, rec) {
        rec.addMask(ports.blackhole, "<port>");
        // Fill the accept queue (backlog 1 holds two); later SYNs are dropped.
        const fillers: SocketLike[] = [];
        for (let i = 0; i < 4; i++) {
          const f = net.connect(ports.blackhole, "127.0.0.1");
          f.on("error", () => {});
          fillers.push(f);
        }
        await sleep(200);
        const c = net.connect(ports.blackhole, "127.0.0.1");
        rec.watch("client", c);
        c.setTimeout(300, () => {
          rec.log("client", `timeout while connecting: ${c.connecting}`);
          c.destroy();
        });
        await rec.closed(c);
        for (const f of fillers) f.destroy();
      },
    },
  ];
}

/** Start the RST and FIN peers on `net` (node:net in a Node 24 process). */
export async function startFaultPeers(net: NetLike): Promise<{ ports: Omit<PeerPorts, "blackhole">; close(): void }> {
  const rst = net.createServer((s: SocketLike) => {
    s.on("error", () => {});
    s.once("data", () => s.resetAndDestroy());
  });
  const fin = net.createServer((s: SocketLike) => {
    s.on("error", () => {});
    s.end();
    s.resume();
  });
  const listen = (server: ServerLike) =>
    new Promise<number>((resolve) => server.listen(0, "127.0.0.1", () => resolve(server.address().port)));
  return {
    ports: { rst: await listen(rst), fin: await listen(fin) },
    close: () => {
      rst.close();
      fin.close();
    },
  };
}

/** Start a listener with backlog 1 (Node reads 0 as the default, 511) on 127.0.0.1 that never accepts: the caller blocks its event loop. */
export function startBlackhole(net: NetLike): Promise<number> {
  const server = net.createServer();
  return new Promise((resolve) =>
    server.listen({ port: 0, host: "127.0.0.1", backlog: 1 }, () => resolve(server.address().port))
  );
}

/** Per label, the entries of two traces that differ (empty when equal). */
export function traceDiff(ours: Record<string, string[]>, theirs: Record<string, string[]>): string[] {
  const out: string[] = [];
  for (const label of [...new Set([...Object.keys(ours), ...Object.keys(theirs)])].sort()) {
    const a = ours[label] ?? [];
    const b = theirs[label] ?? [];
    if (JSON.stringify(a) === JSON.stringify(b)) continue;
    out.push(`${label}: omninet [${a.join(", ")}]`);
    out.push(`${" ".repeat(label.length)}  node:net [${b.join(", ")}]`);
  }
  return out;
}

/** Sockets in `traces` that emitted 'close' other than exactly once, and harness failures. */
export function closeProblems(traces: Record<string, string[]>): string[] {
  const out: string[] = [];
  for (const [label, entries] of Object.entries(traces)) {
    if (label === "harness") {
      out.push(...entries);
      continue;
    }
    if (label === "second") continue; // a server that never listened emits no 'close'
    const closes = entries.filter((e) => e === "close" || e.startsWith("close(")).length;
    if (closes !== 1) out.push(`${label}: 'close' ${closes} times`);
  }
  return out;
}
