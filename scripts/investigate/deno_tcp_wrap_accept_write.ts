// Deno's tcp_wrap: writes on a just-accepted handle. Node's libuv writes them at once
// (try_write, kLastWriteWasAsync 0); Deno queues every write made before the handle's first
// poll (until a timer turn; a microtask or setImmediate is not enough), and if the peer's
// FIN arrived meanwhile the queued write fails with EPIPE, its bytes never sent, although
// the peer only half-closed (case "peer half-closed"). Deno's own node:net loses the data
// the same way (a server's s.end(data) in 'connection' to a client that end()ed at once).
// The root (case 3): Deno fails every write it has queued with EPIPE when it reads a FIN.
//
//   node_modules/.bin/deno run -A scripts/investigate/deno_tcp_wrap_accept_write.ts
//   node_modules/node24/bin/node scripts/investigate/deno_tcp_wrap_accept_write.ts
// deno-lint-ignore-file no-explicit-any
import {
  connectTcp,
  errname,
  kLastWriteWasAsync,
  readChunk,
  ShutdownWrap,
  sleep,
  state,
  TCP,
  tcpWrap,
  WriteWrap,
} from "./_uv.ts";

/** Accepts into a handle of our own where the runtime does not pass one (Deno). */
function accepted(server: any, client?: any): any {
  if (client) return client;
  const c = new TCP(tcpWrap.constants.SOCKET);
  server.accept(c);
  return c;
}

const server = new TCP(tcpWrap.constants.SERVER);
server.bind("127.0.0.1", 0);
server.listen(511);
const addr: any = {};
server.getsockname(addr);

// 1. When does a write on an accepted handle complete inside the call?
const when: [string, (go: () => void) => void][] = [
  ["inside onconnection", (go) => go()],
  ["after a microtask", (go) => queueMicrotask(go)],
  ["after setImmediate", (go) => setImmediate(go)],
  ["after setTimeout(0)", (go) => setTimeout(go, 0)],
];
for (const [label, schedule] of when) {
  const result = new Promise<string>((resolve) => {
    server.onconnection = (_status: number, client?: any) => {
      const c = accepted(server, client);
      schedule(() => {
        const req = new WriteWrap();
        req.handle = c;
        req.oncomplete = () => {};
        c.writeBuffer(req, new Uint8Array(10));
        resolve(state[kLastWriteWasAsync] === 0 ? "at once" : "queued (async)");
        setTimeout(() => c.close(), 50);
      });
    };
  });
  const client = await connectTcp(addr.port);
  console.log(`write ${label}: ${await result}`);
  client.close();
  await sleep(60);
}

// 2. A write queued so, when the peer half-closes right after connecting.
{
  const log: string[] = [];
  server.onconnection = (_status: number, client?: any) => {
    const c = accepted(server, client);
    const req = new WriteWrap();
    req.handle = c;
    req.oncomplete = (status: number) => log.push(`server write oncomplete ${errname(status)}`);
    c.writeBuffer(req, new Uint8Array(32768).fill(1));
    log.push(`server write ${state[kLastWriteWasAsync] === 0 ? "at once" : "queued"}`);
  };
  const client = await connectTcp(addr.port);
  const req = new ShutdownWrap();
  req.handle = client;
  req.oncomplete = () => log.push("client shutdown done");
  client.shutdown(req);
  let got = 0;
  client.onread = (ab: ArrayBuffer) => {
    const { nread } = readChunk(ab);
    if (nread > 0) got += nread;
    else log.push(`client onread ${errname(nread)}`);
  };
  client.readStart();
  await sleep(200);
  console.log(`peer half-closed: ${log.join("; ")}; the client got ${got} of 32768 bytes`);
  client.close();
}

// 3. The same without accepting anew: writes pending (the peer does not read) when the
// peer half-closes. Node keeps them pending; Deno fails them all with EPIPE on the FIN.
{
  let peer: any;
  server.onconnection = (_status: number, client?: any) => peer = accepted(server, client);
  const client = await connectTcp(addr.port);
  const log: string[] = [];
  client.onread = (ab: ArrayBuffer) => {
    const { nread } = readChunk(ab);
    if (nread < 0) log.push(`client onread ${errname(nread)}`);
  };
  client.readStart();
  let failed = 0;
  for (let i = 0; i < 8; i++) {
    const req = new WriteWrap();
    req.handle = client;
    req.oncomplete = (status: number) => status < 0 && failed++;
    client.writeBuffer(req, new Uint8Array(1 << 20));
  }
  await sleep(50);
  const req = new ShutdownWrap();
  req.handle = peer;
  req.oncomplete = () => {};
  peer.shutdown(req);
  await sleep(200);
  console.log(`pending writes, peer half-closes: ${log.join("; ")}; ${failed} of the client's writes failed`);
  client.close();
  peer.close();
}
server.close();
