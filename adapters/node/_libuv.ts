// Node's libuv stream handles, the ones node:net itself is built on: `TCP` and `Pipe`
// (`tcp_wrap`, `pipe_wrap`), their connect, write and shutdown requests (`stream_wrap`),
// and the shared state array each read and write reports through. Reached through
// `process.binding`, which Node keeps for these modules (a documentation-only deprecation,
// DEP0111; no warning unless `--pending-deprecation`). Where it is missing or refused (a
// runtime without it, Node's permission model), `libuv` is null and the adapter goes
// through `node:net` instead.
import process from "node:process";
import { getSystemErrorName } from "node:util";
import { systemError, type SystemErrorDetails } from "../../src/errors/system_errors.ts";
import { runtimePlatform } from "../_shared/runtime_platform.ts";
import { denoHandles } from "../deno/_handles.ts";

export type { ConnectReq, Libuv, ShutdownReq, StreamHandle, WriteReq } from "../_shared/libuv.ts";
import { type Binding, type Libuv, libuvFrom } from "../_shared/libuv.ts";

function load(): Libuv | null {
  const binding = (process as unknown as { binding?: (name: string) => Binding }).binding;
  if (typeof binding !== "function") return null;
  try {
    const tcp = binding("tcp_wrap");
    const pipe = binding("pipe_wrap");
    const stream = binding("stream_wrap");
    if (!(stream.streamBaseState instanceof Int32Array) || typeof tcp.TCP !== "function") return null;
    return libuvFrom(tcp, pipe, stream);
  } catch {
    // Node's permission model refuses process.binding (ERR_ACCESS_DENIED).
    return null;
  }
}

/**
 * Node's libuv bindings when this is Node; on Deno, Deno's own libuv-style handles shaped
 * alike (adapters/deno/_handles.ts; the Deno adapter runs HandleConn on them); else null
 * (Bun runs its own adapter).
 */
export const libuv: Libuv | null = "Bun" in globalThis
  ? null
  : "Deno" in globalThis
  ? denoHandles() as unknown as Libuv | null
  : load();

/** libuv's end of stream (`UV_EOF`), the same number on every platform. */
export const UV_EOF = -4095;

/** A libuv status as Node reports it (`read ECONNRESET`): `errno` is the status itself. */
export function uvError(status: number, syscall: string, details?: SystemErrorDetails): Error {
  let code: string;
  try {
    code = getSystemErrorName(status);
  } catch {
    code = "UNKNOWN";
  }
  const err = systemError(runtimePlatform, code, syscall, details);
  err.errno = status;
  return err;
}
