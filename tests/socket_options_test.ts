// TCP options on the real sockets, read from outside the process (tests/fixtures/
// tcp_nodelay.py, Linux pidfd_getfd): Node's defaults (Nagle on, no keep-alive) on both the
// connecting and the accepted end, and setNoDelay()/setKeepAlive() reaching the kernel.
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { execFile } from "node:child_process";
import process from "node:process";
import net, { detectAdapter, type Socket } from "../mod.ts";
import { close, delay, listen, once, sourceFile, sweep, track, within } from "./_util.ts";

const test = suite("Socket TCP options");
test.after.each(sweep);

interface SockOpts {
  nodelay: number;
  keepalive: number;
  keepidle: number;
}

const script = sourceFile("tests/fixtures/tcp_nodelay.py");

/** TCP_NODELAY, SO_KEEPALIVE and TCP_KEEPIDLE of this process's sockets on `ports`. */
function sockopts(ports: number[]): Promise<Record<string, SockOpts>> {
  return within(
    new Promise((resolve, reject) => {
      execFile("python3", [script, String(process.pid), ...ports.map(String)], (err, stdout, stderr) => {
        if (err) reject(new Error(`tcp_nodelay.py could not read the sockets (Linux + python3 needed): ${stderr}`));
        else resolve(JSON.parse(stdout));
      });
    }),
    10_000,
    "tcp_nodelay.py",
  );
}

async function pair(): Promise<{ client: Socket; peer: Socket; close(): Promise<void> }> {
  let accept!: (s: Socket) => void;
  const accepted = new Promise<Socket>((r) => accept = r);
  const server = track(net.createServer((s) => accept(s)));
  const port = await listen(server);
  const client = track(net.connect(port, "127.0.0.1"));
  await once(client, "connect");
  const peer = await within(accepted, 5000, "the connection");
  return {
    client,
    peer,
    close: async () => {
      client.destroy();
      peer.destroy();
      await close(server);
    },
  };
}

test("Node's defaults on both ends: Nagle on (TCP_NODELAY off), keep-alive off", async () => {
  const { client, peer, close } = await pair();
  const opts = await sockopts([client.localPort!, peer.localPort!]);
  const name = detectAdapter().name;
  assert.equal(
    opts[client.localPort!]?.nodelay,
    0,
    `the ${name} adapter must leave Nagle on for connections it opens (TCP_NODELAY is ${
      opts[client.localPort!]?.nodelay
    })`,
  );
  assert.equal(
    opts[peer.localPort!]?.nodelay,
    0,
    `the ${name} adapter must leave Nagle on for connections it accepts (TCP_NODELAY is ${
      opts[peer.localPort!]?.nodelay
    })`,
  );
  assert.equal([opts[client.localPort!]?.keepalive, opts[peer.localPort!]?.keepalive], [0, 0]);
  await close();
});

test("setNoDelay() and setKeepAlive(true, ms) reach the kernel (TCP_KEEPIDLE in whole seconds)", async () => {
  const { client, peer, close } = await pair();
  client.setNoDelay();
  peer.setNoDelay(true);
  const warnings: { name: string; code?: string; message: string }[] = [];
  const onWarning = (w: Error & { code?: string }) => warnings.push({ name: w.name, code: w.code, message: w.message });
  process.on("warning", onWarning);
  client.setKeepAlive(true, 30_500);
  await delay(20);
  process.off("warning", onWarning);
  const on = await sockopts([client.localPort!, peer.localPort!]);
  assert.equal([on[client.localPort!]?.nodelay, on[peer.localPort!]?.nodelay], [1, 1], "TCP_NODELAY on");
  assert.is(on[client.localPort!]?.keepalive, 1, "SO_KEEPALIVE on");
  const adapter = detectAdapter();
  if (adapter.capabilities.keepAliveDelay) {
    assert.is(on[client.localPort!]?.keepidle, 30, "the keep-alive delay reaches the kernel (TCP_KEEPIDLE 30 s)");
    assert.equal(warnings.filter((w) => w.code === "OMNINET_KEEPALIVE_DELAY"), []);
  } else {
    // The runtime cannot set TCP_KEEPIDLE: keep-alive is on with the system delay, and a
    // warning says so (once per process).
    assert.equal(warnings.filter((w) => w.code === "OMNINET_KEEPALIVE_DELAY"), [{
      name: "UnsupportedWarning",
      code: "OMNINET_KEEPALIVE_DELAY",
      message:
        `socket.setKeepAlive(): the initial delay cannot be set on ${adapter.name}; the system's default applies`,
    }]);
  }
  client.setNoDelay(false);
  client.setKeepAlive(false);
  await delay(20);
  const off = await sockopts([client.localPort!]);
  assert.equal([off[client.localPort!]?.nodelay, off[client.localPort!]?.keepalive], [0, 0]);
  await close();
});

test.run();
