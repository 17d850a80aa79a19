// Type tests: omninet's public types stand in for node:net's wherever @types/node's say
// `net.Socket`, `net.Server` or one of net's option types. `tsc` compiles this file in
// `npm test`; each line that stops compiling is a type users would trip over. Nothing
// here runs (the file has no test suite).
import type * as nodeNet from "node:net";
import * as dns from "node:dns";
import net, { connect, createConnection, createServer, Server, Socket } from "../../mod.ts";

declare const port: number;

// A socket from omninet where a library's types say net.Socket.
const typed: nodeNet.Socket = net.connect(port, "127.0.0.1");
function useSocket(socket: nodeNet.Socket): void {
  socket.write("x");
}
useSocket(connect(port));
useSocket(createConnection({ port }));
useSocket(new Socket());

// A server from omninet where net.Server is expected.
const server: nodeNet.Server = createServer((socket: nodeNet.Socket) => socket.end());
function useServer(s: nodeNet.Server): void {
  s.close();
}
useServer(new Server());

// Node's option types are accepted as they are.
declare const connectOpts: nodeNet.NetConnectOpts;
declare const tcpOpts: nodeNet.TcpNetConnectOpts;
declare const ipcOpts: nodeNet.IpcNetConnectOpts;
declare const listenOpts: nodeNet.ListenOptions;
declare const ctorOpts: nodeNet.SocketConstructorOpts;
declare const serverOpts: nodeNet.ServerOpts;
connect(connectOpts);
connect(tcpOpts, () => {});
connect(ipcOpts);
new Socket(ctorOpts).connect(tcpOpts);
createServer(serverOpts).listen(listenOpts, () => {});

// dns.lookup itself is a valid lookup option.
connect({ port, host: "localhost", lookup: dns.lookup });

// Event listeners are typed as in @types/node.
typed.on("data", (data: Buffer) => data.byteLength);
server.on("connection", (socket: nodeNet.Socket) => socket.remoteAddress);
net.connect(port).on("lookup", (err: Error | null, address: string, family: string | number, host: string) => {
  void [err, address, family, host];
});

// A user lookup that answers with any numeric family (as dns.lookup's types say) fits.
connect({
  port,
  lookup: (_host, _options, callback) => callback(null, [{ address: "127.0.0.1", family: 4 as number }]),
});

// What node:net's types refuse, omninet's refuse too.
// @ts-expect-error: a port is a number or a string
connect({ port: true });
// @ts-expect-error: allowHalfOpen is a boolean
new Socket({ allowHalfOpen: "yes" });
// @ts-expect-error: listen's callback takes no error
createServer().listen(0, (err: Error) => err);
