// A Socket's end, as functions over the socket: destroy (closing or resetting the
// RawConn, then `'close'` once its handle closed, in Node's order) and the handle's close.
import { setImmediate } from "node:timers";
import { kAdapter, kConn, kServerHooks, kState } from "../_symbols.ts";
import { ERR_FEATURE_UNAVAILABLE_ON_PLATFORM, ERR_INVALID_HANDLE_TYPE, ERR_SOCKET_CLOSED } from "../errors/errors.ts";
import type { SocketCore } from "./_types.ts";

type Callback = (err?: Error | null) => void;

/** Implements `_destroy`: close (or reset) the RawConn; `'close'` follows its close. */
export function destroy(socket: SocketCore, err: Error | null, cb: Callback): void {
  const state = socket[kState];
  socket.connecting = false;
  state.idle.clear();
  const conn = socket[kConn];
  if (conn) {
    state.hadError = Boolean(err);
    if (state.handleClosed) {
      setImmediate(() => socket.emit("close", state.hadError));
    } else {
      state.closeWanted = true;
      if (state.reset) conn.reset();
      else conn.close();
    }
    state.reset = false;
    cb(err);
  } else {
    cb(err);
    // Node creates the handle in connect(): a socket that tried to connect reports
    // hadError; one that never did emits a bare 'close'.
    if (state.hasHandle) setImmediate(() => socket.emit("close", Boolean(err)));
    else setImmediate(() => socket.emit("close"));
  }
  const hooks = socket[kServerHooks];
  if (hooks) {
    socket[kServerHooks] = null;
    hooks.onDestroy(socket);
  }
}

/** The current RawConn's handle closed. */
export function onHandleClose(socket: SocketCore): void {
  const state = socket[kState];
  state.handleClosed = true;
  if (!socket.destroyed) {
    // The peer's FIN arrived but the reader has not taken everything before it: in Node the
    // handle stays open until then, so the bytes, then 'end', then 'close' still come.
    if (state.eof && !socket.readableEnded) socket.once("end", destroyAfterEnd);
    // A write that failed at once (EPIPE) errored the Writable, which destroys the socket
    // with that error on the next tick; a runtime that closed its handle on the failure
    // (Bun) must not close the socket cleanly first.
    else socket.destroy(socket.errored ?? undefined);
  }
  if (state.closeWanted) {
    state.closeWanted = false;
    // Node emits 'close' in libuv's close callback, after the loop turn's immediates. An
    // adapter whose onClose comes from there (`closePhase`) has it right; from any other
    // adapter it may come earlier in the turn, so 'close' waits for the immediates.
    if (socket[kAdapter].capabilities.closePhase) socket.emit("close", state.hadError);
    else setImmediate(() => socket.emit("close", state.hadError));
  }
}

function destroyAfterEnd(this: SocketCore): void {
  if (!this.destroyed) this.destroy();
}

/**
 * Implements `resetAndDestroy()`: destroy with RST (once connected), so the peer sees
 * ECONNRESET. A Unix socket throws ERR_INVALID_HANDLE_TYPE, as in Node.
 */
export function resetAndDestroy(socket: SocketCore): void {
  const state = socket[kState];
  if (state.hasHandle && !socket.destroyed) {
    if (state.pipe) throw ERR_INVALID_HANDLE_TYPE();
    // A runtime that cannot send RST says so, rather than closing with FIN silently.
    const adapter = socket[kAdapter];
    if (!adapter.capabilities.reset) {
      throw ERR_FEATURE_UNAVAILABLE_ON_PLATFORM("socket.resetAndDestroy()", adapter.name);
    }
    const resetNow = () => {
      state.reset = true;
      socket.destroy();
    };
    if (socket.connecting) socket.once("connect", resetNow);
    else resetNow();
  } else {
    socket.destroy(ERR_SOCKET_CLOSED());
  }
}
