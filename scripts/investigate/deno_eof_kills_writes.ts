// Deno's tcp_wrap: writes waiting in Deno's queue when the socket reads EOF. The peer only
// half-closed (it may still read), so Node's libuv keeps them pending and fails them only
// when the peer's RST comes (here: when it closes with our bytes unread). Deno's poll loop,
// once the handle does not read (it stops at EOF, or never started), peeks the socket
// (MSG_PEEK) and on EOF fails every queued write with EPIPE at once: the writes fail
// before the peer closed, and their bytes are lost to a peer that would have read them.
// No adapter can keep them: they are inside Deno's queue, and its poll clears the reading
// flag after the EOF callback returns (a readStart from inside it is undone).
//
//   node_modules/.bin/deno run -A scripts/investigate/deno_eof_kills_writes.ts
//   node_modules/node24/bin/node scripts/investigate/deno_eof_kills_writes.ts
import { connectTcp, errname, listenTcp, readChunk, ShutdownWrap, sleep, WriteWrap } from "./_uv.ts";

const server = listenTcp();
const accepted = server.next();
const client = await connectTcp(server.port);
const peer = await accepted; // never reads: the client's writes wait
const log: string[] = [];
client.onread = (ab: ArrayBuffer) => {
  const { nread } = readChunk(ab);
  if (nread < 0) log.push(`client read ${errname(nread)}`);
};
client.readStart();
let failed = 0;
for (let i = 0; i < 8; i++) {
  const req = new WriteWrap();
  req.handle = client;
  req.oncomplete = (status: number) => {
    if (status < 0 && failed++ === 0) log.push(`first write failure ${errname(status)}`);
  };
  client.writeBuffer(req, new Uint8Array(1 << 20));
}
await sleep(50);
const shutdown = new ShutdownWrap();
shutdown.handle = peer;
shutdown.oncomplete = () => log.push("peer half-closed");
peer.shutdown(shutdown);
await sleep(200);
log.push("peer closes");
peer.close();
await sleep(200);
console.log(`${log.join("; ")}; ${failed} of 8 writes failed`);
client.close();
server.handle.close();
