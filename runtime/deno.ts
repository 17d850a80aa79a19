/**
 * omninet bound to the Deno adapter: the npm package's `deno` export condition loads this
 * entry instead of `mod.ts`, so Deno loads no other runtime's adapter. Same API as
 * `mod.ts` (see `src/api.ts`).
 *
 * @example
 * ```ts ignore
 * import net from "omninet"; // resolves here under Deno
 * net.createServer((socket) => socket.pipe(socket)).listen(0, "127.0.0.1");
 * ```
 *
 * @module
 */
import { adapter } from "../adapters/deno/mod.ts";
import { setRuntimeAdapter } from "../src/_runtime_adapter.ts";

setRuntimeAdapter(() => adapter);

export * from "../src/api.ts";
export { default } from "../src/api.ts";
