// Why the Deno adapter's STARTTLS goes through Deno's node:tls and not `Deno.startTls`
// (issue 14; README, "The Sockets API"). Run: `deno run -A scripts/investigate/deno_starttls.ts`.
//
// Against a local STARTTLS server (tests/fixtures/tls) it shows:
// 1. `Deno.startTls` upgrades a `Deno.Conn` with no read pending;
// 2. it refuses one with a read pending (`Busy: TCP stream is currently in use`; the conn is
//    gone after that: closing it gives BadResource), and a public `Deno.Conn` read cannot
//    be cancelled: a reader that reads ahead (the Sockets
//    API's readable stream does, up to its highWaterMark) holds such a read while it waits
//    for the server, which says nothing until the client's TLS hello comes;
// 3. omninet's `startTls()` on Deno (Deno's node:tls: the same rustls, whose socket can
//    stop its own read) upgrades while the plaintext readable is reading ahead.
import * as net from "node:net";
import * as tls from "node:tls";
import { readFileSync } from "node:fs";
import { connect } from "../../sockets.ts";

const fixture = (name: string) => readFileSync(new URL(`../../tests/fixtures/tls/${name}`, import.meta.url), "utf8");
const ca = fixture("ca.pem");
const secureContext = tls.createSecureContext({ cert: fixture("cert.pem"), key: fixture("key.pem") });

// "220 hello", then on any line "220 go" and TLS, echoing what comes over it.
const server = net.createServer((s) => {
  s.write("220 hello\r\n");
  s.once("data", () => {
    s.write("220 go\r\n");
    const t = new tls.TLSSocket(s, { isServer: true, secureContext });
    t.on("data", (d) => t.write(d)).on("error", () => {});
  });
});
await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
const port = (server.address() as net.AddressInfo).port;
const text = (b: Uint8Array) => new TextDecoder().decode(b).trim();

async function denoStartTls(readPending: boolean): Promise<string> {
  const conn = await Deno.connect({ hostname: "127.0.0.1", port });
  const buf = new Uint8Array(64);
  await conn.read(buf);
  await conn.write(new TextEncoder().encode("STARTTLS\r\n"));
  await conn.read(buf);
  // Once the conn is closed this read never settles (it is not awaited).
  if (readPending) conn.read(new Uint8Array(64)).catch(() => null);
  try {
    const secure = await Deno.startTls(conn, { hostname: "localhost", caCerts: [ca] });
    await secure.write(new TextEncoder().encode("secret"));
    const n = await secure.read(buf);
    secure.close();
    return `echoed "${text(buf.subarray(0, n ?? 0))}"`;
  } catch (err) {
    let after = "the conn is still open";
    try {
      conn.close();
    } catch (e) {
      after = `closing the conn then: ${(e as Error).name}`;
    }
    return `${(err as Error).name}: ${(err as Error).message} (${after})`;
  }
}

async function omninetStartTls(): Promise<string> {
  const socket = connect(`127.0.0.1:${port}`, { secureTransport: "starttls", ca: [ca] } as never);
  const reader = socket.readable.getReader();
  await reader.read(); // the greeting; the stream reads ahead from here on
  const writer = socket.writable.getWriter();
  await writer.write(new TextEncoder().encode("STARTTLS\r\n"));
  await reader.read(); // "220 go"
  reader.releaseLock();
  writer.releaseLock();
  const secure = socket.startTls({ expectedServerHostname: "localhost" });
  const w = secure.writable.getWriter();
  await w.write(new TextEncoder().encode("secret"));
  const r = secure.readable.getReader();
  const { value } = await r.read();
  await secure.close();
  return `echoed "${text(value ?? new Uint8Array())}"`;
}

console.log(`1. Deno.startTls, no read pending: ${await denoStartTls(false)}`);
console.log(`2. Deno.startTls, a read pending:  ${await denoStartTls(true)}`);
console.log(`3. omninet startTls() on Deno:     ${await omninetStartTls()}`);
server.close();
