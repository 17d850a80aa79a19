// A node:net socket seen through the RawConn contract. The inner socket always runs with
// allowHalfOpen and starts paused, so the core alone decides half-close and reading.
// Outgoing sockets are paused here; accepted ones arrive paused (the server's
// pauseOnConnect). The event listeners are shared functions that find the core's sink on
// the inner socket, so a connection costs no closures.
import { Socket as NetSocket, type Socket as NodeSocket } from "node:net";
import type { ConnectOptions, ConnSink, RawAddress, RawConn, WriteDone } from "../../src/contract.ts";
import { canceledError } from "../../src/errors/system_errors.ts";
import { runtimePlatform } from "../_shared/runtime_platform.ts";

/** The core's sink, kept on the inner socket for the shared listeners. */
const kSink = Symbol("omninet.sink");

type SinkSocket = NodeSocket & { [kSink]: ConnSink };

function onConnect(this: SinkSocket): void {
  this[kSink].onConnect();
}

function onData(this: SinkSocket, chunk: Uint8Array): void {
  this[kSink].onData(chunk);
}

function onEnd(this: SinkSocket): void {
  this[kSink].onEnd();
}

function onError(this: SinkSocket, err: Error): void {
  this[kSink].onError(err);
}

function onClose(this: SinkSocket): void {
  this[kSink].onClose();
}

/** Chunks below this size are written together with their neighbours (one writev). */
const SMALL_CHUNK = 16 * 1024;
/** At most this many bytes of small chunks go in one writev. */
const GROUP_BYTES = 64 * 1024;

/** Bytes handed to the inner socket so far. */
const kHanded = Symbol("omninet.handed");
/** Bytes libuv had written when the inner socket was destroyed; -1 while it is not. */
const kCut = Symbol("omninet.cut");

type AccountedSocket = NodeSocket & { [kHanded]: number; [kCut]: number | undefined };

/**
 * The inner socket's `_destroy`, noting first how many bytes libuv had written: a write
 * request finished is gone from `writableLength` (the Writable's `onwrite`), one in flight
 * or buffered is not. Node 20 later calls the callback of a request the close cancelled
 * without an error; what lies beyond this mark was not written, whatever the callback says.
 */
function destroyAccounted(this: AccountedSocket, err: Error | null, cb: (err?: Error | null) => void): void {
  if (this[kCut] === -1) this[kCut] = this[kHanded] - this.writableLength;
  Object.getPrototypeOf(this)._destroy.call(this, err, cb);
}

/** One `RawConn.write` on the inner socket: how its groups of chunks went. */
interface WriteState {
  /** An error was reported: nothing more is. */
  failed: boolean;
  /** Groups reported accepted at once, inside `write` (their callbacks report nothing). */
  synced: number;
}

/**
 * The inner write's callback for group `group` (`count` chunks ending at byte `end`):
 * reports them to `done`, unless they were reported at once.
 */
function accountFor(
  s: AccountedSocket,
  state: WriteState,
  group: number,
  end: number,
  count: number,
  done: WriteDone,
): (err?: Error | null) => void {
  return (err) => {
    if (state.failed || group < state.synced) return;
    const cut = s[kCut]!;
    if (!err && cut >= 0 && end > cut) err = canceledError(runtimePlatform, "write");
    if (err) {
      state.failed = true;
      done(err, 0);
    } else done(null, count);
  };
}

/** The parts of node:net's stream handle that `readStop` uses (Node's and Deno's have them). */
interface ReadingHandle {
  reading: boolean;
  readStop(): number;
}

/** Wraps one node:net socket. An accepted one gets its sink through `onConnection` (`setSink`). */
export class NodeConn implements RawConn {
  #socket: NodeSocket;
  /** Outgoing (connect passes the sink): needs `connect` and a pause of its own. */
  #outgoing: boolean;
  #attached = false;
  #reading = false;
  #listening = false;
  /** readStop stopped the inner handle itself (readStart starts it again). */
  #handleStopped = false;
  /** A Unix socket's ends, `{ path }` (node:net reports no address for them). */
  #pipe: { local: RawAddress; remote: RawAddress } | null;

  constructor(socket: NodeSocket, sink?: ConnSink, pipe: { local: string; remote: string } | null = null) {
    this.#socket = socket;
    this.#pipe = pipe && { local: { path: pipe.local }, remote: { path: pipe.remote } };
    this.#outgoing = sink !== undefined;
    // No read-ahead of the inner socket's own: with a high-water mark of 0 its Readable
    // asks the handle for more only while flowing (readStart), never to fill a buffer of
    // its own while the core has stopped reading. The core's Readable is the only buffer.
    const state = (socket as NodeSocket & { _readableState?: { highWaterMark: number } })._readableState;
    if (state) state.highWaterMark = 0;
    if (sink) {
      socket.pause();
      this.setSink(sink);
    }
  }

  /** The core's callbacks: at construction (outgoing) or from `onConnection`'s `attach` (accepted). */
  setSink(sink: ConnSink): void {
    const s = this.#socket as SinkSocket;
    s[kSink] = sink;
    if (this.#attached) return;
    this.#attached = true;
    if (this.#outgoing) s.on("connect", onConnect);
    s.on("end", onEnd);
    s.on("error", onError);
    s.on("close", onClose);
  }

  readStart(): void {
    if (this.#reading) return;
    this.#reading = true;
    const s = this.#socket;
    if (!this.#listening) {
      this.#listening = true;
      s.on("data", onData);
    }
    if (s.isPaused()) s.resume();
    if (this.#handleStopped) {
      // readStop stopped the handle where the Readable may still count a read as asked
      // for (state.reading), so resume() alone would not call _read: start it as Node's
      // Socket#_read does (it starts the handle only when not reading, reports errors).
      this.#handleStopped = false;
      const handle = (s as NodeSocket & { _handle?: ReadingHandle | null })._handle;
      if (handle && !handle.reading && !s.destroyed) (s as NodeSocket & { _read(n: number): void })._read(0);
    }
  }

  readStop(): void {
    if (!this.#reading) return;
    this.#reading = false;
    const s = this.#socket as NodeSocket & { _handle?: ReadingHandle | null };
    s.pause();
    // pause() alone only stops the flow: the inner socket would go on reading from the
    // kernel into its own buffer up to its high-water mark. Stop its handle as Node's
    // onStreamRead does when push() returns false, so unread bytes stay in the kernel
    // (bytesRead stops where node:net's does, and destroy() then resets the peer).
    // readStart starts it again.
    const handle = s._handle;
    if (handle && handle.reading && typeof handle.readStop === "function") {
      handle.reading = false;
      handle.readStop();
      this.#handleStopped = true;
    }
  }

  write(chunks: Uint8Array[], done: WriteDone): void {
    const s = this.#socket as AccountedSocket;
    if (s[kCut] === undefined) {
      s[kHanded] = 0;
      s[kCut] = -1;
      s._destroy = destroyAccounted;
    }
    const n = chunks.length;
    const state: WriteState = { failed: false, synced: 0 };
    // libuv's try_write: a write the inner socket completed inside its write() call left
    // nothing in its Writable (its callback only comes on the next tick). Leading groups
    // that did so are reported accepted before this call returns; one that failed at once
    // errored the inner socket (EPIPE) and is reported failed.
    let atOnce = true;
    let chunksAtOnce = 0;
    let failure: Error | null = null;
    for (let i = 0, group = 0; i < n; group++) {
      // Big chunks go one by one, as Node's own writes do (each its own libuv request, so
      // each is accepted or not on its own); runs of small ones as one request (writev).
      let j = i;
      let bytes = chunks[i].byteLength;
      if (bytes < SMALL_CHUNK) {
        while (j + 1 < n && chunks[j + 1].byteLength < SMALL_CHUNK && bytes + chunks[j + 1].byteLength <= GROUP_BYTES) {
          bytes += chunks[++j].byteLength;
        }
      }
      s[kHanded] += bytes;
      const idle: boolean = atOnce && s.writableLength === 0 && !s.destroyed;
      const cb = accountFor(s, state, group, s[kHanded], j - i + 1, done);
      if (j === i) s.write(chunks[i], cb);
      else {
        s.cork();
        for (let k = i; k < j; k++) s.write(chunks[k]);
        s.write(chunks[j], cb);
        s.uncork();
      }
      if (atOnce) {
        if (idle && s.errored) {
          failure = s.errored;
          break;
        }
        // An empty group leaves nothing behind either way: it cannot tell.
        atOnce = idle && bytes > 0 && s.writableLength === 0 && !s.destroyed;
        if (atOnce) {
          state.synced = group + 1;
          chunksAtOnce += j - i + 1;
        }
      }
      i = j + 1;
    }
    if (failure !== null) {
      state.failed = true;
      done(failure, chunksAtOnce);
    } else if (chunksAtOnce > 0) done(null, chunksAtOnce);
  }

  shutdown(done: (err?: Error | null) => void): void {
    this.#socket.end(done);
  }

  close(): void {
    this.#socket.destroy();
  }

  reset(): void {
    const s = this.#socket;
    if (s.destroyed) return;
    if (typeof s.resetAndDestroy === "function" && !s.connecting) s.resetAndDestroy();
    else s.destroy();
  }

  setNoDelay(enable: boolean): void {
    this.#socket.setNoDelay(enable);
  }

  setKeepAlive(enable: boolean, initialDelayMs: number): void {
    this.#socket.setKeepAlive(enable, initialDelayMs);
  }

  ref(): void {
    this.#socket.ref();
  }

  unref(): void {
    this.#socket.unref();
  }

  localAddress(): RawAddress | undefined {
    if (this.#pipe !== null) return this.#pipe.local;
    const a = this.#socket.address();
    if (a && typeof a === "object" && "port" in a) {
      return { address: a.address, family: a.family as "IPv4" | "IPv6", port: a.port };
    }
    return undefined;
  }

  remoteAddress(): RawAddress | undefined {
    if (this.#pipe !== null) return this.#pipe.remote;
    const s = this.#socket;
    if (s.remoteAddress === undefined) return undefined;
    return { address: s.remoteAddress, family: s.remoteFamily as "IPv4" | "IPv6", port: s.remotePort! };
  }
}

/**
 * Open an outgoing connection with the runtime's `node:net` (Node's; Deno's for what
 * Deno.connect cannot do: a local address or port, port 0). `options.host` is an IP
 * address, so node:net connects without a lookup of its own.
 */
export function connectNodeNet(options: ConnectOptions, sink: ConnSink): RawConn {
  const socket = new NetSocket({ allowHalfOpen: true });
  const conn = new NodeConn(socket, sink, "path" in options ? { local: "", remote: options.path } : null);
  if ("path" in options) {
    socket.connect({ path: options.path });
  } else {
    socket.connect({
      host: options.host,
      port: options.port,
      family: options.family,
      localAddress: options.localAddress,
      localPort: options.localPort,
      autoSelectFamily: false,
    });
  }
  return conn;
}
