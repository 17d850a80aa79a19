// The libuv-style handle bindings that Node and Deno both expose through
// `process.binding('tcp_wrap' | 'pipe_wrap' | 'stream_wrap' | 'uv')`, loosely typed, and
// small promise helpers over them for the deno_tcp_wrap_* probes and micro-benchmarks.
// Runs on Node 24 (type stripping) and on Deno; nothing here is used by the library.
// deno-lint-ignore-file no-explicit-any
import process from "node:process";

type Binding = Record<string, any>;
const binding = (name: string): Binding => (process as unknown as { binding(n: string): Binding }).binding(name);

export const tcpWrap: Binding = binding("tcp_wrap");
export const pipeWrap: Binding = binding("pipe_wrap");
export const streamWrap: Binding = binding("stream_wrap");
export const uv: Binding = binding("uv");
export const TCP: any = tcpWrap.TCP;
export const TCPConnectWrap: any = tcpWrap.TCPConnectWrap;
export const Pipe: any = pipeWrap.Pipe;
export const PipeConnectWrap: any = pipeWrap.PipeConnectWrap;
export const WriteWrap: any = streamWrap.WriteWrap;
export const ShutdownWrap: any = streamWrap.ShutdownWrap;
export const state: Int32Array = streamWrap.streamBaseState;
export const kReadBytesOrError: number = streamWrap.kReadBytesOrError;
export const kArrayBufferOffset: number = streamWrap.kArrayBufferOffset;
export const kBytesWritten: number = streamWrap.kBytesWritten;
export const kLastWriteWasAsync: number = streamWrap.kLastWriteWasAsync;
/** libuv's end of stream. */
export const UV_EOF = -4095;
export const runtime = (globalThis as { Deno?: unknown }).Deno ? "deno" : "node";

/** `uv.errname(n)`, or the number itself for 0 and positive results. */
export function errname(n: number): string {
  return typeof n === "number" && n < 0 ? `${uv.errname(n)}(${n})` : String(n);
}

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Print one fact as `name = value` (strings as they are, the rest as JSON). */
export function fact(name: string, value: unknown): void {
  console.log(`${name} = ${typeof value === "string" ? value : JSON.stringify(value)}`);
}

/** Resolves with `f()`'s value, or "TIMEOUT" after `ms` (every probe wait is bounded). */
export function bounded<T>(p: Promise<T>, ms = 2000): Promise<T | "TIMEOUT"> {
  let t: ReturnType<typeof setTimeout>;
  return Promise.race([p, new Promise<"TIMEOUT">((r) => t = setTimeout(() => r("TIMEOUT"), ms))])
    .finally(() => clearTimeout(t));
}

/** Reads a handle's onread call the way node:net's onStreamRead does. */
export function readChunk(arrayBuffer: ArrayBuffer | undefined): { nread: number; chunk?: Uint8Array } {
  const nread = state[kReadBytesOrError];
  if (nread <= 0 || !arrayBuffer) return { nread };
  return { nread, chunk: new Uint8Array(arrayBuffer, state[kArrayBufferOffset], nread) };
}

export interface Server {
  handle: any;
  port: number;
  /** Accepted handles, in order. */
  accepted: any[];
  /** Resolves with the next accepted handle. */
  next(): Promise<any>;
}

/** A TCP listener on loopback (IPv4 or IPv6), port 0. */
export function listenTcp(host = "127.0.0.1", backlog = 511): Server {
  const handle = new TCP(tcpWrap.constants.SERVER);
  const bindErr = host.includes(":") ? handle.bind6(host, 0, 0) : handle.bind(host, 0);
  if (bindErr) throw new Error(`bind ${errname(bindErr)}`);
  const waiting: ((h: any) => void)[] = [];
  const server: Server = {
    handle,
    port: 0,
    accepted: [],
    next: () => new Promise((r) => waiting.push(r)),
  };
  const take = (client: any) => {
    server.accepted.push(client);
    const w = waiting.shift();
    if (w) w(client);
  };
  handle.onconnection = (status: number, client: any) => {
    if (status !== 0) throw new Error(`onconnection ${errname(status)}`);
    if (client) return take(client); // Node: libuv accepted it already
    // Deno: onconnection(status) only; the JS side accepts into a handle of its own, as
    // uv_accept(server, client) does, until EAGAIN.
    for (let i = 0; i < 1024; i++) {
      const c = new TCP(tcpWrap.constants.SOCKET);
      if (handle.accept(c) !== 0) break;
      take(c);
    }
  };
  const listenErr = handle.listen(backlog);
  if (listenErr) throw new Error(`listen ${errname(listenErr)}`);
  const out: Record<string, unknown> = {};
  handle.getsockname(out);
  server.port = out.port as number;
  return server;
}

/** Connects a new TCP handle; resolves with the handle once oncomplete reports success. */
export function connectTcp(port: number, host = "127.0.0.1"): Promise<any> {
  return new Promise((resolve, reject) => {
    const handle = new TCP(tcpWrap.constants.SOCKET);
    const req = new TCPConnectWrap();
    req.oncomplete = (status: number) => status === 0 ? resolve(handle) : reject(new Error(errname(status)));
    const err = host.includes(":") ? handle.connect6(req, host, port) : handle.connect(req, host, port);
    if (err) reject(new Error(`connect returned ${errname(err)}`));
  });
}

/** Writes one buffer; resolves with the status, and whether it completed inside the call. */
export function writeBuffer(handle: any, data: Uint8Array): Promise<{ status: number; sync: boolean }> {
  return new Promise((resolve) => {
    const req = new WriteWrap();
    req.handle = handle;
    req.oncomplete = (status: number) => resolve({ status, sync: false });
    const err = handle.writeBuffer(req, data);
    if (err) resolve({ status: err, sync: true });
    else if (state[kLastWriteWasAsync] === 0) resolve({ status: 0, sync: true });
  });
}

/** Closes a handle; resolves once its close callback ran. */
export function close(handle: any): Promise<void> {
  return new Promise((r) => handle.close(() => r()));
}
