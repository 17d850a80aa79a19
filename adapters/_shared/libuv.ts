// The shape of libuv's stream handles as the Node adapter's HandleConn and HandleListener
// use them (Node's own through `process.binding`, Deno's alike: adapters/deno/_handles.ts),
// and the one place that assembles them from the three bindings.

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

/** The bindings' modules, as `process.binding` returns them. */
export type Binding = Record<string, unknown>;

/**
 * The `Libuv` of `tcp_wrap`, `pipe_wrap` and `stream_wrap`, with `classes` in place of the
 * bindings' own TCP and Pipe (a runtime whose handles need smoothing passes subclasses).
 */
export function libuvFrom(
  tcp: Binding,
  pipe: Binding,
  stream: Binding,
  classes: { TCP: Libuv["TCP"]; Pipe: Libuv["Pipe"] } = {
    TCP: tcp.TCP as Libuv["TCP"],
    Pipe: pipe.Pipe as Libuv["Pipe"],
  },
): Libuv {
  const constants = tcp.constants as { SOCKET: number; SERVER: number };
  return {
    TCP: classes.TCP,
    Pipe: classes.Pipe,
    TCPConnectWrap: tcp.TCPConnectWrap as Libuv["TCPConnectWrap"],
    PipeConnectWrap: pipe.PipeConnectWrap as Libuv["PipeConnectWrap"],
    WriteWrap: stream.WriteWrap as Libuv["WriteWrap"],
    ShutdownWrap: stream.ShutdownWrap as Libuv["ShutdownWrap"],
    state: stream.streamBaseState as Int32Array,
    kReadBytesOrError: stream.kReadBytesOrError as number,
    kArrayBufferOffset: stream.kArrayBufferOffset as number,
    kLastWriteWasAsync: stream.kLastWriteWasAsync as number,
    SOCKET: constants.SOCKET,
    SERVER: constants.SERVER,
  };
}
