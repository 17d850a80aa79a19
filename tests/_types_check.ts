// Compile-time checks of the public types (run by `deno check` and `tsc` in `npm test`;
// nothing here executes). Each line fails to compile if a listener's argument type is
// wrong or degrades to `any`.
import type { Buffer } from "node:buffer";
import net, { type DropData, type Socket } from "../mod.ts";

type Equal<A, B> = (<T>() => T extends A ? 1 : 2) extends (<T>() => T extends B ? 1 : 2) ? true : false;
function expectType<T>(_value: T): void {}

export function listenerTypes(socket: Socket): void {
  socket.on("data", (data) => expectType<Equal<typeof data, Buffer>>(true));
  socket.once("close", (hadError) => expectType<Equal<typeof hadError, boolean>>(true));
  socket.on("error", (err) => expectType<Equal<typeof err, Error>>(true));
  socket.on(
    "connectionAttempt",
    (ip, port, family) => expectType<Equal<[typeof ip, typeof port, typeof family], [string, number, number]>>(true),
  );
  const server = net.createServer();
  server.on("connection", (peer) => expectType<Equal<typeof peer, Socket>>(true));
  server.on("drop", (data) => expectType<Equal<typeof data, DropData | undefined>>(true));
  server.on("close", (...args) => expectType<Equal<typeof args, []>>(true));
}
