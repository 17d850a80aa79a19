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

/** A request's completion: `this` is the request. */
type Oncomplete<R> = (this: R, status: number, ...rest: unknown[]) => void;

/** What libuv's stream handles (`LibuvStreamWrap`, `HandleWrap`) have in common. */
export interface StreamHandle {
  /** Each read: bytes (or an error, `UV_EOF`) in `streamBaseState[kReadBytesOrError]`. */
  onread: ((this: StreamHandle, buffer?: ArrayBuffer) => void) | null;
  readStart(): number;
  readStop(): number;
  writeBuffer(req: WriteReq, chunk: Uint8Array): number;
  writev(req: WriteReq, chunks: Uint8Array[], allBuffers: boolean): number;
  /** 0: started; 1: finished at once; negative: failed. */
  shutdown(req: ShutdownReq): number;
  /** Closes the handle; `cb` runs (with the handle as `this`) once libuv closed it. */
  close(cb?: (this: StreamHandle) => void): void;
  ref(): void;
  unref(): void;
  /** A TCP handle's: send RST and close. */
  reset?(cb: (this: StreamHandle) => void): number;
  setNoDelay?(enable: boolean): number;
  setKeepAlive?(enable: boolean, delaySeconds: number): number;
  getsockname?(out: Record<string, unknown>): number;
  getpeername?(out: Record<string, unknown>): number;
  bind(address: string, port?: number, flags?: number): number;
  bind6(address: string, port: number, flags: number): number;
  listen(backlog: number): number;
  connect(req: ConnectReq, address: string, port?: number): number;
  connect6(req: ConnectReq, address: string, port: number): number;
  /** A listening handle's accept: `this` is the listening handle. */
  onconnection: ((this: StreamHandle, status: number, client?: StreamHandle) => void) | null;
  [key: symbol]: unknown;
}

/** A `WriteWrap`: the fields below are ours, kept on the request until it completes. */
export interface WriteReq {
  oncomplete: Oncomplete<WriteReq>;
  /** The bytes, held until the request completes (libuv reads them until then). */
  buffer: Uint8Array | Uint8Array[] | null;
  [key: symbol]: unknown;
}

/** A `ShutdownWrap`. */
export interface ShutdownReq {
  oncomplete: Oncomplete<ShutdownReq>;
  [key: symbol]: unknown;
}

/** A `TCPConnectWrap` or `PipeConnectWrap`. */
export interface ConnectReq {
  oncomplete: Oncomplete<ConnectReq>;
  address: string;
  port?: number;
  localAddress?: string;
  localPort?: number;
  [key: symbol]: unknown;
}

/** The bindings, or null where this runtime does not give them. */
export interface Libuv {
  TCP: new (type: number) => StreamHandle;
  Pipe: new (type: number) => StreamHandle;
  TCPConnectWrap: new () => ConnectReq;
  PipeConnectWrap: new () => ConnectReq;
  WriteWrap: new () => WriteReq;
  ShutdownWrap: new () => ShutdownReq;
  /** `[kReadBytesOrError, kArrayBufferOffset, kBytesWritten, kLastWriteWasAsync]`. */
  state: Int32Array;
  kReadBytesOrError: number;
  kArrayBufferOffset: number;
  kLastWriteWasAsync: number;
  /** `TCPConstants`/`PipeConstants`: handle types (the same numbers for both). */
  SOCKET: number;
  SERVER: number;
}

type Binding = Record<string, unknown>;

function load(): Libuv | null {
  const binding = (process as unknown as { binding?: (name: string) => Binding }).binding;
  if (typeof binding !== "function") return null;
  try {
    const tcp = binding("tcp_wrap");
    const pipe = binding("pipe_wrap");
    const stream = binding("stream_wrap");
    const constants = tcp.constants as { SOCKET: number; SERVER: number };
    const state = stream.streamBaseState;
    if (!(state instanceof Int32Array) || typeof tcp.TCP !== "function") return null;
    return {
      TCP: tcp.TCP as Libuv["TCP"],
      Pipe: pipe.Pipe as Libuv["Pipe"],
      TCPConnectWrap: tcp.TCPConnectWrap as Libuv["TCPConnectWrap"],
      PipeConnectWrap: pipe.PipeConnectWrap as Libuv["PipeConnectWrap"],
      WriteWrap: stream.WriteWrap as Libuv["WriteWrap"],
      ShutdownWrap: stream.ShutdownWrap as Libuv["ShutdownWrap"],
      state,
      kReadBytesOrError: stream.kReadBytesOrError as number,
      kArrayBufferOffset: stream.kArrayBufferOffset as number,
      kLastWriteWasAsync: stream.kLastWriteWasAsync as number,
      SOCKET: constants.SOCKET,
      SERVER: constants.SERVER,
    };
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
