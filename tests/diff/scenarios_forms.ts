// Scenarios: every calling form of connect() and listen() that Node's
// test-net-connect-options-port and test-net-server-listen-options go through, with the
// port values each form accepts or rejects.
import type { NetLike, Recorder, Scenario } from "./_harness.ts";
import { quietServer, throwsScenario } from "./_kit.ts";

const SERVER_EVENTS = ["listening", "error", "close"];

/** The six ways to start a connection with the same arguments. */
function sixForms(net: NetLike, args: unknown[]): [string, () => unknown][] {
  return [
    ["createConnection(...args)", () => net.createConnection(...args)],
    ["createConnection(...args, cb)", () => net.createConnection(...args, () => {})],
    ["connect(...args)", () => net.connect(...args)],
    ["connect(...args, cb)", () => net.connect(...args, () => {})],
    ["new Socket().connect(...args)", () => new net.Socket().connect(...args)],
    ["new Socket().connect(...args, cb)", () => new net.Socket().connect(...args, () => {})],
  ];
}

/** listen(...args, cb) on a fresh server; log what it throws or where it listens. */
function listenArgs(name: string, args: unknown[]): Scenario {
  return {
    name: `forms: ${name}`,
    async run(net, rec) {
      const server = net.createServer();
      rec.watch("server", server, SERVER_EVENTS);
      const listening = new Promise<void>((resolve) => server.once("listening", () => resolve()));
      const ok = rec.try("server", "listen", () => server.listen(...args, () => rec.log("server", "listen callback")));
      if (!ok) return;
      await listening;
      const a = server.address() as { port: number; address: string; family: string };
      rec.log("server", `address=${a.address} family=${a.family} port>0=${a.port > 0}`);
      await rec.closeServer(server);
    },
  };
}

async function connectAll(net: NetLike, rec: Recorder, args: (port: number) => unknown[]): Promise<void> {
  const { server, port } = await quietServer(net, rec, (p) => p.end("ok"));
  const sockets = sixForms(net, args(port)).map(([what, fn], i) => {
    const s = fn() as { resume(): void; on(e: string, f: () => void): void };
    rec.watch(`c${i + 1}`, s as never);
    rec.log(`c${i + 1}`, what);
    s.resume();
    return s;
  });
  for (const s of sockets) await rec.closed(s as never);
  await rec.closeServer(server);
}

export const formScenarios: Scenario[] = [
  throwsScenario("forms: port true in all six connect forms", (net) => sixForms(net, [true])),
  throwsScenario("forms: port false in all six connect forms", (net) => sixForms(net, [false])),
  throwsScenario("forms: port ' ' in all six connect forms", (net) => sixForms(net, [" "])),
  throwsScenario("forms: port NaN with a host in all six connect forms", (net) => sixForms(net, [NaN, "localhost"])),
  throwsScenario("forms: options port '0x' and '-0x1'", (net) => [
    ["{ port: '0x' }", () => net.connect({ port: "0x" })],
    ["{ port: '-0x1' }", () => net.connect({ port: "-0x1" })],
    ["{ port: '-0x1', host }", () => net.connect({ port: "-0x1", host: "localhost" })],
  ]),
  throwsScenario("forms: options port [] and {} with a host", (net) => [
    ["{ port: [], host }", () => net.connect({ port: [], host: "localhost" })],
    ["{ port: {}, host }", () => net.connect({ port: {}, host: "localhost" })],
  ]),
  throwsScenario("forms: hints with unknown bits: ERR_INVALID_ARG_VALUE", (net) => [
    ["hints 3370", () => net.connect({ port: 42, hints: 3370 })],
    ["hints 3370 with cb", () => net.connect({ port: 42, hints: 3370 }, () => {})],
  ]),
  {
    name: "forms: all six connect forms with (port)",
    run: (net, rec) => connectAll(net, rec, (port) => [port]),
  },
  {
    name: "forms: all six connect forms with (String(port), host)",
    run: (net, rec) => connectAll(net, rec, (port) => [String(port), "127.0.0.1"]),
  },
  {
    name: "forms: all six connect forms with ({ port: hex string, host })",
    run: (net, rec) => connectAll(net, rec, (port) => [{ port: `0x${port.toString(16)}`, host: "127.0.0.1" }]),
  },
  throwsScenario("forms: listen positional ports NaN, 123.456, Infinity and -Infinity", (net) => [
    ["listen(NaN)", () => net.createServer().listen(NaN, () => {})],
    ["listen(123.456)", () => net.createServer().listen(123.456, () => {})],
    ["listen(Infinity)", () => net.createServer().listen(Infinity, () => {})],
    ["listen(-Infinity)", () => net.createServer().listen(-Infinity, () => {})],
  ]),
  throwsScenario("forms: listen option ports NaN, 123.456 and Infinity", (net) => [
    ["listen({ port: NaN })", () => net.createServer().listen({ port: NaN }, () => {})],
    ["listen({ port: 123.456 })", () => net.createServer().listen({ port: 123.456 }, () => {})],
    ["listen({ port: Infinity })", () => net.createServer().listen({ port: Infinity }, () => {})],
  ]),
  throwsScenario("forms: listen({ port: -1, path }): the port is checked first", (net) => [
    ["listen({ port: -1, path })", () => net.createServer().listen({ port: -1, path: "/nonexistent/x.sock" })],
  ]),
  throwsScenario("forms: listen(false) and listen({ port: false })", (net) => [
    ["listen(false)", () => net.createServer().listen(false, () => {})],
    ["listen({ port: false })", () => net.createServer().listen({ port: false }, () => {})],
  ]),
  throwsScenario("forms: listen({ fd: -1 }) and listen({ path: -1 })", (net) => [
    ["listen({ fd: -1 })", () => net.createServer().listen({ fd: -1 }, () => {})],
    ["listen({ path: -1 })", () => net.createServer().listen({ path: -1 }, () => {})],
  ]),
  listenArgs("listen(cb)", []),
  listenArgs("listen('0', cb)", ["0"]),
  listenArgs("listen(undefined, cb)", [undefined]),
  listenArgs("listen(null, cb)", [null]),
  listenArgs("listen({ port: '0' }, cb)", [{ port: "0" }]),
  listenArgs("listen({ port: undefined }, cb)", [{ port: undefined }]),
  listenArgs("listen({ port: null }, cb)", [{ port: null }]),
  {
    name: "forms: connect to port 0 fails asynchronously",
    async run(net, rec) {
      const s = net.connect({ port: 0, host: "127.0.0.1" });
      rec.watch("client", s);
      await rec.closed(s);
    },
  },
  throwsScenario("forms: listen({ host: { port } }) and listen({ exclusive: true })", (net) => [
    ["listen({ host: { port: 3000 } })", () => net.createServer().listen({ host: { port: 3000 } }, () => {})],
    ["listen({ exclusive: true })", () => net.createServer().listen({ exclusive: true }, () => {})],
  ]),
];
