/**
 * omninet bound to the Node adapter: the npm package's `node` export condition loads this
 * entry instead of `mod.ts`, so Node loads no other runtime's adapter. Same API as
 * `mod.ts` (see `src/api.ts`).
 *
 * @example
 * ```ts ignore
 * import net from "omninet"; // resolves here under Node
 * net.createServer((socket) => socket.pipe(socket)).listen(0, "127.0.0.1");
 * ```
 *
 * @module
 */
import { adapter } from "../adapters/node/mod.ts";
import { setRuntimeAdapter } from "../src/_runtime_adapter.ts";

setRuntimeAdapter(() => adapter);

export * from "../src/api.ts";
export { default } from "../src/api.ts";
