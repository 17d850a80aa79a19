// Scenarios: idle timeouts, TCP options, and argument validation (synchronous throws).
import type { Recorder, Scenario } from "./_harness.ts";
import { serve, settle } from "./_serve.ts";

function validation(rec: Recorder, calls: [string, () => unknown][]): void {
  for (const [what, fn] of calls) {
    rec.try("throws", what, () => {
      const s = fn() as { destroy?: () => void } | undefined;
      s?.destroy?.();
    });
  }
}

export const miscScenarios: Scenario[] = [
  {
    name: "setTimeout(ms): 'timeout' once on idle; the socket stays open",
    async run(net, rec) {
      const served = await serve(net, rec);
      const client = net.connect(served.port, "127.0.0.1");
      rec.watch("client", client);
      // Armed once connected, so a slow connect cannot put 'timeout' before 'connect'.
      client.on("connect", () => {
        client.setTimeout(30, () => {
          rec.log("client", `timeout callback, destroyed=${client.destroyed} timeout=${client.timeout}`);
          setTimeout(() => client.end(), 60);
        });
      });
      await settle(rec, served, client);
    },
  },
  {
    name: "connect({ timeout }) sets the idle timeout",
    async run(net, rec) {
      const served = await serve(net, rec);
      // Long enough that a stalled event loop still sees 'connect' first.
      const client = net.connect({ port: served.port, host: "127.0.0.1", timeout: 400 });
      rec.watch("client", client);
      rec.log("client", `timeout=${client.timeout}`);
      client.on("timeout", () => client.destroy());
      await settle(rec, served, client);
    },
  },
  {
    name: "setTimeout then activity: reads and writes restart the timer",
    async run(net, rec) {
      const served = await serve(net, rec, (peer) => peer.pipe(peer));
      const client = net.connect(served.port, "127.0.0.1");
      rec.watch("client", client);
      // Five writes 150 ms apart span 600 ms, longer than the 500 ms timeout: without the
      // restarts 'timeout' would split the echoed data. The margins (350 ms each way) keep
      // the trace stable on a loaded machine.
      let sent = 0;
      client.on("connect", function tick() {
        if (sent === 0) client.setTimeout(500);
        if (sent++ < 5) {
          client.write(".");
          setTimeout(tick, 150);
        }
      });
      await rec.next(client, "timeout");
      client.end();
      await settle(rec, served, client);
    },
  },
  {
    name: "setTimeout(0) disables the timer; timeout property follows",
    async run(net, rec) {
      const served = await serve(net, rec);
      const client = net.connect(served.port, "127.0.0.1");
      rec.watch("client", client);
      rec.log("client", `initial timeout=${client.timeout}`);
      const cb = () => rec.log("client", "callback must not run");
      client.setTimeout(20, cb);
      rec.log("client", `timeout=${client.timeout} listeners=${client.listenerCount("timeout")}`);
      client.setTimeout(0, cb);
      rec.log("client", `timeout=${client.timeout} listeners=${client.listenerCount("timeout")}`);
      await rec.next(client, "connect");
      await new Promise((resolve) => setTimeout(resolve, 80));
      client.end();
      await settle(rec, served, client);
    },
  },
  {
    name: "setTimeout on a destroyed socket does nothing",
    async run(net, rec) {
      const client = new net.Socket();
      rec.watch("client", client);
      client.destroy();
      client.setTimeout(10);
      rec.log("client", `timeout=${client.timeout}`);
      await rec.closed(client);
    },
  },
  {
    name: "setNoDelay, setKeepAlive, ref and unref return the socket in every phase",
    async run(net, rec) {
      const served = await serve(net, rec);
      const client = new net.Socket({ noDelay: true, keepAlive: true, keepAliveInitialDelay: 1000 });
      rec.watch("client", client);
      const chain = (when: string) => {
        const all = [
          client.setNoDelay(),
          client.setNoDelay(false),
          client.setKeepAlive(true, 500),
          client.setKeepAlive(false),
          client.unref(),
          client.ref(),
        ].every((r) => r === client);
        rec.log("client", `${when}: chained=${all}`);
      };
      chain("before connect");
      client.connect(served.port, "127.0.0.1");
      chain("connecting");
      await rec.next(client, "connect");
      chain("connected");
      client.end();
      await settle(rec, served, client);
      chain("closed");
    },
  },
  {
    name: "connect() argument validation",
    run(net, rec) {
      validation(rec, [
        ["connect()", () => net.connect()],
        ["connect({})", () => net.connect({})],
        ["port -1", () => net.connect({ port: -1 })],
        ["port 65536", () => net.connect({ port: 65536 })],
        ["port 'abc'", () => net.connect({ port: "abc" })],
        ["port ''", () => net.connect({ port: "" })],
        ["port 1.5", () => net.connect({ port: 1.5 })],
        ["port true", () => net.connect({ port: true })],
        ["port null", () => net.connect({ port: null })],
        ["host 123", () => net.connect({ port: 80, host: 123 })],
        ["localAddress 'nope'", () => net.connect({ port: 80, localAddress: "nope" })],
        ["localPort 'x'", () => net.connect({ port: 80, localPort: "x" })],
        ["autoSelectFamily 1", () => net.connect({ port: 80, autoSelectFamily: 1 })],
        ["attemptTimeout 0", () => net.connect({ port: 80, autoSelectFamilyAttemptTimeout: 0 })],
        ["attemptTimeout 1.5", () => net.connect({ port: 80, autoSelectFamilyAttemptTimeout: 1.5 })],
        ["attemptTimeout '5'", () => net.connect({ port: 80, autoSelectFamilyAttemptTimeout: "5" })],
        ["lookup 1", () => net.connect({ port: 80, host: "example.test", lookup: 1 })],
        ["path 123", () => net.connect({ path: 123 })],
        ["timeout -1", () => net.connect({ port: 80, timeout: -1 })],
        ["family 5", () => net.connect({ port: 80, host: "example.test", family: 5 })],
        ["family '4'", () => net.connect({ port: 80, host: "example.test", family: "4" })],
        ["hints -1", () => net.connect({ port: 80, host: "example.test", hints: -1 })],
        ["hints 12345", () => net.connect({ port: 80, host: "example.test", hints: 12345 })],
        ["hints '1'", () => net.connect({ port: 80, host: "example.test", hints: "1" })],
        ["connect(-1)", () => net.connect(-1)],
        ["connect(65536, host)", () => net.connect(65536, "127.0.0.1")],
      ]);
      return Promise.resolve();
    },
  },
  {
    name: "Socket constructor and method argument validation",
    run(net, rec) {
      const s = new net.Socket();
      s.on("error", () => {});
      validation(rec, [
        ["objectMode", () => new net.Socket({ objectMode: true })],
        ["readableObjectMode", () => new net.Socket({ readableObjectMode: true })],
        ["keepAliveInitialDelay 'x'", () => new net.Socket({ keepAliveInitialDelay: "x" })],
        ["signal 'x'", () => new net.Socket({ signal: "x" })],
        ["blockList {}", () => new net.Socket({ blockList: {} })],
        ["setTimeout('x')", () => s.setTimeout("x")],
        ["setTimeout(-1)", () => s.setTimeout(-1)],
        ["setTimeout(NaN)", () => s.setTimeout(NaN)],
        ["setTimeout(Infinity)", () => s.setTimeout(Infinity)],
        ["setTimeout(1, 'cb')", () => s.setTimeout(1, "cb")],
        ["setTimeout(0, 'cb')", () => s.setTimeout(0, "cb")],
        ["write(123)", () => s.write(123)],
        ["write(null)", () => s.write(null)],
        ["end(123)", () => s.end(123)],
        ["write('x', 'bogus')", () => s.write("x", "bogus" as BufferEncoding)],
        ["setEncoding('bogus')", () => s.setEncoding("bogus" as BufferEncoding)],
      ]);
      s.destroy();
      return rec.closed(s);
    },
  },
];
