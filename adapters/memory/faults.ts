/**
 * Faults on demand, the public shape: the rules a test adds to a memory network
 * (`memory.faults`) to refuse, hang, cut, slow down, split or delay its connections.
 * `fault_table.ts` keeps them and answers the network's questions.
 *
 * A rule matches a connection by its {@link FaultScope}: what the client connected to
 * (`host`, `port`, or `path`) and the client's `localPort`; fields left out match
 * everything. `count` bounds how many connects (or connections) it takes; a rule is
 * claimed by a connection the first time it applies to it and then stays with it.
 *
 * @module
 */

/**
 * One end of a connection: the side that connected (`"client"`) or the one that accepted.
 *
 * @example
 * ```ts
 * import { createMemoryAdapter } from "@omninet/net/adapters/memory";
 * const memory = createMemoryAdapter();
 * memory.faults.latency(10, { from: "client" }); // only what clients send is late
 * ```
 */
export type Side = "client" | "server";

/**
 * Which connections a fault applies to. Every field left out matches every connection;
 * `localPort` (a connected client's `socket.localPort`) singles out one connection.
 *
 * @example
 * ```ts
 * import { createMemoryAdapter } from "@omninet/net/adapters/memory";
 * const memory = createMemoryAdapter();
 * memory.faults.refuse({ host: "127.0.0.1", port: 5432, count: 1 }); // the next connect to :5432
 * memory.faults.resetAfter(0, { localPort: 40123, from: "client" }); // one live connection
 * ```
 */
export interface FaultScope {
  /** The IP address the client connected to (`"127.0.0.1"`, `"::1"`). */
  host?: string;
  /** The port the client connected to. */
  port?: number;
  /** The Unix socket path the client connected to. */
  path?: string;
  /** The client's local port: one live connection. */
  localPort?: number;
  /**
   * How many connects (for connect faults) or connections (for stream faults) the fault
   * takes before it is used up.
   * @default Infinity
   */
  count?: number;
}

/**
 * A stream fault's scope and the direction of the bytes it counts.
 *
 * @example
 * ```ts
 * import { createMemoryAdapter } from "@omninet/net/adapters/memory";
 * const memory = createMemoryAdapter();
 * memory.faults.endAfter(16, { port: 1883, from: "client" }); // the server reads 16 bytes, then FIN
 * ```
 */
export interface StreamFaultOptions extends FaultScope {
  /**
   * Whose bytes: those the server sends (the client receives them) or the client's.
   * @default "server"
   */
  from?: Side;
}

/**
 * A fault that acts on both directions unless `from` names one.
 *
 * @example
 * ```ts
 * import { createMemoryAdapter } from "@omninet/net/adapters/memory";
 * const memory = createMemoryAdapter();
 * memory.faults.latency(5); // both directions
 * memory.faults.latency(20, { from: "server" }); // and the replies 20 ms more
 * ```
 */
export interface DirectionFaultOptions extends FaultScope {
  /**
   * Only the bytes this side sends.
   * @default both directions
   */
  from?: Side;
}

/**
 * Options of {@link MemoryFaults.fragment}.
 *
 * @example
 * ```ts
 * import { createMemoryAdapter } from "@omninet/net/adapters/memory";
 * const memory = createMemoryAdapter();
 * memory.faults.fragment({ seed: 3, maxPiece: 8, from: "server" });
 * ```
 */
export interface FragmentOptions extends DirectionFaultOptions {
  /**
   * The seed of the pseudo-random cuts: the same seed cuts the same bytes the same way.
   * @default 1
   */
  seed?: number;
  /**
   * The longest piece, in bytes.
   * @default no limit
   */
  maxPiece?: number;
}

/**
 * Options of {@link MemoryFaults.slowReader}.
 *
 * @example
 * ```ts
 * import { createMemoryAdapter } from "@omninet/net/adapters/memory";
 * const memory = createMemoryAdapter();
 * memory.faults.slowReader(512, { reader: "client", intervalMs: 10, buffer: 4096 });
 * ```
 */
export interface SlowReaderOptions extends FaultScope {
  /**
   * Which side reads slowly.
   * @default "server"
   */
  reader?: Side;
  /**
   * A tick: one turn of the event loop (0), or this many milliseconds on a timer.
   * @default 0
   */
  intervalMs?: number;
  /**
   * The bytes the slow reader's side holds unread before the writer's writes wait (the
   * kernel buffers; without the fault {@link TCP_KERNEL_BUFFER}, {@link KERNEL_BUFFER} over
   * a Unix socket): smaller shows backpressure sooner.
   * @default 262144
   */
  buffer?: number;
}

/**
 * A fault added to a memory network; `remove()` takes it away.
 *
 * @example
 * ```ts
 * import { createMemoryAdapter } from "@omninet/net/adapters/memory";
 * const memory = createMemoryAdapter();
 * const fault = memory.faults.refuse({ port: 6379, count: 2 });
 * // … two connects later: fault.hits === 2
 * fault.remove();
 * ```
 */
export interface Fault {
  /** How many connects or connections it has applied to. */
  readonly hits: number;
  /** False once removed (a used-up fault stays active for the connections it holds). */
  readonly active: boolean;
  /**
   * Take the fault away: connections it slowed or delayed go on at full speed, and the
   * connects it held (`hang`, `fullBacklog`) are retried now, as a SYN retransmit would.
   * Idempotent.
   */
  remove(): void;
}

/**
 * The faults of one memory network, reachable as `memory.faults`. Every method adds one
 * rule and returns it as a {@link Fault}; rules apply in the order they were added.
 *
 * @example
 * ```ts
 * import { createMemoryAdapter } from "@omninet/net/adapters/memory";
 * import { createNet } from "@omninet/net";
 *
 * const memory = createMemoryAdapter();
 * const net = createNet(memory);
 * memory.faults.refuse({ port: 6379, count: 2 }); // two ECONNREFUSED, then the listener
 * memory.faults.resetAfter(3, { port: 6379, count: 1 }); // first reply cut after 3 bytes
 * net.createServer((s) => s.end("+PONG\r\n")).listen(6379, "127.0.0.1");
 * ```
 */
export interface MemoryFaults {
  /**
   * Refuse connects: `connect ECONNREFUSED 127.0.0.1:6379` (Node's `code`, `errno`,
   * `syscall`, `address`, `port`), whether or not anything listens.
   *
   * @example
   * ```ts
   * import { createMemoryAdapter } from "@omninet/net/adapters/memory";
   * const memory = createMemoryAdapter();
   * memory.faults.refuse({ port: 5432, count: 3 });
   * ```
   */
  refuse(scope?: FaultScope): Fault;
  /**
   * Drop the connects' SYNs: the connect never completes, listener or not, so a connect
   * timeout (`socket.setTimeout`, the `timeout` option) fires. (Linux gives up with
   * `ETIMEDOUT` after about two minutes of retries; the memory network waits until the
   * socket is destroyed or the fault removed.)
   *
   * @example
   * ```ts
   * import { createMemoryAdapter } from "@omninet/net/adapters/memory";
   * const memory = createMemoryAdapter();
   * const fault = memory.faults.hang({ port: 1883 });
   * fault.remove(); // the waiting connects complete now
   * ```
   */
  hang(scope?: FaultScope): Fault;
  /**
   * A listener whose backlog is full: as Linux drops the SYNs to it, connects to a port
   * something listens on hang (until removed: then they complete, in order); connects
   * to a port nothing listens on are refused as usual.
   *
   * @example
   * ```ts
   * import { createMemoryAdapter } from "@omninet/net/adapters/memory";
   * const memory = createMemoryAdapter();
   * memory.faults.fullBacklog({ port: 8080 });
   * ```
   */
  fullBacklog(scope?: FaultScope): Fault;
  /**
   * Reset the connection once `from` has sent `bytes` more bytes: the receiver gets
   * exactly those bytes, then `read ECONNRESET`; the sender gets ECONNRESET from its
   * next write (`write ECONNRESET`, the unsent rest of the write fails) or read.
   *
   * @example
   * ```ts
   * import { createMemoryAdapter } from "@omninet/net/adapters/memory";
   * const memory = createMemoryAdapter();
   * memory.faults.resetAfter(100, { port: 6379, from: "server", count: 1 });
   * ```
   */
  resetAfter(bytes: number, options?: StreamFaultOptions): Fault;
  /**
   * Half-close mid-stream: once `from` has sent `bytes` more bytes the receiver sees FIN
   * (`'end'`) after them; what `from` writes later is accepted and lost, as a peer that
   * shut its side down would never send it.
   *
   * @example
   * ```ts
   * import { createMemoryAdapter } from "@omninet/net/adapters/memory";
   * const memory = createMemoryAdapter();
   * memory.faults.endAfter(10, { port: 1883 });
   * ```
   */
  endAfter(bytes: number, options?: StreamFaultOptions): Fault;
  /**
   * A slow reader: the `reader` side takes `bytesPerTick` bytes a tick out of what it was
   * sent, so the writer fills the buffer between them, `write()` returns false and
   * `'drain'` comes later.
   *
   * @example
   * ```ts
   * import { createMemoryAdapter } from "@omninet/net/adapters/memory";
   * const memory = createMemoryAdapter();
   * memory.faults.slowReader(1024, { reader: "server", buffer: 16 * 1024 });
   * ```
   */
  slowReader(bytesPerTick: number, options?: SlowReaderOptions): Fault;
  /**
   * Cut every chunk sent into pieces of pseudo-random length (each between 1 and what is
   * left), one `'data'` each, deterministic for a `seed`.
   *
   * @example
   * ```ts
   * import { createMemoryAdapter } from "@omninet/net/adapters/memory";
   * const memory = createMemoryAdapter();
   * memory.faults.fragment({ seed: 42, from: "server" });
   * ```
   */
  fragment(options?: FragmentOptions): Fault;
  /**
   * Delay bytes, FIN and RST by `ms` milliseconds on a timer, per direction (`from`), in
   * order; a connect completes after the delay of both directions (one round trip).
   *
   * @example
   * ```ts
   * import { createMemoryAdapter } from "@omninet/net/adapters/memory";
   * const memory = createMemoryAdapter();
   * memory.faults.latency(20, { from: "server" });
   * ```
   */
  latency(ms: number, options?: DirectionFaultOptions): Fault;
  /**
   * Remove every fault (see {@link Fault.remove}).
   *
   * @example
   * ```ts
   * import { createMemoryAdapter } from "@omninet/net/adapters/memory";
   * const memory = createMemoryAdapter();
   * memory.faults.refuse();
   * memory.faults.clear();
   * ```
   */
  clear(): void;
}
