// The contract's optional TLS route (`RuntimeAdapter.connectUpgradable`,
// `UpgradableConn.startTls`) on the running runtime's adapter, at the RawConn level: the
// plaintext phase, the hand-over (the consumed conn reports one onClose and touches
// nothing), the handshake as onConnect, and a failed handshake as onError then onClose.
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { readFileSync } from "node:fs";
import * as nodeNet from "node:net";
import * as tls from "node:tls";
import { detectAdapter } from "../mod.ts";
import type { RawConn, TcpConnectOptions, UpgradableConn } from "../src/contract.ts";
import { Recorder } from "./_contract_suite.ts";
import { delay, listen, sweep, track, within } from "./_util.ts";

const test = suite(`adapter TLS contract: ${detectAdapter().name}`);
test.after.each(sweep);

const adapter = detectAdapter();
const fixture = (name: string) => readFileSync(`tests/fixtures/tls/${name}`, "utf8");
const ca = [fixture("ca.pem")];
const secureContext = tls.createSecureContext({ cert: fixture("cert.pem"), key: fixture("key.pem") });
const encoder = new TextEncoder();

/** A server that greets in plaintext, then speaks TLS and answers `tls:<what it got>`. */
async function startTlsServer(): Promise<TcpConnectOptions> {
  const server = track(nodeNet.createServer((s) => {
    s.write("hello");
    const secure = new tls.TLSSocket(s, { isServer: true, secureContext });
    secure.on("error", () => s.destroy());
    secure.on("data", (d) => secure.end(`tls:${d}`));
  }));
  const port = await listen(server as never);
  return { host: "127.0.0.1", port, family: 4 };
}

function write(conn: RawConn, text: string): Promise<Error | null | undefined> {
  return new Promise((resolve) => conn.write([encoder.encode(text)], resolve));
}

test("every runtime adapter has connectUpgradable", () => {
  assert.type(adapter.connectUpgradable, "function");
});

test("plaintext, then startTls: the old conn reports one onClose; the new one connects after the handshake", async () => {
  const target = await startTlsServer();
  const plain = new Recorder();
  const conn: UpgradableConn = adapter.connectUpgradable!(target, plain);
  await plain.seen("connect");
  conn.readStart();
  await plain.until(() => plain.text() === "hello", "the greeting");
  conn.readStop();
  const secure = new Recorder();
  const tlsConn = conn.startTls({ serverName: "localhost", ca }, secure);
  assert.equal(secure.events, [], "no call inside startTls");
  conn.close();
  await plain.seen("close");
  await secure.seen("connect", 10_000);
  assert.equal((tlsConn.remoteAddress() as { port: number }).port, target.port);
  tlsConn.readStart();
  assert.not.ok(await write(tlsConn, "ping"), "the write succeeds");
  await secure.seen("end");
  assert.is(secure.text(), "tls:ping");
  tlsConn.close();
  await secure.seen("close");
  await delay(20);
  assert.equal(plain.events, ["connect", "data", "close"]);
  assert.equal(secure.events, ["connect", "data", "end", "close"]);
});

test("a certificate the name does not match: onError, then onClose, no onConnect", async () => {
  const target = await startTlsServer();
  const plain = new Recorder();
  const conn = adapter.connectUpgradable!(target, plain);
  await plain.seen("connect");
  const secure = new Recorder();
  const tlsConn = conn.startTls({ serverName: "example.com", ca }, secure);
  await within(secure.seen("close", 10_000), 10_000, "close");
  assert.is(secure.events.length, 2);
  assert.match(secure.events[0], /^error:/);
  assert.is(secure.events[1], "close");
  tlsConn.close();
  conn.close();
  await plain.seen("close");
});

test.run();
