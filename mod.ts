/**
 * omninet: Node's `net` module as one runtime-neutral core, running the same socket code
 * on Node, Deno and Bun.
 *
 * The runtime is detected at first use (Bun, then Deno, then Node) and its adapter
 * picked; `createNet(adapter)` binds the same API to any adapter you choose.
 *
 * @example
 * ```ts
 * import net, { type AddressInfo } from "@omninet/net";
 *
 * const server = net.createServer((socket) => socket.pipe(socket));
 * server.listen(0, "127.0.0.1", () => {
 *   const { port } = server.address() as AddressInfo;
 *   const client = net.connect(port, "127.0.0.1", () => client.end("ping"));
 *   client.on("data", (data) => console.log(String(data)));
 *   client.on("close", () => server.close());
 * });
 * ```
 *
 * @module
 */
// The API itself is listed once, in src/api.ts: add new exports there. This entry only
// names the adapter. The npm package's `bun`, `deno` and `node` export conditions load
// runtime/bun.ts, runtime/deno.ts or runtime/node.ts instead, which bind only their own
// adapter (scripts/build_npm.ts).
import { adapter as nodeAdapter } from "./adapters/node/mod.ts";
import { adapter as denoAdapter } from "./adapters/deno/mod.ts";
import { adapter as bunAdapter } from "./adapters/bun/mod.ts";
import { setRuntimeAdapter } from "./src/_runtime_adapter.ts";

setRuntimeAdapter(() => "Bun" in globalThis ? bunAdapter : "Deno" in globalThis ? denoAdapter : nodeAdapter);

export * from "./src/api.ts";
export { default } from "./src/api.ts";
