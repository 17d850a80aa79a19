// What the tcp_wrap / pipe_wrap / stream_wrap handles do, printed as `name = value` lines
// so the two runtimes' outputs diff line by line (issue 13: can omninet's Deno adapter
// run on Deno's own libuv-style handles, as the Node adapter runs on Node's?):
//
//   node_modules/.bin/deno run -A scripts/investigate/deno_tcp_wrap_probe.ts > /tmp/deno.txt
//   node_modules/node24/bin/node scripts/investigate/deno_tcp_wrap_probe.ts > /tmp/node.txt
//   diff /tmp/node.txt /tmp/deno.txt
//
// Loopback only, every wait bounded (see _uv.ts). The second half is in
// deno_tcp_wrap_probe2.ts (writes, shutdown, close, reset, pipes).
// deno-lint-ignore-file no-explicit-any
import net from "node:net";
import {
  bounded,
  close,
  connectTcp,
  errname,
  fact,
  kArrayBufferOffset,
  kReadBytesOrError,
  listenTcp,
  readChunk,
  runtime,
  sleep,
  state,
  TCP,
  TCPConnectWrap,
  tcpWrap,
  uv,
  writeBuffer,
} from "./_uv.ts";

console.error(`runtime: ${runtime}`);

// --- listen
{
  const h = new TCP(tcpWrap.constants.SERVER);
  fact("bind(127.0.0.1, 0) returns", h.bind("127.0.0.1", 0));
  fact("listen(511) returns", h.listen(511));
  const out: any = {};
  fact("getsockname(out) returns", h.getsockname(out));
  fact("getsockname out keys", Object.keys(out).sort());
  fact("server hasRef()", h.hasRef());
  const h6 = new TCP(tcpWrap.constants.SERVER);
  fact("bind6(::1, 0, 0) returns", h6.bind6("::1", 0, 0));
  fact("bind6 listen returns", h6.listen(511));
  const out6: any = {};
  h6.getsockname(out6);
  fact("bind6 getsockname family", out6.family);
  // Binding a port in use: libuv defers EADDRINUSE from bind to listen.
  const h2 = new TCP(tcpWrap.constants.SERVER);
  fact("bind(port in use) returns", errname(h2.bind("127.0.0.1", out.port)));
  fact("listen after bind(port in use) returns", errname(h2.listen(511)));
  await close(h2);
  const h3 = new TCP(tcpWrap.constants.SERVER);
  fact("bind(invalid address) returns", errname(h3.bind("999.1.1.1", 0)));
  fact("bind(not local address 10.255.255.1) returns", errname(h3.bind("10.255.255.1", 0)));
  await close(h3);
  await close(h);
  await close(h6);
}

// --- connect: return value, oncomplete's arguments, its order against onconnection
{
  const server = listenTcp();
  const log: string[] = [];
  const origin = server.handle.onconnection;
  server.handle.onconnection = (...args: any[]) => {
    log.push(`onconnection(${args.length} args: ${args[0]}, ${args[1]?.constructor?.name})`);
    origin(...args);
  };
  const handle = new TCP(tcpWrap.constants.SOCKET);
  const req = new TCPConnectWrap();
  const done = new Promise<void>((resolve) => {
    req.oncomplete = (...args: any[]) => {
      const [status, h, r, readable, writable] = args;
      log.push(
        `oncomplete(${args.length} args: status ${status}, handle same ${h === handle}, req same ${
          r === req
        }, readable ${readable}, writable ${writable})`,
      );
      resolve();
    };
  });
  let sync = true;
  queueMicrotask(() => sync = false);
  fact("connect() returns", handle.connect(req, "127.0.0.1", server.port));
  await bounded(done);
  await bounded(server.next().catch(() => {}), 200);
  fact("connect oncomplete inside connect()", sync);
  fact("connect events", log);
  const peer: any = {};
  fact("getpeername(out) returns", handle.getpeername(peer));
  fact("getpeername out", { ...peer, port: peer.port === server.port });
  fact("client setNoDelay(true) returns", handle.setNoDelay(true));
  fact("client setKeepAlive(true, 60) returns", handle.setKeepAlive(true, 60));
  fact("client hasRef() / after unref / after ref", [
    handle.hasRef(),
    (handle.unref(), handle.hasRef()),
    (handle.ref(), handle.hasRef()),
  ]);
  fact("bytesRead property / getBytesRead()", [typeof handle.bytesRead, typeof handle.getBytesRead]);
  fact("writeQueueSize property", typeof handle.writeQueueSize);
  fact("fd property", typeof handle.fd);
  await close(handle);
  for (const a of server.accepted) await close(a);
  await close(server.handle);
}

// --- connect failures
{
  const server = listenTcp();
  const port = server.port;
  await close(server.handle);
  const fail = (host: string) =>
    new Promise<string>((resolve) => {
      const handle = new TCP(tcpWrap.constants.SOCKET);
      const req = new TCPConnectWrap();
      req.oncomplete = (status: number) => {
        handle.close();
        resolve(`oncomplete ${errname(status)}`);
      };
      const err = host.includes(":") ? handle.connect6(req, host, port) : handle.connect(req, host, port);
      if (err) {
        handle.close();
        resolve(`returns ${errname(err)}`);
      }
    });
  fact("connect(closed port)", await bounded(fail("127.0.0.1")));
  fact("connect6(closed port)", await bounded(fail("::1")));
  fact("connect(invalid address)", await bounded(fail("999.1.1.1")));
}

// --- reads: onread's calling convention, chunk sizes, EOF
{
  const server = listenTcp();
  const client = await connectTcp(server.port);
  const accepted = server.accepted[0] ?? await server.next();
  const onreadArgs: string[] = [];
  const sizes: number[] = [];
  let eof = "";
  let total = 0;
  const gotAll = new Promise<void>((resolve) => {
    client.onread = function (this: any, ...args: any[]) {
      if (onreadArgs.length === 0) {
        onreadArgs.push(
          `${args.length} args, arg0 ${Object.prototype.toString.call(args[0])}, this is handle ${this === client}, ` +
            `state [nread ${state[kReadBytesOrError]}, offset ${state[kArrayBufferOffset]}], ab byteLength ${
              args[0]?.byteLength
            }`,
        );
      }
      const { nread, chunk } = readChunk(args[0]);
      if (nread < 0) {
        eof = errname(nread);
        resolve();
        return;
      }
      sizes.push(nread);
      total += chunk!.length;
    };
  });
  // One 1 MiB write lands in the kernel before the reader starts.
  const w = writeBuffer(accepted, new Uint8Array(1024 * 1024).fill(7));
  await sleep(100);
  fact("readStart() returns", client.readStart());
  await bounded(w);
  const shutdownReq = new (await import("./_uv.ts")).ShutdownWrap();
  shutdownReq.handle = accepted;
  const shut = new Promise<string>((r) => shutdownReq.oncomplete = (s: number) => r(`oncomplete ${errname(s)}`));
  const sr = accepted.shutdown(shutdownReq);
  fact("shutdown() returns", sr);
  fact("shutdown result", sr === 1 ? "sync (1)" : await bounded(shut));
  await bounded(gotAll);
  fact("onread convention", onreadArgs[0]);
  fact("1 MiB read: total", total);
  fact("1 MiB read: max chunk", Math.max(...sizes));
  fact("1 MiB read: chunks of 64 KiB", sizes.filter((s) => s === 65536).length);
  fact("1 MiB read: chunk count", sizes.length);
  fact("EOF nread", eof);
  fact("UV_EOF", uv.UV_EOF);
  fact("getBytesRead / bytesRead after", client.getBytesRead?.() ?? client.bytesRead);
  await close(client);
  await close(accepted);
  await close(server.handle);
}

// --- readStop: does it leave bytes in the kernel (the writer's big write stays pending)?
{
  const server = listenTcp();
  const client = await connectTcp(server.port);
  const accepted = server.accepted[0] ?? await server.next();
  let delivered = 0;
  let calls = 0;
  client.onread = (ab: ArrayBuffer) => {
    const { nread } = readChunk(ab);
    calls++;
    if (nread > 0) delivered += nread;
    client.readStop();
  };
  client.readStart();
  let writeDone = "pending";
  writeBuffer(accepted, new Uint8Array(64 * 1024 * 1024)).then((r) => writeDone = `done ${errname(r.status)}`);
  await sleep(500);
  fact("readStop in first onread: onread calls", calls);
  fact("readStop in first onread: bytes delivered", delivered);
  fact("readStop: 64 MiB write to it after 500 ms", writeDone);
  const bytesRead = client.getBytesRead?.() ?? client.bytesRead;
  fact("readStop: bytesRead", bytesRead);
  // Close the stopped reader with bytes unread: with libuv, the kernel sends RST.
  let peerSaw = "nothing";
  accepted.onread = (ab: ArrayBuffer) => {
    const { nread } = readChunk(ab);
    if (nread < 0) peerSaw = errname(nread);
  };
  accepted.readStart();
  await close(client);
  await sleep(200);
  fact("close with unread bytes: writer's write", writeDone);
  fact("close with unread bytes: writer's onread", peerSaw);
  await close(accepted);
  await close(server.handle);
}

// --- what Deno's node:net runs on
{
  const server = net.createServer().listen(0, "127.0.0.1");
  await new Promise((r) => server.once("listening", r));
  const s = net.connect((server.address() as net.AddressInfo).port, "127.0.0.1");
  await new Promise((r) => s.once("connect", r));
  fact("node:net socket _handle class", (s as any)._handle?.constructor?.name);
  fact("node:net _handle instanceof TCP", (s as any)._handle instanceof TCP);
  s.destroy();
  server.close();
}
