/**
 * The faults as one end of a memory connection meets them: the latency of what it sends,
 * where a reset or FIN cuts what it writes, how its peer's bytes are fragmented, and how
 * fast it reads (a slow reader's buffer and ticks). While the network has no stream fault
 * every answer is the plain loopback one and the table is not asked.
 *
 * @module
 */
import type { FaultTable, Wire } from "./fault_table.ts";
import type { Side } from "./faults.ts";
import { ReadPacer } from "./pacing.ts";

/** The network's faults, the connection they match by, and which end this is. */
export interface FaultContext {
  table: FaultTable;
  wire: Wire;
  side: Side;
}

/** One end's view of the network's stream faults. */
export class EndFaults {
  readonly #context: FaultContext | undefined;
  /** A slow reader's clock, when it reads on a timer. */
  #pacer: ReadPacer | null = null;

  constructor(context: FaultContext | undefined) {
    this.#context = context;
  }

  /** The context while the network has stream faults. */
  get #on(): FaultContext | undefined {
    const f = this.#context;
    return f !== undefined && f.table.streaming ? f : undefined;
  }

  /** The latency of the bytes, FIN and RST this end sends. */
  delay(): number {
    const f = this.#on;
    return f ? f.table.delay(f.wire, f.side) : 0;
  }

  /** A cut (`resetAfter`/`endAfter`) of what this end sends, after `sent` bytes sent so far. */
  cut(sent: number): { bytes: number; rst: boolean } | undefined {
    const f = this.#on;
    return f ? f.table.cut(f.wire, f.side, sent) : undefined;
  }

  /** The pieces the peer's `bytes` arrive here in. */
  split(bytes: Uint8Array): Uint8Array[] {
    const f = this.#on;
    return f ? f.table.split(f.wire, f.side === "client" ? "server" : "client", bytes) : [bytes];
  }

  /** How many bytes this end's buffer holds: `normal`, or a slow reader's `buffer`. */
  limit(normal: number): number {
    const f = this.#on;
    return f ? f.table.reader(f.wire, f.side)?.buffer ?? normal : normal;
  }

  /**
   * What one read may take now: everything, or a slow reader's bytes a tick (0 between its
   * ticks; `wake` runs when the next is due).
   */
  readBudget(wake: () => void): number {
    const f = this.#on;
    const slow = f ? f.table.reader(f.wire, f.side) : undefined;
    if (slow === undefined) return Infinity;
    if (slow.intervalMs === 0) {
      wake(); // the next tick is the next turn
      return slow.bytes;
    }
    return (this.#pacer ??= new ReadPacer(wake)).take(slow.bytes, slow.intervalMs);
  }
}
