// Deno's own libuv-style stream handles (`process.binding('tcp_wrap' | 'pipe_wrap' |
// 'stream_wrap')`: native TCPWrap/Pipe classes, the ones Deno's node:net runs on), shaped
// as the Node adapter's `Libuv` so that its HandleConn and HandleListener run on them
// unchanged. What Deno's handles do differently from Node's (scripts/investigate/
// deno_tcp_wrap_probe*.ts) is smoothed here, in subclasses, so a connection costs no
// closure:
//
// - A listening handle calls `onconnection(status)` without the client: the JS side
//   accepts into a handle of its own (`server.accept(client)`, as uv_accept) until EAGAIN.
// - `reset(cb)` sends RST but never calls `cb`: a `close(cb)` follows it.
// - `close(cb)` calls `cb` without the handle as `this` (Node passes it).
// - Writes on a just-accepted handle are queued until Deno's reactor has the socket, and
//   lost to a peer that half-closed meanwhile: held in `_fresh.ts` until then.
// - A write after EOF to a peer that reset is failed later (EPIPE), and data then RST
//   waiting at readStart read as the data then ECONNRESET: libuv's at once and EOF in
//   `_ended.ts`.
// - `bind`/`bind6` ignore their flags; `bindWithFlags` takes Deno's own numbers
//   (UV_TCP_REUSEPORT 4, not Node's 2). IPv6-only binding is not done at all. An address
//   this host does not have fails with EINVAL, not EADDRNOTAVAIL.
//
// Everything else measured the same as Node's: 64 KiB reads, readStop leaving bytes in
// the kernel, try_write (kLastWriteWasAsync 0), UV_EOF, ECONNRESET/EPIPE statuses,
// async shutdown, close(cb), PipeConnectWrap. Other writes failing at once report later,
// through oncomplete (always EPIPE), where Node returns them from the write call.
import process from "node:process";
import {
  type Binding,
  type ConnectReq,
  type Libuv,
  libuvFrom,
  type ShutdownReq,
  type StreamHandle,
  type WriteReq,
} from "../_shared/libuv.ts";
import { CLOSE, hold, initFresh, isFresh, markFresh, RESET, SHUTDOWN, WRITE_BUFFER, WRITEV } from "./_fresh.ts";
import { runtimePlatform } from "../_shared/runtime_platform.ts";
import { kFlags } from "./_flags.ts";
import { denoApi } from "./_deno_api.ts";
import { failsAtOnce, opening, readStarted, readStopped, trackEof, watchConnect } from "./_ended.ts";

/** The client handle class a listening handle of this class accepts into. */
const kClientClass = Symbol("omninet.clientClass");
/** The listener's own onconnection (the Node adapter's shared function). */
const kOnConnection = Symbol("omninet.onconnection");

/** At most this many connections are accepted per `onconnection` call (bounded loop). */
const ACCEPT_BATCH = 128;

// Node's uv_tcp_flags, as the Node adapter's listener passes them.
const NODE_TCP_REUSEPORT = 2;

type HandleClass = new (type: number) => StreamHandle;
type BindWithFlags = (this: StreamHandle, address: string, port: number, flags: number) => number;

/** Deno's onconnection(status) → the Node adapter's onconnection(status, client), per client. */
function acceptAll(this: StreamHandle, status: number): void {
  const onConnection = this[kOnConnection] as StreamHandle["onconnection"];
  if (onConnection === null || onConnection === undefined) return;
  if (status < 0) {
    onConnection.call(this, status);
    return;
  }
  const Client = this[kClientClass] as HandleClass;
  const SOCKET = 0;
  for (let i = 0; i < ACCEPT_BATCH; i++) {
    const client = new Client(SOCKET);
    const accept = (this as unknown as { accept(c: StreamHandle): number }).accept(client);
    if (accept !== 0) {
      client.close();
      return;
    }
    markFresh(client);
    opening(client, true);
    try {
      onConnection.call(this, 0, client);
    } finally {
      opening(client, false);
    }
  }
}

/** Makes `onconnection` of the class whose prototype this is go through acceptAll. */
function defineOnConnection(proto: object, Client: () => HandleClass): void {
  Object.defineProperty(proto, "onconnection", {
    configurable: true,
    get(this: StreamHandle) {
      return this[kOnConnection] ? acceptAll : null;
    },
    set(this: StreamHandle, fn: StreamHandle["onconnection"]) {
      this[kOnConnection] = fn;
      this[kClientClass] = Client();
    },
  });
}

/**
 * Deno's bind reports an address this host does not have as EINVAL (Node: EADDRNOTAVAIL).
 * The core passes only valid IP addresses, so an EINVAL is asked again of Deno.listen,
 * whose error names the cause.
 */
function bindError(err: number, address: string): number {
  if (err !== runtimePlatform.errno("EINVAL")) return err;
  try {
    denoApi().listen({ transport: "tcp", hostname: address, port: 0 }).close();
  } catch (e) {
    const AddrNotAvailable = denoApi().errors.AddrNotAvailable;
    if (AddrNotAvailable && e instanceof AddrNotAvailable) return runtimePlatform.errno("EADDRNOTAVAIL") ?? err;
  }
  return err;
}

/**
 * `Base` with writes, shutdown and close held while a just-accepted handle is fresh
 * (_fresh.ts), and close's callback given the handle as `this`, as Node's is.
 */
function holdingWhileFresh(Base: HandleClass) {
  return class extends Base {
    constructor(type: number) {
      super(type);
      this[kFlags] = 0;
    }
    override writeBuffer(req: WriteReq, chunk: Uint8Array): number {
      return isFresh(this) ? hold(this, WRITE_BUFFER, req, chunk) : super.writeBuffer(req, chunk);
    }
    override writev(req: WriteReq, chunks: Uint8Array[], allBuffers: boolean): number {
      return isFresh(this) ? hold(this, WRITEV, req, chunks, allBuffers) : super.writev(req, chunks, allBuffers);
    }
    override shutdown(req: ShutdownReq): number {
      return isFresh(this) ? hold(this, SHUTDOWN, req) : super.shutdown(req);
    }
    override close(cb?: (this: StreamHandle) => void): void {
      if (isFresh(this)) hold(this, CLOSE, cb);
      else super.close(cb && (() => cb.call(this)));
    }
  };
}

function load(): Libuv | null {
  const binding = (process as unknown as { binding?: (name: string) => Binding }).binding;
  if (typeof binding !== "function") return null;
  let tcp: Binding, pipe: Binding, stream: Binding;
  try {
    tcp = binding("tcp_wrap");
    pipe = binding("pipe_wrap");
    stream = binding("stream_wrap");
  } catch {
    return null;
  }
  const TCP = tcp.TCP as HandleClass | undefined;
  const Pipe = pipe.Pipe as HandleClass | undefined;
  const state = stream.streamBaseState;
  const constants = tcp.constants as { SOCKET: number; SERVER: number; UV_TCP_REUSEPORT?: number } | undefined;
  // Only the Deno this was measured on has the shape below (accept, bindWithFlags).
  if (
    typeof TCP !== "function" || typeof Pipe !== "function" || !(state instanceof Int32Array) ||
    typeof (TCP.prototype as { accept?: unknown }).accept !== "function" ||
    typeof (TCP.prototype as { bindWithFlags?: unknown }).bindWithFlags !== "function" ||
    constants === undefined
  ) return null;
  const denoReusePort = constants.UV_TCP_REUSEPORT ?? 4;

  const bindWithFlags = (TCP.prototype as unknown as { bindWithFlags: BindWithFlags }).bindWithFlags;
  const bind6 = TCP.prototype.bind6;
  const reset = (TCP.prototype as unknown as { reset(): number }).reset;
  const denoFlags = (flags: number | undefined) => ((flags ?? 0) & NODE_TCP_REUSEPORT) !== 0 ? denoReusePort : 0;
  initFresh(
    state,
    stream.kLastWriteWasAsync as number,
    stream.WriteWrap as Libuv["WriteWrap"],
    TCP.prototype.writeBuffer,
  );
  // Writes, shutdown and close on a just-accepted handle wait until Deno's reactor has it
  // (_fresh.ts): Deno would queue them and lose them to a half-closing peer.
  class DenoTCP extends holdingWhileFresh(TCP) {
    // A write after EOF to a peer that reset fails at once, as libuv's does (_ended.ts).
    override writeBuffer(req: WriteReq, chunk: Uint8Array): number {
      return failsAtOnce(this) || super.writeBuffer(req, chunk);
    }
    override writev(req: WriteReq, chunks: Uint8Array[], allBuffers: boolean): number {
      return failsAtOnce(this) || super.writev(req, chunks, allBuffers);
    }
    // Data and the peer's RST waiting when reading starts: the data, then EOF (_ended.ts).
    override readStart(): number {
      readStarted(this);
      return super.readStart();
    }
    override readStop(): number {
      readStopped(this);
      return super.readStop();
    }
    override connect(req: ConnectReq, address: string, port?: number): number {
      watchConnect(req);
      return super.connect(req, address, port);
    }
    override connect6(req: ConnectReq, address: string, port: number): number {
      watchConnect(req);
      return super.connect6(req, address, port);
    }
    override bind(address: string, port?: number, flags?: number): number {
      return bindError(bindWithFlags.call(this, address, port ?? 0, denoFlags(flags)), address);
    }
    override bind6(address: string, port: number, flags: number): number {
      return bindError(bind6.call(this, address, port, denoFlags(flags)), address);
    }
    override reset(cb: (this: StreamHandle) => void): number {
      if (isFresh(this)) return hold(this, RESET, cb);
      const err = reset.call(this);
      if (err === 0) this.close(cb);
      return err;
    }
  }
  const DenoPipe = holdingWhileFresh(Pipe);
  defineOnConnection(DenoTCP.prototype, () => DenoTCP);
  trackEof(DenoTCP.prototype, state, stream.kReadBytesOrError as number);
  defineOnConnection(DenoPipe.prototype, () => DenoPipe);

  return libuvFrom(tcp, pipe, stream, { TCP: DenoTCP, Pipe: DenoPipe });
}

let loaded: Libuv | null | undefined;

/** Deno's handles as the Node adapter's `Libuv`, or null where they are missing or unlike the measured ones. */
export function denoHandles(): Libuv | null {
  if (loaded === undefined) loaded = "Deno" in globalThis ? load() : null;
  return loaded;
}
