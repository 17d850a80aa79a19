// Deno's tcp_wrap: a write to a peer that is gone. Node's libuv returns the kernel's error
// from the write call (try_write); Deno returns 0 (queued) and reports EPIPE from its poll
// loop later. What can the caller learn inside the call? getpeername (the socket's TCP
// state is CLOSE after the peer's RST: ENOTCONN; on loopback the RST a write draws comes
// inside that write, so only an ENOTCONN before a write says it fails at once), and
// kLastWriteWasAsync; Deno's getBytesWritten() counts bytes handed to it, sent or not.
//
//   node_modules/.bin/deno run -A scripts/investigate/deno_write_fail_probe.ts
//   node_modules/node24/bin/node scripts/investigate/deno_write_fail_probe.ts
// deno-lint-ignore-file no-explicit-any
import { connectTcp, errname, kLastWriteWasAsync, listenTcp, readChunk, sleep, state, WriteWrap } from "./_uv.ts";

function write(handle: any, size: number, log: string[], label: string): void {
  const req = new WriteWrap();
  req.handle = handle;
  let inside = true;
  req.oncomplete = (status: number) => log.push(`${label} oncomplete ${errname(status)}${inside ? " (inside)" : ""}`);
  const before = handle.getBytesWritten?.();
  const err = handle.writeBuffer(req, new Uint8Array(size));
  const after = handle.getBytesWritten?.();
  const out: any = {};
  const peer = handle.getpeername(out);
  log.push(
    `${label}: returned ${errname(err)}, async ${state[kLastWriteWasAsync]}, getpeername ${
      errname(peer)
    }, bytesWritten ${before} -> ${after}`,
  );
  inside = false;
}

for (const halfOpen of [true, false]) {
  const server = listenTcp();
  const accepted = server.next();
  const client = await connectTcp(server.port);
  const peer = await accepted;
  const log: string[] = [];
  client.onread = (ab: ArrayBuffer) => {
    const { nread } = readChunk(ab);
    if (nread < 0) log.push(`client read ${errname(nread)}`);
  };
  if (halfOpen) client.readStart();
  await sleep(20);
  // The peer closes; with data unread on its side (halfOpen false: we write first) it sends RST.
  if (!halfOpen) write(client, 10, log, "before peer close");
  await sleep(20);
  peer.close();
  await sleep(50);
  // halfOpen: we got EOF (CLOSE_WAIT); this probe draws the peer kernel's RST.
  if (halfOpen) write(client, 10, log, "probe");
  await sleep(50);
  write(client, 1000, log, "write");
  await sleep(50);
  write(client, 1 << 20, log, "big");
  await sleep(50);
  write(client, 1000, log, "again");
  await sleep(50);
  console.log(`${halfOpen ? "half-open, peer closed" : "peer reset (unread bytes)"}: ${log.join("; ")}`);
  client.close();
  server.handle.close();
}
