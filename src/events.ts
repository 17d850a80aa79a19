/**
 * The events of Socket and Server with their listener arguments, so that
 * `socket.on("data", (data) => …)` is typed.
 *
 * @module
 */
import type { Buffer } from "node:buffer";
import type { DropData } from "./server/_accept.ts";

/** Socket events and the arguments their listeners receive. */
export interface SocketEventMap {
  /** The socket is fully closed; `hadError` when an error closed it. */
  close: [hadError: boolean];
  /** The connection is established. */
  connect: [];
  /** After `'connect'`: the socket is ready to use. */
  ready: [];
  /** Bytes arrived (typed as Buffer, as @types/node does; a string after `setEncoding`). */
  data: [data: Buffer];
  /** The peer ended its side (FIN). */
  end: [];
  /** The write buffer emptied after `write()` returned false. */
  drain: [];
  /** `end()` finished: our FIN was sent. */
  finish: [];
  /** The idle timeout set by `setTimeout` expired. */
  timeout: [];
  /** An error; `'close'` follows. */
  error: [err: Error];
  /** A host name was resolved (or failed to). */
  lookup: [err: Error | null, address: string | undefined, family: number | string | undefined, host: string];
  /** Happy Eyeballs: an attempt started. */
  connectionAttempt: [ip: string, port: number, family: number];
  /** Happy Eyeballs: an attempt failed. */
  connectionAttemptFailed: [ip: string, port: number, family: number, error: Error];
  /** Happy Eyeballs: an attempt timed out. */
  connectionAttemptTimeout: [ip: string, port: number, family: number];
}

/** Server events and the arguments their listeners receive; `S` is the Socket type. */
export interface ServerEventMap<S> {
  /** The server is bound and accepting. */
  listening: [];
  /** A connection was accepted. */
  connection: [socket: S];
  /** The server closed and every connection ended. */
  close: [];
  /** Listening or accepting failed. */
  error: [err: Error];
  /** A connection over `maxConnections` (or blocked) was dropped. */
  drop: [data?: DropData];
}

/**
 * A listener for an event outside the maps above (any arguments), as `node:events` types
 * it.
 */
// deno-lint-ignore no-explicit-any
export type AnyListener = (...args: any[]) => void;
