// The host's servers for the client scenarios (_scenarios.ts), one per kind, on Node 24's
// node:net on loopback. `closed` is a port that was bound and released.
import * as net from "node:net";
import { BULK_SIZE, type ServerKind } from "./_scenarios.ts";
import type { Ports } from "./_run.ts";

function listen(server: net.Server, host = "127.0.0.1"): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, host, () => resolve((server.address() as net.AddressInfo).port));
  });
}

function bulk(): Buffer {
  const data = Buffer.alloc(BULK_SIZE);
  for (let i = 0; i < BULK_SIZE; i++) data[i] = i % 251;
  return data;
}

const handlers: Record<Exclude<ServerKind, "closed" | "echo6">, [net.ServerOpts, (s: net.Socket) => void]> = {
  echo: [{}, (s) => s.pipe(s)],
  greet: [{}, (s) => {
    s.resume();
    s.end("hello from host");
  }],
  silent: [{}, (s) => s.resume()],
  stall: [{}, (s) => s.pause()],
  destroy: [{}, (s) => s.destroy()],
  reset: [{}, (s) => s.once("data", () => s.resetAndDestroy())],
  halfopen: [{ allowHalfOpen: true }, (s) => {
    let text = "";
    s.setEncoding("utf8");
    s.on("data", (d: string) => text += d);
    s.on("end", () => s.end(`answer:${text}`));
  }],
  bulk: [{}, (s) => {
    s.resume();
    s.end(bulk());
  }],
  count: [{ allowHalfOpen: true }, (s) => {
    let n = 0;
    s.on("data", (d: Buffer) => n += d.length);
    s.on("end", () => s.end(String(n)));
  }],
};

/** Start every server; returns the ports and a function closing them all. */
export async function startServers(): Promise<{ ports: Ports; close: () => void }> {
  const servers: net.Server[] = [];
  const ports: Partial<Ports> = {};
  for (const [kind, [options, handler]] of Object.entries(handlers)) {
    const server = net.createServer(options, (s) => {
      s.on("error", () => {}); // a client's reset is not the host's failure
      handler(s);
    });
    servers.push(server);
    ports[kind as ServerKind] = await listen(server);
  }
  const echo6 = net.createServer((s) => {
    s.on("error", () => {});
    s.pipe(s);
  });
  servers.push(echo6);
  ports.echo6 = await listen(echo6, "::1");
  const closed = net.createServer();
  ports.closed = await listen(closed);
  await new Promise<void>((resolve) => closed.close(() => resolve()));
  return { ports: ports as Ports, close: () => servers.forEach((s) => s.close()) };
}
