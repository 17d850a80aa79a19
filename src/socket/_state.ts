// A Socket's state object (the `SocketState` of _types.ts) in fewer bytes: its thirteen
// yes/no facts share one number, read and written through accessors on the prototype, so
// the function modules still say `state.connected = true`. An idle connection keeps one
// of these per socket; a slot per boolean would cost it about 8 bytes each (88 for twelve).
import type { InetAddress } from "../contract.ts";
import type { IdleTimer } from "./_idle_timer.ts";
import type { OnRead } from "./_onread.ts";
import type { SocketState } from "./_types.ts";

/** The boolean members of SocketState, one bit each (in this order). */
const FLAGS = [
  "aborted",
  "abortClose",
  "hasHandle",
  "pipe",
  "connected",
  "handleClosed",
  "closeWanted",
  "hadError",
  "reset",
  "eof",
  "noDelay",
  "keepAlive",
  "refed",
] as const;

type Flag = typeof FLAGS[number];

const bit = (name: Flag) => 1 << FLAGS.indexOf(name);

// The bits a new socket's state starts with, found once.
const REFED = bit("refed");
const NO_DELAY = bit("noDelay");
const KEEP_ALIVE = bit("keepAlive");

/** SocketState with its booleans as bits of `flags`. */
export class PackedSocketState {
  /** The booleans' bits (see FLAGS). */
  flags: number;
  onread: OnRead | null;
  idle: IdleTimer;
  bytesRead = 0;
  bytesDispatched = 0;
  pendingData: Uint8Array[] | null = null;
  keepAliveDelay: number;
  peername: InetAddress | null = null;
  sockname: InetAddress | null = null;

  constructor(onread: OnRead | null, idle: IdleTimer, noDelay: boolean, keepAlive: boolean, keepAliveDelay: number) {
    this.flags = REFED | (noDelay ? NO_DELAY : 0) | (keepAlive ? KEEP_ALIVE : 0);
    this.onread = onread;
    this.idle = idle;
    this.keepAliveDelay = keepAliveDelay;
  }
}

for (const name of FLAGS) {
  const mask = bit(name);
  Object.defineProperty(PackedSocketState.prototype, name, {
    get(this: PackedSocketState): boolean {
      return (this.flags & mask) !== 0;
    },
    set(this: PackedSocketState, value: boolean): void {
      this.flags = value ? this.flags | mask : this.flags & ~mask;
    },
  });
}

/** A new socket's state: nothing happened yet, refed, with the constructor's TCP options. */
export function newSocketState(
  onread: OnRead | null,
  idle: IdleTimer,
  noDelay: boolean,
  keepAlive: boolean,
  keepAliveDelay: number,
): SocketState {
  return new PackedSocketState(onread, idle, noDelay, keepAlive, keepAliveDelay) as unknown as SocketState;
}
