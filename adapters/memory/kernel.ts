/**
 * What the modelled kernel gives each connected end of the in-memory network: how many
 * bytes one direction holds before writes wait (per transport), how much one read hands
 * over, and where the end sits (its addresses, what to release once it closes). The
 * connection itself (`conn.ts`) is the state machine over these.
 *
 * @module
 */
import type { RawAddress } from "../../src/contract.ts";
import type { FaultContext } from "./end_faults.ts";

/**
 * Bytes one direction of a Unix socket connection holds (unread by the receiver) before
 * writes wait: 256 KiB, about what Linux's socket buffer takes of 16 KiB or 64 KiB writes.
 */
export const KERNEL_BUFFER = 256 * 1024;
/**
 * Bytes one direction of a TCP connection holds before writes wait: just under 4 MiB
 * (Linux's largest send buffer, `tcp_wmem`), as loopback takes, with Node 24, three 1 MiB
 * writes whole to a paused peer but not four, fifteen 256 KiB ones but not sixteen.
 */
export const TCP_KERNEL_BUFFER = 4 * 1024 * 1024 - 1;
/** The largest chunk one `onData` hands over, as one read of 64 KiB would. */
export const MAX_READ = 64 * 1024;

/** Where a connected end sits: its addresses and what to release once it closes. */
export interface Endpoints {
  /** Our address. */
  local: RawAddress;
  /** The peer's address. */
  remote: RawAddress;
  /** Called once when this end closes (frees an ephemeral port). */
  release?: () => void;
  /** The network's faults, the connection they match by, and which end this is. */
  faults?: FaultContext;
}
