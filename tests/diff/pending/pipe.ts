// deno-lint-ignore-file no-unused-vars verbatim-module-syntax
// PENDING (not registered, not run): scenarios of scenarios_pipe.ts where omninet differs from
// node:net; each one is listed with its difference in README.md. Once fixed, move it back.
// Scenarios: Unix domain sockets (Node's test-pipe-* / test-net-pipe-* checks): listen
// forms, address getters, half-close, errors on bad paths, getConnections, timeouts.
import { Buffer } from "node:buffer";
import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import {
  type NetLike,
  type Recorder,
  type Scenario,
  type ServerLike,
  SOCKET_EVENTS,
  type SocketLike,
} from "../_harness.ts";
import { addresses, logCb } from "../_kit.ts";

const SERVER_EVENTS = ["listening", "error", "close"];
const NO_DRAIN = SOCKET_EVENTS.filter((e) => e !== "drain");

/** A Unix socket server traced as `server`, its first peer as `peer`. */
async function pipeServer(
  net: NetLike,
  rec: Recorder,
  onPeer: (peer: SocketLike) => void = (p) => p.resume(),
  options: object = {},
): Promise<{ server: ServerLike; path: string; peer: Promise<SocketLike> }> {
  const path = rec.socketPath();
  let resolvePeer!: (p: SocketLike) => void;
  const peer = new Promise<SocketLike>((resolve) => resolvePeer = resolve);
  let first = true;
  const server = net.createServer(options, (p) => {
    if (first) rec.watch("peer", p, NO_DRAIN);
    onPeer(p);
    if (first) resolvePeer(p);
    first = false;
  });
  rec.watch("server", server, SERVER_EVENTS);
  await rec.listenPath(server, path);
  return { server, path, peer };
}

async function finish(rec: Recorder, server: ServerLike, peer: Promise<SocketLike>, ...sockets: SocketLike[]) {
  for (const s of sockets) await rec.closed(s);
  await rec.closed(await peer, "peer 'close'");
  await rec.closeServer(server);
}

export const pendingPipeScenarios: Scenario[] = [];
