// What a Socket's connection attempt comes to, as functions over the socket: starting
// over for a (re)connect, and what a RawConn's connect or its failure means (`'connect'`,
// `'connectionAttemptFailed'`, or the Happy Eyeballs owner's decision). Opening the
// RawConn is `_open.ts`.
import type { RawConn } from "../contract.ts";
import { kConn, kState } from "../_symbols.ts";
import { withConnectDetails } from "../errors/system_errors.ts";
import { applyOptions, forgetAddresses } from "./_options.ts";
import { duplexWrite } from "./_stream_corrections.ts";
import type { Connecting, SocketCore } from "./_types.ts";

/**
 * Prepare for a (re)connect: a destroyed socket starts over, as with Node's new handle
 * (counters, read state and addresses too). `write` is the prototype's again.
 */
export function resetForConnect(socket: SocketCore, pipe: boolean): void {
  if (socket.write !== duplexWrite) socket.write = duplexWrite;
  const state = socket[kState];
  if (socket.destroyed || !state.hasHandle) {
    socket[kConn] = null;
    state.connected = false;
    state.closeWanted = false;
    state.pipe = pipe;
    forgetAddresses(socket);
    state.handleClosed = false;
    state.eof = false;
    state.bytesRead = 0;
    state.bytesDispatched = 0;
    // deno-lint-ignore no-explicit-any
    (socket as any)._undestroy();
    state.onread?.init();
  }
  state.hasHandle = true;
  state.idle.refresh();
}

/** The adapter reports `conn` connected (it is still the current one). */
export function connected(socket: SocketCore, conn: RawConn, connecting: Connecting | null): void {
  connecting?.announce?.();
  if (connecting?.hooks && !connecting.hooks.onConnect(conn)) {
    // Happy Eyeballs gave up on this attempt: close it without closing the socket.
    conn.close();
    return;
  }
  afterConnect(socket, conn);
}

/** Connecting `conn` failed: Node's `'connectionAttemptFailed'`, or the attempt's owner decides. */
export function connectFailed(socket: SocketCore, conn: RawConn, connecting: Connecting, error: Error): void {
  const { target, announce, hooks } = connecting;
  const err = withConnectDetails(error, target);
  const bind = (err as { syscall?: string }).syscall === "bind";
  if (!bind) announce?.();
  if (hooks) {
    conn.close();
    hooks.onFail(err, bind);
    return;
  }
  if (!bind) {
    if ("path" in target) socket.emit("connectionAttemptFailed", target.path, undefined, undefined, err);
    else socket.emit("connectionAttemptFailed", target.host, target.port, target.family, err);
  }
  if (!socket.destroyed) socket.destroy(err);
}

/** `conn` is connected: `'connect'`, `'ready'`, and reading starts. */
export function afterConnect(socket: SocketCore, conn: RawConn): void {
  const state = socket[kState];
  socket.connecting = false;
  state.connected = true;
  forgetAddresses(socket);
  state.idle.refresh();
  applyOptions(socket, conn);
  socket.emit("connect");
  socket.emit("ready");
  if (!socket.isPaused()) socket.read(0);
}
