// Small building blocks the scenarios share: a loopback server whose accepted socket is
// traced as "peer", and an orderly wait for everything to close.
import { type NetLike, type Recorder, type ServerLike, SOCKET_EVENTS, type SocketLike } from "./_harness.ts";

/** Server options for {@link serve}, plus where to listen and what to trace on the peer. */
export interface ServeOptions {
  allowHalfOpen?: boolean;
  pauseOnConnect?: boolean;
  /** @default "127.0.0.1" */
  host?: string;
  /** Events traced on the peer. @default SOCKET_EVENTS */
  events?: string[];
}

/** A listening server, its port and its first accepted socket. */
export interface Served {
  server: ServerLike;
  port: number;
  /** The first accepted socket (traced as `"peer"`), once it arrives. */
  peer: Promise<SocketLike>;
}

/**
 * Listen on 127.0.0.1 (or `host`); hand every accepted socket to `onPeer` and trace the
 * first one as "peer".
 */
export async function serve(
  net: NetLike,
  rec: Recorder,
  onPeer: (peer: SocketLike) => void = (peer) => peer.resume(),
  { host = "127.0.0.1", events = SOCKET_EVENTS, ...options }: ServeOptions = {},
): Promise<Served> {
  let resolvePeer!: (s: SocketLike) => void;
  const peer = new Promise<SocketLike>((resolve) => resolvePeer = resolve);
  let first = true;
  const server = net.createServer(options, (socket) => {
    if (first) rec.watch("peer", socket, events);
    onPeer(socket);
    if (first) resolvePeer(socket);
    first = false;
  });
  const port = await rec.listen(server, host);
  return { server, port, peer };
}

/** An echo server: the peer writes back what it reads and ends when the client ends. */
export function serveEcho(net: NetLike, rec: Recorder, options: ServeOptions = {}): Promise<Served> {
  return serve(net, rec, (peer) => peer.pipe(peer), options);
}

/** Wait for every socket to close, then for the server (if any) to close. */
export async function settle(rec: Recorder, served: Served | null, ...sockets: SocketLike[]): Promise<void> {
  for (const s of sockets) await rec.closed(s);
  if (served) {
    const peer = await Promise.race([served.peer, Promise.resolve(null)]);
    if (peer) await rec.closed(peer, "peer 'close'");
    await rec.closeServer(served.server);
  }
}

/** Record a socket's state getters under `label` as one entry. */
export function snapshot(rec: Recorder, label: string, what: string, s: SocketLike): void {
  rec.log(
    label,
    `${what}: readyState=${s.readyState} pending=${s.pending} connecting=${s.connecting} destroyed=${s.destroyed}`,
  );
}
