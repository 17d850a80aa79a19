// The ConnSink a Socket hands to each RawConn: one small object per connection (no
// closures), forwarding the adapter's calls to the socket while that RawConn is still the
// socket's current one. Calls from a replaced or abandoned RawConn are dropped here.
import type { ConnSink, RawConn } from "../contract.ts";
import type { Connecting } from "./_types.ts";
import { kConn, kSinkClose, kSinkConnect, kSinkConnectError, kSinkData, kSinkEnd } from "../_symbols.ts";

/** What the sink reaches on its socket. */
export interface SinkOwner {
  [kConn]: RawConn | null;
  destroyed: boolean;
  destroy(err?: Error): unknown;
  [kSinkData](chunk: Uint8Array): void;
  [kSinkEnd](): void;
  [kSinkConnect](conn: RawConn, connecting: Connecting | null): void;
  [kSinkConnectError](conn: RawConn, connecting: Connecting, error: Error): void;
  [kSinkClose](): void;
}

/** The socket's side of one RawConn. */
export class SocketSink implements ConnSink {
  /** The RawConn this sink belongs to (set once `adapter.connect` returned it). */
  conn: RawConn | null;
  #owner: SinkOwner;
  #connecting: Connecting | null;
  /** An accepted connection is connected from the start. */
  #connected: boolean;

  constructor(owner: SinkOwner, conn: RawConn | null, connecting: Connecting | null) {
    this.#owner = owner;
    this.conn = conn;
    this.#connecting = connecting;
    this.#connected = connecting === null;
  }

  onConnect(): void {
    this.#connected = true;
    const owner = this.#owner;
    const conn = this.conn!;
    if (owner.destroyed || conn !== owner[kConn]) return;
    owner[kSinkConnect](conn, this.#connecting);
  }

  onData(chunk: Uint8Array): void {
    if (this.conn === this.#owner[kConn]) this.#owner[kSinkData](chunk);
  }

  onEnd(): void {
    if (this.conn === this.#owner[kConn]) this.#owner[kSinkEnd]();
  }

  onError(error: Error): void {
    const owner = this.#owner;
    const conn = this.conn!;
    if (conn !== owner[kConn]) return;
    if (this.#connected || this.#connecting === null) {
      if (!owner.destroyed) owner.destroy(error);
      return;
    }
    owner[kSinkConnectError](conn, this.#connecting, error);
  }

  onClose(): void {
    if (this.conn === this.#owner[kConn]) this.#owner[kSinkClose]();
  }
}
