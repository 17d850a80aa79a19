// A Socket's RawConn, as functions over the socket: taking over one a Server accepted,
// or opening one to a resolved target, each with its SocketSink.
import type { ConnectOptions, RawAddress, RawConn } from "../contract.ts";
import { kAdapter, kConn, kState } from "../_symbols.ts";
import { SocketSink } from "./_sink.ts";
import { type Accepted, openConn } from "../_direct.ts";
import { applyOptions } from "./_options.ts";
import { afterConnect } from "./_attempt.ts";
import type { ConnectAttempt, SocketCore } from "./_types.ts";

/** Take over a connection a Server accepted: it is connected from the start. */
export function adopt(
  socket: SocketCore,
  accepted: Accepted,
  pipe: boolean | undefined,
  paused: boolean | undefined,
): void {
  const state = socket[kState];
  const conn = accepted.conn;
  socket[kConn] = conn;
  state.hasHandle = true;
  state.connected = true;
  state.pipe = pipe ?? isPipeAddress(conn.localAddress());
  state.onread?.init();
  accepted.attach(new SocketSink(socket, conn, null));
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

/** An attempt with nothing to announce and no Happy Eyeballs owner (shared: never written). */
const NO_ATTEMPT: ConnectAttempt = Object.freeze({});

/**
 * Open a RawConn to a resolved target; the socket must be connecting. With
 * `attempt.hooks` (Happy Eyeballs) a failure goes to the attempt's owner instead of
 * destroying the socket.
 */
export function connectTo(socket: SocketCore, target: ConnectOptions, attempt: ConnectAttempt = NO_ATTEMPT): RawConn {
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
  // One fixed shape (no object spread: a slow generic copy on JSC).
  const sink = new SocketSink(socket, null, { target, announce: attempt.announce, hooks: attempt.hooks });
  const conn = openConn(socket[kAdapter], target, sink);
  sink.conn = conn;
  socket[kConn] = conn;
  return conn;
}
