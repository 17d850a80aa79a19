// Node's underscore members of net.Socket that code in the wild reads or calls
// (`socket._handle`, `_connecting`, `_getpeername()` …), defined on the prototype here so
// the class itself shows only the documented API. Each answers from the socket's state as
// Node's does in the same phase: tests/surface_test.ts compares them with node:net's.
import type { Buffer } from "node:buffer";
import { kConn, kState } from "../_symbols.ts";
import { localEndpoint, peerEndpoint } from "./_options.ts";
import { writeGeneric } from "./_write.ts";
import { toBytes } from "./_util.ts";
import type { SocketCore } from "./_types.ts";

type Callback = (err?: Error | null) => void;

/**
 * What `socket._handle` is while the socket has a connection (or is opening one): a stand-in
 * for libuv's handle. Code that tests `_handle` for truth sees Node's answer; there is no
 * file descriptor to give out (`fd` is -1, as Node reports for a handle without one).
 */
export class SocketHandle {
  /** The socket this handle belongs to, as Node's `handle.owner`. */
  readonly owner: SocketCore;
  /** No descriptor is exposed by the runtimes' socket APIs. */
  readonly fd = -1;
  constructor(owner: SocketCore) {
    this.owner = owner;
  }
  /** Bytes queued in the runtime, as libuv's `writeQueueSize` (0: the core queues instead). */
  get writeQueueSize(): number {
    return 0;
  }
}

const handles = new WeakMap<SocketCore, SocketHandle>();

/** Node's `_handle`: an object from `connect()` (or accept) until destroy, else null. */
function handleOf(socket: SocketCore): SocketHandle | null {
  const state = socket[kState];
  if (socket.destroyed || !(state.hasHandle || socket[kConn])) return null;
  let handle = handles.get(socket);
  if (!handle) handles.set(socket, handle = new SocketHandle(socket));
  return handle;
}

/** Install the legacy members on `proto` (Socket.prototype). */
export function defineLegacySocketMembers(proto: SocketCore): void {
  Object.defineProperties(proto, {
    _handle: {
      get(this: SocketCore) {
        return handleOf(this);
      },
      configurable: true,
    },
    _connecting: {
      get(this: SocketCore) {
        return this.connecting;
      },
      configurable: true,
    },
    _hadError: {
      get(this: SocketCore) {
        return this[kState].hadError;
      },
      configurable: true,
    },
    _closeAfterHandlingError: { value: false, writable: true, configurable: true },
    _parent: { value: null, writable: true, configurable: true },
    _pendingEncoding: { value: "", writable: true, configurable: true },
    _pendingData: {
      get(this: SocketCore) {
        return this[kState].pendingData;
      },
      configurable: true,
    },
    _bytesDispatched: {
      get(this: SocketCore) {
        return this[kState].bytesDispatched;
      },
      configurable: true,
    },
    _sockname: {
      get(this: SocketCore) {
        return this.destroyed ? null : this[kState].sockname;
      },
      configurable: true,
    },
    _peername: {
      get(this: SocketCore) {
        return this[kState].peername;
      },
      configurable: true,
    },
    _getpeername: {
      value: function _getpeername(this: SocketCore) {
        return peerEndpoint(this) ?? {};
      },
      writable: true,
      configurable: true,
    },
    _getsockname: {
      value: function _getsockname(this: SocketCore) {
        return localEndpoint(this) ?? {};
      },
      writable: true,
      configurable: true,
    },
    _onTimeout: {
      value: function _onTimeout(this: SocketCore) {
        this.emit("timeout");
      },
      writable: true,
      configurable: true,
    },
    _reset: {
      value: function _reset(this: SocketCore & { resetAndDestroy(): unknown }) {
        return this.resetAndDestroy();
      },
      writable: true,
      configurable: true,
    },
    _writeGeneric: {
      value: function _writeGeneric(
        this: SocketCore,
        writev: boolean,
        data: unknown,
        encoding: BufferEncoding,
        cb: Callback,
      ) {
        const chunks = writev
          ? (data as { chunk: unknown; encoding: BufferEncoding }[]).map((c) => toBytes(c.chunk, c.encoding))
          : [toBytes(data as Buffer | string, encoding)];
        writeGeneric(this, chunks, cb);
      },
      writable: true,
      configurable: true,
    },
  });
}

/** Whether the socket has Node's `_handle` now (for `bufferSize`). */
export function hasHandle(socket: SocketCore): boolean {
  return handleOf(socket) !== null;
}
