// Scenarios: every connect() form, name resolution, Happy Eyeballs and connect options.
import dns from "node:dns";
import { type Scenario, show, type SocketLike } from "./_harness.ts";
import { serve, serveEcho, settle } from "./_serve.ts";

type LookupCallback = (err: Error | null, address?: unknown, family?: number) => void;

/** A custom `lookup` that records its call and answers with `answer`. */
function fakeLookup(
  rec: { log(label: string, entry: string): void },
  answer: (all: boolean) => [Error | null, unknown, number?],
) {
  return (host: string, options: { family: number; hints: number; all?: boolean }, cb: LookupCallback) => {
    // The hints are in the running runtime's `dns` numbers (Deno's differ from Node's): log them by name.
    const shown = show(options).replace(/hints: \d+/, `hints: ${hintNames(options.hints)}`);
    rec.log("lookup-fn", `lookup(${JSON.stringify(host)}, ${shown})`);
    const [err, address, family] = answer(Boolean(options.all));
    setTimeout(() => cb(err, address, family), 1);
  };
}

/** `dns.ADDRCONFIG | dns.V4MAPPED` as `"ADDRCONFIG|V4MAPPED"`, in the running runtime's numbers. */
function hintNames(hints: number): string {
  const names = (["ADDRCONFIG", "V4MAPPED", "ALL"] as const).filter((name) => (hints & dns[name]) !== 0);
  const rest = hints & ~(dns.ADDRCONFIG | dns.V4MAPPED | dns.ALL);
  return [...names, ...(rest ? [String(rest)] : [])].join("|") || "0";
}

function echoOnce(client: SocketLike): void {
  client.on("connect", () => client.write("ping"));
  client.on("data", () => client.end());
}

export const connectScenarios: Scenario[] = [
  {
    name: "connect(port, host, cb): echo round trip",
    async run(net, rec) {
      const served = await serveEcho(net, rec);
      const client = net.connect(served.port, "127.0.0.1", () => rec.log("client", "connect callback"));
      rec.watch("client", client);
      echoOnce(client);
      await settle(rec, served, client);
      rec.log("client", `bytesRead=${client.bytesRead} bytesWritten=${client.bytesWritten}`);
    },
  },
  {
    name: "connect(port) without host resolves localhost",
    async run(net, rec) {
      const served = await serveEcho(net, rec);
      const client = net.connect(served.port);
      rec.watch("client", client);
      echoOnce(client);
      await settle(rec, served, client);
    },
  },
  {
    name: "connect(options, cb) with a numeric-string port",
    async run(net, rec) {
      const served = await serveEcho(net, rec);
      const client = net.connect({ port: String(served.port), host: "127.0.0.1" }, () => rec.log("client", "cb"));
      rec.watch("client", client);
      echoOnce(client);
      await settle(rec, served, client);
    },
  },
  {
    name: "createConnection(port, host) behaves as connect",
    async run(net, rec) {
      const served = await serveEcho(net, rec);
      const client = net.createConnection(served.port, "127.0.0.1");
      rec.watch("client", client);
      echoOnce(client);
      await settle(rec, served, client);
    },
  },
  {
    name: "new Socket() then socket.connect(port, host, cb)",
    async run(net, rec) {
      const served = await serveEcho(net, rec);
      const client = new net.Socket();
      rec.watch("client", client);
      const same = client.connect(served.port, "127.0.0.1", () => rec.log("client", "cb")) === client;
      rec.log("client", `connect() returns the socket: ${same}`);
      echoOnce(client);
      await settle(rec, served, client);
    },
  },
  {
    name: "connect() again on a connected socket reports 'connect' again on the same connection",
    async run(net, rec) {
      let connections = 0;
      const served = await serve(net, rec, (peer) => {
        connections++;
        peer.pipe(peer);
      });
      const client = net.connect(served.port, "127.0.0.1");
      rec.watch("client", client);
      await rec.next(client, "connect");
      client.connect(served.port, "127.0.0.1");
      await rec.next(client, "connect");
      client.end("once");
      await settle(rec, served, client);
      rec.log("server", `connections=${connections}`);
    },
  },
  {
    name: "connect(path) over a Unix domain socket",
    needs: ["unix"],
    async run(net, rec) {
      const path = rec.socketPath();
      const server = net.createServer((peer) => {
        rec.watch("peer", peer);
        peer.pipe(peer);
      });
      await rec.listenPath(server, path);
      const client = net.connect(path, () => rec.log("client", "cb"));
      rec.watch("client", client);
      echoOnce(client);
      await rec.closed(client);
      await rec.closeServer(server);
    },
  },
  {
    name: "connect({ path }) to a missing Unix socket fails with ENOENT",
    needs: ["unix"],
    async run(net, rec) {
      const client = net.connect({ path: rec.socketPath("missing.sock") });
      rec.watch("client", client);
      await rec.closed(client);
    },
  },
  {
    name: "connect to a closed port: ECONNREFUSED, close(true)",
    async run(net, rec) {
      const port = await rec.closedPort(net);
      const client = net.connect(port, "127.0.0.1");
      rec.watch("client", client);
      await rec.closed(client);
      rec.log("client", `readyState=${client.readyState} destroyed=${client.destroyed}`);
    },
  },
  {
    name: "custom lookup: 'lookup' event, then connect (autoSelectFamily)",
    async run(net, rec) {
      const served = await serveEcho(net, rec);
      const lookup = fakeLookup(
        rec,
        (all) => all ? [null, [{ address: "127.0.0.1", family: 4 }]] : [null, "127.0.0.1", 4],
      );
      const client = net.connect({ port: served.port, host: "example.test", lookup });
      rec.watch("client", client);
      echoOnce(client);
      await settle(rec, served, client);
    },
  },
  {
    name: "custom lookup with family 4 asks for one address",
    async run(net, rec) {
      const served = await serveEcho(net, rec);
      const lookup = fakeLookup(
        rec,
        (all) => all ? [null, [{ address: "127.0.0.1", family: 4 }]] : [null, "127.0.0.1", 4],
      );
      const client = net.connect({ port: served.port, host: "example.test", family: 4, lookup });
      rec.watch("client", client);
      echoOnce(client);
      await settle(rec, served, client);
    },
  },
  {
    name: "custom lookup failing with ENOTFOUND",
    async run(net, rec) {
      const fail = Object.assign(new Error("getaddrinfo ENOTFOUND example.test"), {
        code: "ENOTFOUND",
        syscall: "getaddrinfo",
        hostname: "example.test",
      });
      const client = net.connect({ port: 80, host: "example.test", lookup: fakeLookup(rec, () => [fail, undefined]) });
      rec.watch("client", client);
      await rec.closed(client);
    },
  },
  {
    name: "system resolver: a name that does not exist fails with ENOTFOUND",
    async run(net, rec) {
      const client = net.connect({ port: 80, host: "nonexistent.invalid" });
      rec.watch("client", client);
      await rec.closed(client);
    },
  },
  {
    name: "lookup answering an invalid IP: ERR_INVALID_IP_ADDRESS",
    async run(net, rec) {
      const lookup = fakeLookup(rec, () => [null, "not-an-ip", 4]);
      const client = net.connect({ port: 80, host: "example.test", lookup, autoSelectFamily: false });
      rec.watch("client", client);
      await rec.closed(client);
    },
  },
  {
    name: "lookup answering an invalid family: ERR_INVALID_ADDRESS_FAMILY",
    async run(net, rec) {
      const lookup = fakeLookup(rec, () => [null, "127.0.0.1", 5]);
      const client = net.connect({ port: 80, host: "example.test", lookup, autoSelectFamily: false });
      rec.watch("client", client);
      await rec.closed(client);
    },
  },
  {
    name: "Happy Eyeballs: ::1 refused, then 127.0.0.1 connects",
    async run(net, rec) {
      const served = await serveEcho(net, rec);
      const lookup = fakeLookup(
        rec,
        () => [null, [{ address: "::1", family: 6 }, { address: "127.0.0.1", family: 4 }]],
      );
      // Refusals come at once; the long attempt timeout keeps a stalled event loop from
      // turning one into 'connectionAttemptTimeout'.
      const client = net.connect({
        port: served.port,
        host: "example.test",
        lookup,
        autoSelectFamilyAttemptTimeout: 2000,
      });
      rec.watch("client", client);
      echoOnce(client);
      await settle(rec, served, client);
      rec.log("client", `attempted=${JSON.stringify(client.autoSelectFamilyAttemptedAddresses)}`);
    },
  },
  {
    name: "Happy Eyeballs: every address refused gives an AggregateError",
    async run(net, rec) {
      const port = await rec.closedPort(net);
      const lookup = fakeLookup(
        rec,
        () => [null, [{ address: "127.0.0.1", family: 4 }, { address: "::1", family: 6 }]],
      );
      const client = net.connect({ port, host: "example.test", lookup, autoSelectFamilyAttemptTimeout: 2000 });
      rec.watch("client", client);
      await rec.closed(client);
      rec.log("client", `attempted=${JSON.stringify(client.autoSelectFamilyAttemptedAddresses)}`);
    },
  },
  {
    name: "autoSelectFamily: false connects to the first address only",
    async run(net, rec) {
      const port = await rec.closedPort(net);
      const lookup = fakeLookup(
        rec,
        (all) => all ? [null, [{ address: "::1", family: 6 }, { address: "127.0.0.1", family: 4 }]] : [null, "::1", 6],
      );
      const client = net.connect({ port, host: "example.test", lookup, autoSelectFamily: false });
      rec.watch("client", client);
      await rec.closed(client);
      rec.log("client", `attempted=${JSON.stringify(client.autoSelectFamilyAttemptedAddresses)}`);
    },
  },
  {
    name: "localAddress and the address getters",
    needs: ["localBind"],
    async run(net, rec) {
      const served = await serveEcho(net, rec);
      const client = net.connect({ port: served.port, host: "127.0.0.1", localAddress: "127.0.0.1" });
      rec.watch("client", client);
      rec.log("client", `before: local=${client.localAddress} remote=${client.remoteAddress}`);
      client.on("connect", () => {
        rec.log("client", `local=${client.localAddress} ${client.localFamily} remote=${client.remoteAddress}`);
        rec.log("client", `remotePort=${client.remotePort} remoteFamily=${client.remoteFamily}`);
      });
      echoOnce(client);
      await settle(rec, served, client);
    },
  },
  {
    name: "localPort binds the client's port",
    needs: ["localBind"],
    async run(net, rec) {
      const served = await serveEcho(net, rec);
      const localPort = await rec.closedPort(net);
      rec.addMask(localPort, "<local>");
      const client = net.connect({ port: served.port, host: "127.0.0.1", localPort });
      rec.watch("client", client);
      client.on("connect", () => rec.log("client", `localPort=${client.localPort}`));
      echoOnce(client);
      await settle(rec, served, client);
    },
  },
  {
    name: "localPort already in use: bind EADDRINUSE",
    needs: ["localBind"],
    async run(net, rec) {
      const served = await serve(net, rec);
      const client = net.connect({ port: served.port, host: "127.0.0.1", localPort: served.port });
      rec.watch("client", client);
      await rec.closed(client);
      await rec.closeServer(served.server);
    },
  },
];
