// Building blocks of the scenario files derived from Node 24's net docs and Node's own
// test-net-* / test-pipe-* checks: synchronous-throw probes, untraced servers, callback
// loggers, address masks and the BlockList class that matches the net under test.
import { BlockList as OmniBlockList } from "../../mod.ts";
import { bounded, type NetLike, type Recorder, type Scenario, type ServerLike, type SocketLike } from "./_harness.ts";

/** A server whose peers are not traced; they read everything and ignore errors. */
export async function quietServer(
  net: NetLike,
  rec: Recorder,
  onPeer: (peer: SocketLike) => void = (peer) => peer.resume(),
  options: object = {},
): Promise<{ server: ServerLike; port: number }> {
  const server = net.createServer(options, (peer) => {
    peer.on("error", () => {});
    onPeer(peer);
  });
  const port = await rec.listen(server);
  return { server, port };
}

/** A callback that logs `what callback(<code or message>)` under `label`. */
export function logCb(rec: Recorder, label: string, what: string): (err?: Error | null) => void {
  return (err?: Error | null) => {
    const e = err as (Error & { code?: string }) | null | undefined;
    rec.log(label, `${what} callback(${e ? e.code ?? e.message : e})`);
  };
}

/**
 * A scenario that only records what each call throws (or `ok`) under the `throws` trace.
 * A socket a call returns is destroyed at once; a server is closed.
 */
export function throwsScenario(name: string, calls: (net: NetLike) => [string, () => unknown][]): Scenario {
  return {
    name,
    async run(net, rec) {
      const servers: ServerLike[] = [];
      for (const [what, fn] of calls(net)) {
        const value = rec.try("throws", what, fn) as { destroy?: () => void; close?: unknown } | undefined;
        if (value && typeof value === "object") {
          if (typeof value.destroy === "function") {
            (value as SocketLike).on("error", () => {});
            value.destroy();
          } else if (typeof value.close === "function") servers.push(value as ServerLike);
        }
      }
      for (const server of servers) {
        server.on("error", () => {});
        await new Promise<void>((resolve) => server.close(() => resolve()));
      }
    },
  };
}

/** A socket that is never connected, its errors swallowed (typed loosely: scenarios pass bad arguments). */
// deno-lint-ignore no-explicit-any
export function idleSocket(net: NetLike, options?: object): any {
  const s = new net.Socket(options);
  s.on("error", () => {});
  return s;
}

/** Mask the local port of a connected socket as `<local>`. */
export function maskLocal(rec: Recorder, s: SocketLike): void {
  if (typeof s.localPort === "number") rec.addMask(s.localPort, "<local>");
}

/** node:net's BlockList for node:net, omninet's for omninet (and its memory net). */
// deno-lint-ignore no-explicit-any
export function blockListOf(net: NetLike): any {
  // deno-lint-ignore no-explicit-any
  const own = (net as any).BlockList;
  return own ?? OmniBlockList;
}

/** Log the byte and state counters of `s`. */
export function counters(rec: Recorder, label: string, what: string, s: SocketLike): void {
  rec.log(
    label,
    `${what}: bytesRead=${s.bytesRead} bytesWritten=${s.bytesWritten} writableLength=${s.writableLength}` +
      ` readableLength=${s.readableLength}`,
  );
}

/** Log the address getters of `s`. */
export function addresses(rec: Recorder, label: string, what: string, s: SocketLike): void {
  rec.log(
    label,
    `${what}: local=${s.localAddress}:${s.localPort}/${s.localFamily}` +
      ` remote=${s.remoteAddress}:${s.remotePort}/${s.remoteFamily} address()=${JSON.stringify(s.address())}`,
  );
}

/** Resolve once `cond()` holds, checking every 5 ms (bounded): waits on state, not on time. */
export function until(cond: () => boolean, what: string): Promise<void> {
  let stopped = false;
  return bounded(
    new Promise<void>((resolve) => {
      // Stops once the bound gave up too: no timer left behind a failed wait.
      const check = () => cond() ? resolve() : stopped || setTimeout(check, 5);
      check();
    }),
    what,
  ).finally(() => stopped = true);
}
