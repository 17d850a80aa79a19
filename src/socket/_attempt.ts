// A Socket's connection attempts, as functions over the socket: starting over for a
// (re)connect, opening a RawConn to a resolved target, and what its connect or its
// failure means (`'connect'`, `'connectionAttemptFailed'`, or the Happy Eyeballs owner's
// decision).
import { Duplex } from "node:stream";
import type { ConnectOptions, RawAddress, RawConn } from "../contract.ts";
import { kAdapter, kConn, kState } from "../_symbols.ts";
import { withConnectDetails } from "../errors/system_errors.ts";
import { SocketSink } from "./_sink.ts";
import { applyOptions, forgetAddresses } from "./_options.ts";
import type { ConnectAttempt, Connecting, SocketCore } from "./_types.ts";

/** Take over a connection a Server accepted: it is connected from the start. */
export function adopt(socket: SocketCore, conn: RawConn, pipe: boolean | undefined, paused: boolean | undefined): void {
  const state = socket[kState];
  socket[kConn] = conn;
  state.hasHandle = true;
  state.connected = true;
  state.pipe = pipe ?? isPipeAddress(conn.localAddress());
  state.onread?.init();
  conn.attach(new SocketSink(socket, conn, null));
  applyOptions(socket, conn);
  if (paused) {
    // deno-lint-ignore no-explicit-any
    (socket as any)._readableState.flowing = false;
  } else {
    socket.read(0);
  }
}

function isPipeAddress(address: RawAddress | undefined): boolean {
  return address !== undefined && "path" in address;
}

/**
 * Prepare for a (re)connect: a destroyed socket starts over, as with Node's new handle
 * (counters, read state and addresses too). `write` is the prototype's again.
 */
export function resetForConnect(socket: SocketCore, pipe: boolean): void {
  if (socket.write !== Duplex.prototype.write) socket.write = Duplex.prototype.write;
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

/**
 * Open a RawConn to a resolved target; the socket must be connecting. With
 * `attempt.hooks` (Happy Eyeballs) a failure goes to the attempt's owner instead of
 * destroying the socket.
 */
export function connectTo(socket: SocketCore, target: ConnectOptions, attempt: ConnectAttempt = {}): RawConn {
  const live = socket[kConn];
  const state = socket[kState];
  if (live && !state.handleClosed && !attempt.hooks && state.connected) {
    // connect() on a connected socket: Node's handle stays on its connection and
    // reports 'connect' again; no second connection is opened.
    attempt.announce?.();
    queueMicrotask(() => {
      if (socket.connecting && socket[kConn] === live) afterConnect(socket, live);
    });
    return live;
  }
  const sink = new SocketSink(socket, null, { target, ...attempt });
  const conn = socket[kAdapter].connect(target, sink);
  sink.conn = conn;
  socket[kConn] = conn;
  return conn;
}

/** The adapter reports `conn` connected (it is still the current one). */
export function onConnect(socket: SocketCore, conn: RawConn, connecting: Connecting | null): void {
  connecting?.announce?.();
  if (connecting?.hooks && !connecting.hooks.onConnect(conn)) {
    // Happy Eyeballs gave up on this attempt: close it without closing the socket.
    conn.close();
    return;
  }
  afterConnect(socket, conn);
}

/** Connecting `conn` failed: Node's `'connectionAttemptFailed'`, or the attempt's owner decides. */
export function onConnectError(socket: SocketCore, conn: RawConn, connecting: Connecting, error: Error): void {
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

function afterConnect(socket: SocketCore, conn: RawConn): void {
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
