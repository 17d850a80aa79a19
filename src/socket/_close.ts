// A Socket's end, as functions over the socket: destroy (closing or resetting the
// RawConn, then `'close'` once its handle closed, in Node's order) and the handle's close.
import { setImmediate } from "node:timers";
import { kConn, kServerHooks, kState } from "../_symbols.ts";
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
export function onClose(socket: SocketCore): void {
  const state = socket[kState];
  state.handleClosed = true;
  if (!socket.destroyed) socket.destroy();
  if (state.closeWanted) {
    state.closeWanted = false;
    setImmediate(() => socket.emit("close", state.hadError));
  }
}
