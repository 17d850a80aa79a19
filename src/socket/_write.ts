// The Socket's write side, as functions over the socket: writes handed to the RawConn
// (held until 'connect' while connecting, as Node's _writeGeneric), the FIN after the
// last write, and the byte count Node reports.
import { kConn, kState } from "../_symbols.ts";
import { ERR_SOCKET_CLOSED, ERR_SOCKET_CLOSED_BEFORE_CONNECTION } from "../errors/errors.ts";
import { byteLengthOf } from "./_util.ts";
import type { SocketCore } from "./_types.ts";

type Callback = (err?: Error | null) => void;

/** Implements `_write` and `_writev`: hand `chunks` to the RawConn once connected. */
export function writeGeneric(socket: SocketCore, chunks: Uint8Array[], cb: Callback): void {
  const state = socket[kState];
  if (socket.connecting) {
    state.pendingData = chunks;
    const onClose = () => cb(ERR_SOCKET_CLOSED_BEFORE_CONNECTION());
    socket.once("connect", () => {
      socket.off("close", onClose);
      writeGeneric(socket, chunks, cb);
    });
    socket.once("close", onClose);
    return;
  }
  state.pendingData = null;
  const conn = socket[kConn];
  if (!conn || state.handleClosed) {
    cb(ERR_SOCKET_CLOSED());
    return;
  }
  state.idle.refresh();
  for (const c of chunks) state.bytesDispatched += c.byteLength;
  conn.write(chunks, (err) => {
    if (err) {
      cb(err);
      return;
    }
    state.idle.refresh();
    cb();
  });
}

/** Implements `_final`: send FIN once every queued write is out. */
export function shutdown(socket: SocketCore, cb: Callback): void {
  if (socket.connecting) {
    socket.once("connect", () => socket._final(cb));
    return;
  }
  const conn = socket[kConn];
  if (!conn || socket[kState].handleClosed) {
    cb();
    return;
  }
  conn.shutdown((err) => {
    if (err && (err as { code?: string }).code !== "ENOTCONN") cb(err);
    else cb();
  });
}

/** Bytes sent on the current connection, counting those still queued (as Node does). */
export function bytesWritten(socket: SocketCore): number | undefined {
  const state = socket[kState];
  let bytes = state.bytesDispatched;
  // deno-lint-ignore no-explicit-any
  const buffered = (socket as any).writableBuffer as { chunk: unknown; encoding: BufferEncoding }[] | undefined;
  if (!buffered) return undefined;
  for (const el of buffered) bytes += byteLengthOf(el.chunk, el.encoding);
  if (state.pendingData) { for (const c of state.pendingData) bytes += c.byteLength; }
  return bytes;
}
