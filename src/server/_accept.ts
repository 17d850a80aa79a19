// What a Server does with an accepted connection before it becomes a Socket: Node's
// `maxConnections` (dropped, with the `'drop'` event's data) and `blockList` (dropped
// silently) checks, in Node's order.
import type { RawConn } from "../contract.ts";
import { type Accepted, ignoreSink } from "../_direct.ts";
import type { BlockListLike } from "../address/blocklist.ts";
import { isIP } from "../address/ip.ts";

/** The `'drop'` event's argument, as Node builds it (a null-prototype object). */
export interface DropData {
  /** Our address on the dropped connection. */
  localAddress?: string;
  /** Our port. */
  localPort?: number;
  /** Our address family. */
  localFamily?: string;
  /** The peer's address. */
  remoteAddress?: string;
  /** The peer's port. */
  remotePort?: number;
  /** The peer's address family. */
  remoteFamily?: string;
}

/** The verdict on one accepted connection. */
export type Admission =
  | { kind: "accept" }
  | { kind: "drop"; data: DropData | undefined }
  | { kind: "block" };

const ACCEPT: Admission = { kind: "accept" };
const BLOCK: Admission = { kind: "block" };

/**
 * Node's `onconnection` checks: over `maxConnections` the connection is dropped with
 * `'drop'` (its data has the addresses for TCP, nothing for a Unix socket); a peer the
 * `blockList` blocks is closed without any event.
 */
export function admit(
  conn: RawConn,
  connections: number,
  maxConnections: number | null | undefined,
  blockList: BlockListLike | undefined,
): Admission {
  if (maxConnections != null && connections >= maxConnections) {
    const local = conn.localAddress();
    const remote = conn.remoteAddress();
    if (!(local && "port" in local) && !(remote && "port" in remote)) return { kind: "drop", data: undefined };
    const data: DropData = Object.create(null);
    if (local && "port" in local) {
      data.localAddress = local.address;
      data.localPort = local.port;
      data.localFamily = local.family;
    }
    if (remote && "port" in remote) {
      data.remoteAddress = remote.address;
      data.remotePort = remote.port;
      data.remoteFamily = remote.family;
    }
    return { kind: "drop", data };
  }
  if (blockList) {
    const remote = conn.remoteAddress();
    if (remote && "port" in remote) {
      const type = isIP(remote.address);
      if (type && blockList.check(remote.address, `ipv${type}` as "ipv4" | "ipv6")) return BLOCK;
    }
  }
  return ACCEPT;
}

/** Close a connection the server will not take (over the limit, blocked, or too late). */
export function refuse(accepted: Accepted): void {
  accepted.attach(ignoreSink);
  accepted.conn.close();
}
