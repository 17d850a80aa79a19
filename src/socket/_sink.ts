// The ConnSink a Socket hands to each RawConn: one small object per connection (no
// closures), forwarding the adapter's calls to the socket's functions while that RawConn
// is still the socket's current one. Calls from a replaced or abandoned RawConn are
// dropped here.
import type { ConnSink, RawConn } from "../contract.ts";
import type { Connecting, SocketCore } from "./_types.ts";
import { kConn } from "../_symbols.ts";
import { onStreamEnd, onStreamRead } from "./_read.ts";
import { connected, connectFailed } from "./_attempt.ts";
import { onHandleClose } from "./_close.ts";

/** What the sink reaches on its socket. */
export type SinkOwner = SocketCore;

/** The socket's side of one RawConn. */
export class SocketSink implements ConnSink {
  /** The RawConn this sink belongs to (set once `adapter.connect` returned it). */
  conn: RawConn | null;
  #owner: SinkOwner;
  /** The attempt while connecting; null once connected (an accepted connection: from the start). */
  #connecting: Connecting | null;

  constructor(owner: SinkOwner, conn: RawConn | null, connecting: Connecting | null) {
    this.#owner = owner;
    this.conn = conn;
    this.#connecting = connecting;
  }

  onConnect(): void {
    // Once connected, the attempt (its target, its announce closure) is not needed again:
    // dropped, so an open connection does not keep it.
    const connecting = this.#connecting;
    this.#connecting = null;
    const owner = this.#owner;
    const conn = this.conn!;
    if (owner.destroyed || conn !== owner[kConn]) return;
    connected(owner, conn, connecting);
  }

  onData(chunk: Uint8Array): void {
    if (this.conn === this.#owner[kConn]) onStreamRead(this.#owner, chunk);
  }

  onEnd(): void {
    if (this.conn === this.#owner[kConn]) onStreamEnd(this.#owner);
  }

  onError(error: Error): void {
    const owner = this.#owner;
    const conn = this.conn!;
    if (conn !== owner[kConn]) return;
    if (this.#connecting === null) {
      if (!owner.destroyed) owner.destroy(error);
      return;
    }
    connectFailed(owner, conn, this.#connecting, error);
  }

  onClose(): void {
    if (this.conn === this.#owner[kConn]) onHandleClose(this.#owner);
  }
}
