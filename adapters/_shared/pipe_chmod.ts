// Setting a listening Unix socket's mode exactly, as Node 24's `uv_pipe_chmod` does (older
// libuv only adds bits), for the adapters that run on Node's file system API.
import { chmodSync } from "node:fs";
import { systemError } from "../../src/errors/system_errors.ts";
import { runtimePlatform } from "./runtime_platform.ts";

/** chmod `path` to `mode`; null, or the failure as Node reports it (`uv_pipe_chmod EPERM`). */
export function chmodPipe(path: string, mode: number): Error | null {
  try {
    chmodSync(path, mode);
    return null;
  } catch (err) {
    const code = (err as { code?: unknown }).code;
    return typeof code === "string"
      ? systemError(runtimePlatform, code, "uv_pipe_chmod")
      : systemError(runtimePlatform, "UNKNOWN", "uv_pipe_chmod", { cause: err });
  }
}
