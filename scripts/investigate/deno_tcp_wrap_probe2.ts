// Second half of deno_tcp_wrap_probe.ts: writes (sync or async, oncomplete's arguments),
// writev, strings, close/reset, errors after the peer's reset, accepting a backlog, and
// Unix sockets through pipe_wrap. Same use:
//
//   node_modules/.bin/deno run -A scripts/investigate/deno_tcp_wrap_probe2.ts > /tmp/deno2.txt
//   node_modules/node24/bin/node scripts/investigate/deno_tcp_wrap_probe2.ts > /tmp/node2.txt
// deno-lint-ignore-file no-explicit-any
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import {
  bounded,
  close,
  connectTcp,
  errname,
  fact,
  kBytesWritten,
  kLastWriteWasAsync,
  listenTcp,
  Pipe,
  PipeConnectWrap,
  pipeWrap,
  readChunk,
  runtime,
  sleep,
  state,
  TCP,
  tcpWrap,
  WriteWrap,
} from "./_uv.ts";

console.error(`runtime: ${runtime}`);

/** Calls `write(req)` and describes what happened: return, state, oncomplete (args, when). */
async function describeWrite(handle: any, write: (req: any) => number, wait = 300): Promise<string> {
  const req = new WriteWrap();
  req.handle = handle;
  let inside = true;
  let completed = "no oncomplete";
  req.oncomplete = (...args: any[]) => {
    completed = `oncomplete(${args.length} args: ${errname(args[0])}, handle same ${args[1] === handle}, error ${
      args[2]
    }) ${inside ? "inside the call" : "later"}`;
  };
  const ret = write(req);
  inside = false;
  const now = `returns ${errname(ret)}, kLastWriteWasAsync ${state[kLastWriteWasAsync]}, kBytesWritten ${
    state[kBytesWritten]
  }, req.async ${req.async}, req.bytes ${req.bytes}`;
  await sleep(wait);
  return `${now}; ${completed}`;
}

const pair = async () => {
  const server = listenTcp();
  const client = await connectTcp(server.port);
  const accepted = server.accepted[0] ?? await server.next();
  return { server, client, accepted };
};
// Bounded: Deno's close(cb) can wait for an unrelated wake-up (deno_tcp_wrap_close_delay.ts).
const closeAll = async (...hs: any[]) => {
  for (const h of hs) await bounded(close(h), 1000);
};

// --- writes to a reading peer (small: taken at once by the kernel, libuv's try_write)
{
  const { server, client, accepted } = await pair();
  let got = 0;
  accepted.onread = (ab: ArrayBuffer) => {
    const { nread } = readChunk(ab);
    if (nread > 0) got += nread;
  };
  accepted.readStart();
  const buf = new Uint8Array(100).fill(1);
  fact("writeBuffer(100 B)", await describeWrite(client, (req) => client.writeBuffer(req, buf)));
  fact("writev(2 buffers, allBuffers)", await describeWrite(client, (req) => client.writev(req, [buf, buf], true)));
  fact(
    "writev(mixed, [chunk, enc, ...])",
    await describeWrite(client, (req) => client.writev(req, [buf, "buffer", "héllo", "utf8"], false)),
  );
  fact("writeUtf8String(héllo)", await describeWrite(client, (req) => client.writeUtf8String(req, "héllo")));
  fact("writeLatin1String(abc)", await describeWrite(client, (req) => client.writeLatin1String(req, "abc")));
  fact("peer got bytes", got);
  fact("getBytesWritten / bytesWritten", client.getBytesWritten?.() ?? client.bytesWritten);
  // A write bigger than the kernel takes while the peer stops reading: async.
  accepted.readStop();
  fact(
    "writeBuffer(32 MiB) to a stopped peer",
    await describeWrite(client, (req) => client.writeBuffer(req, new Uint8Array(32 * 1024 * 1024)), 300),
  );
  fact("writeQueueSize while pending", client.writeQueueSize);
  // Closing with that write pending: its oncomplete says ECANCELED, as libuv's.
  const req = new WriteWrap();
  req.handle = client;
  const cancelled = new Promise<string>((r) => req.oncomplete = (s: number) => r(errname(s)));
  client.writeBuffer(req, new Uint8Array(32 * 1024 * 1024));
  let closeCbInside = true;
  const closed = new Promise<string>((r) => client.close(() => r(closeCbInside ? "inside close()" : "later")));
  closeCbInside = false;
  fact("pending write at close(): oncomplete", await bounded(cancelled, 1000));
  fact("close(cb): cb runs", await bounded(closed, 1000));
  await closeAll(accepted, server.handle);
}

// --- reset(cb): the peer sees ECONNRESET; then a write to the reset peer
{
  const { server, client, accepted } = await pair();
  let peerSaw = "nothing";
  accepted.onread = (ab: ArrayBuffer) => {
    const { nread } = readChunk(ab);
    peerSaw = nread < 0 ? errname(nread) : `data ${nread}`;
  };
  accepted.readStart();
  fact("reset exists", typeof client.reset);
  const r = new Promise<string>((res) => {
    const ret = client.reset(() => res(`returns ${ret}, cb ran`));
  });
  fact("reset(cb)", await bounded(r, 1000));
  await sleep(100);
  fact("peer's onread after reset", peerSaw);
  fact(
    "writeBuffer after peer's reset",
    await describeWrite(accepted, (req) => accepted.writeBuffer(req, new Uint8Array(10))),
  );
  fact(
    "second writeBuffer after peer's reset",
    await describeWrite(accepted, (req) => accepted.writeBuffer(req, new Uint8Array(10))),
  );
  await closeAll(accepted, server.handle);
}

// --- readStart before the connect completed; readStop / readStart resumes
{
  const server = listenTcp();
  const handle = new TCP(tcpWrap.constants.SOCKET);
  const req = new (tcpWrap.TCPConnectWrap)();
  const connected = new Promise<number>((r) => req.oncomplete = (s: number) => r(s));
  handle.connect(req, "127.0.0.1", server.port);
  fact("readStart() while connecting returns", errname(handle.readStart()));
  await bounded(connected);
  const accepted = server.accepted[0] ?? await server.next();
  let got = 0;
  handle.onread = (ab: ArrayBuffer) => {
    const { nread } = readChunk(ab);
    if (nread > 0) got += nread;
  };
  fact("readStart() after connect returns", handle.readStart());
  await describeWrite(accepted, (r) => accepted.writeBuffer(r, new Uint8Array(10)), 100);
  fact("bytes after readStart (while connecting, then again)", got);
  fact("readStop() returns", handle.readStop());
  await describeWrite(accepted, (r) => accepted.writeBuffer(r, new Uint8Array(10)), 100);
  fact("bytes while stopped", got);
  handle.readStart();
  await sleep(100);
  fact("bytes after readStart again", got);
  await closeAll(handle, accepted, server.handle);
}

// --- a backlog of 20 connections: onconnection calls
{
  const server = listenTcp();
  let calls = 0;
  const inner = server.handle.onconnection;
  server.handle.onconnection = (...args: any[]) => {
    calls++;
    inner(...args);
  };
  const clients = await Promise.all(Array.from({ length: 20 }, () => connectTcp(server.port)));
  await sleep(100);
  fact("20 connects: accepted", server.accepted.length);
  fact("20 connects: onconnection calls <= 20", calls <= 20);
  await closeAll(...clients, ...server.accepted, server.handle);
}

// --- errors: bind on a fresh handle each
{
  const b = (host: string) => {
    const h = new TCP(tcpWrap.constants.SERVER);
    const r = host.includes(":") ? h.bind6(host, 0, 0) : h.bind(host, 0);
    const l = r === 0 ? h.listen(1) : "-";
    h.close();
    return `bind ${errname(r)}, listen ${typeof l === "number" ? errname(l) : l}`;
  };
  fact("fresh bind(10.255.255.1)", b("10.255.255.1"));
  fact("fresh bind6(::2)", b("::2"));
  const low = new TCP(tcpWrap.constants.SERVER);
  const r = low.bind("127.0.0.1", 1);
  fact("bind(port 1) as non-root", `bind ${errname(r)}, listen ${errname(low.listen(1))}`);
  low.close();
}

// --- Unix sockets (pipe_wrap)
{
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "tcpwrap-"));
  const file = path.join(dir, "s.sock");
  const server = new Pipe(pipeWrap.constants.SERVER);
  fact("Pipe bind(path) returns", server.bind(file));
  fact("Pipe listen(511) returns", server.listen(511));
  const accepted: any[] = [];
  server.onconnection = (status: number, client: any) => {
    if (client) accepted.push(client);
    else {
      const c = new Pipe(pipeWrap.constants.SOCKET);
      if (server.accept(c) === 0) accepted.push(c);
    }
    fact("Pipe onconnection", `status ${status}, client ${client ? "given" : "not given"}`);
  };
  const client = new Pipe(pipeWrap.constants.SOCKET);
  const req = new PipeConnectWrap();
  const done = new Promise<string>((r) =>
    req.oncomplete = (...a: any[]) =>
      r(`${a.length} args: ${errname(a[0])}, handle same ${a[1] === client}, readable ${a[3]}, writable ${a[4]}`)
  );
  fact("Pipe connect(req, path) returns", client.connect(req, file));
  fact("Pipe connect oncomplete", await bounded(done));
  await sleep(50);
  fact("Pipe getsockname exists", typeof client.getsockname);
  let got = 0;
  client.onread = (ab: ArrayBuffer) => {
    const { nread } = readChunk(ab);
    if (nread > 0) got += nread;
  };
  client.readStart();
  if (accepted[0]) {
    fact("Pipe write", await describeWrite(accepted[0], (r) => accepted[0].writeBuffer(r, new Uint8Array(5)), 100));
  }
  fact("Pipe client got", got);
  const bad = new Pipe(pipeWrap.constants.SOCKET);
  const badReq = new PipeConnectWrap();
  const badDone = new Promise<string>((r) => badReq.oncomplete = (s: number) => r(`oncomplete ${errname(s)}`));
  const ret = bad.connect(badReq, path.join(dir, "missing.sock"));
  fact("Pipe connect(missing path)", ret ? `returns ${errname(ret)}` : await bounded(badDone));
  await closeAll(client, bad, ...accepted, server);
  fs.rmSync(dir, { recursive: true, force: true });
}
