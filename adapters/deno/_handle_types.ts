// The shapes of Deno's libuv-style handles as _handles.ts and _fresh.ts use them: the
// same, structurally, as the Node adapter's `Libuv` types (adapters/node/_libuv.ts), declared
// here because that module loads _handles.ts (on Deno its HandleConn runs on these), and a
// type import back would close an import loop.

/** A request's completion: `this` is the request. */
type Oncomplete = (this: unknown, status: number, ...rest: unknown[]) => void;

/** A `WriteWrap`. */
export interface WriteReq {
  oncomplete: Oncomplete;
  buffer: Uint8Array | Uint8Array[] | null;
  [key: symbol]: unknown;
}

/** A `ShutdownWrap`. */
export interface ShutdownReq {
  oncomplete: Oncomplete;
  [key: symbol]: unknown;
}

/** A TCP or Pipe handle, as far as the Deno shims touch it. */
export interface StreamHandle {
  writeBuffer(req: WriteReq, chunk: Uint8Array): number;
  writev(req: WriteReq, chunks: Uint8Array[], allBuffers: boolean): number;
  shutdown(req: ShutdownReq): number;
  close(cb?: (this: StreamHandle) => void): void;
  reset?(cb: (this: StreamHandle) => void): number;
  bind(address: string, port?: number, flags?: number): number;
  bind6(address: string, port: number, flags: number): number;
  onconnection: ((this: StreamHandle, status: number, client?: StreamHandle) => void) | null;
  [key: symbol]: unknown;
}

/** Deno's bindings in the Node adapter's `Libuv` shape. */
export interface DenoLibuv {
  TCP: new (type: number) => StreamHandle;
  Pipe: new (type: number) => StreamHandle;
  TCPConnectWrap: new () => unknown;
  PipeConnectWrap: new () => unknown;
  WriteWrap: new () => WriteReq;
  ShutdownWrap: new () => ShutdownReq;
  state: Int32Array;
  kReadBytesOrError: number;
  kArrayBufferOffset: number;
  kLastWriteWasAsync: number;
  SOCKET: number;
  SERVER: number;
}
