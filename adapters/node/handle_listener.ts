// A listening libuv TCP or Pipe handle seen through the RawListener contract, bound and
// listening as node:net's server does it (createServerHandle, setupListenHandle), with
// node:net's timing: bound when `listen` returns, 'listening' or the error a tick later.
// Accepted handles become HandleConns that take every call inside 'connection'.
import process from "node:process";
import type { ConnSink, ListenerSink, ListenOptions, RawAddress, RawListener } from "../../src/contract.ts";
import { pipeMode } from "../_shared/pipe.ts";
import { chmodPipe } from "../_shared/pipe_chmod.ts";
import type { Libuv, StreamHandle } from "./_libuv.ts";
import { libuv, uvError } from "./_libuv.ts";
import { HandleConn } from "./handle_conn.ts";

// libuv's uv_tcp_flags (node:net's TCPConstants): stable ABI values.
const UV_TCP_IPV6ONLY = 1;
const UV_TCP_REUSEPORT = 2;

// Only used where the bindings exist (the adapters pick this listener then).
const uv = libuv as Libuv;

/** The listener a listening handle belongs to. */
const kListener = Symbol("omninet.listener");

function onConnection(this: StreamHandle, status: number, client?: StreamHandle): void {
  const listener = this[kListener] as HandleListener;
  if (status < 0) {
    listener.sink.onError(uvError(status, "accept"));
    return;
  }
  const conn = new HandleConn(client!, listener.pipe);
  // The accepted handle is connected and takes writes now (libuv's try_write), so the core
  // may call it inside onConnection: a write in 'connection' completes there, as on Node.
  // `attach` comes inside onConnection (the contract), so one shared function finds the
  // connection being accepted: no closure per accept. Accepts do not nest (libuv calls
  // onconnection from the loop only), but the previous value is restored all the same.
  const outer = accepting;
  accepting = conn;
  try {
    conn.setSink(listener.sink.onConnection(conn, attachAccepting));
  } finally {
    accepting = outer;
  }
}

/** The connection `onConnection` is handing to the core right now. */
let accepting: HandleConn | null = null;

function attachAccepting(sink: ConnSink): void {
  // Outside onConnection there is no connection to attach to: the contract says inside.
  if (accepting === null) throw new Error("omninet: attach called outside onConnection");
  accepting.setSink(sink);
}

/** Wraps one listening libuv handle. */
export class HandleListener implements RawListener {
  readonly sink: ListenerSink;
  /** A Unix socket's ends for accepted connections, else null. */
  readonly pipe: { local: string; remote: string } | null;
  #handle: StreamHandle | null = null;
  #address: RawAddress | undefined;

  constructor(sink: ListenerSink, path: string | null) {
    this.sink = sink;
    this.pipe = path === null ? null : { local: path, remote: "" };
  }

  /** Bind and listen now; 'listening' (or the error) is reported a tick later, as node:net does. */
  listen(options: ListenOptions): void {
    const pipe = "path" in options;
    const handle = pipe ? new uv.Pipe(uv.SERVER) : new uv.TCP(uv.SERVER);
    let err: number;
    if (pipe) err = handle.bind(options.path);
    else {
      const flags = (options.ipv6Only ? UV_TCP_IPV6ONLY : 0) | (options.reusePort ? UV_TCP_REUSEPORT : 0);
      err = options.family === 6
        ? handle.bind6(options.host, options.port, flags)
        : handle.bind(options.host, options.port, flags);
    }
    if (err === 0) {
      handle[kListener] = this;
      handle.onconnection = onConnection;
      err = handle.listen(options.backlog);
    }
    if (err !== 0) {
      handle.close();
      const ex = pipe
        ? uvError(err, "listen", { address: options.path })
        : uvError(err, "listen", { address: options.host, port: options.port });
      process.nextTick(() => this.sink.onError(ex));
      return;
    }
    this.#handle = handle;
    if (pipe) this.#address = { path: options.path };
    else {
      const out: { address?: string; family?: string; port?: number } = {};
      handle.getsockname!(out);
      this.#address = { address: out.address!, family: out.family as "IPv4" | "IPv6", port: out.port! };
    }
    const chmod = pipe && (options.readableAll || options.writableAll)
      ? { path: options.path, mode: pipeMode(options.readableAll, options.writableAll) }
      : undefined;
    process.nextTick(() => this.#listening(chmod));
  }

  /**
   * Report 'listening'. A Unix socket's mode is set exactly first (Node 24 does; older
   * libuv only adds bits); a failure is the listen's error, `uv_pipe_chmod` as Node
   * reports it, and the handle is closed.
   */
  #listening(chmod: { path: string; mode: number } | undefined): void {
    if (this.#handle === null) return;
    const failed = chmod === undefined ? null : chmodPipe(chmod.path, chmod.mode);
    if (failed !== null) {
      this.#release();
      this.sink.onError(failed);
      return;
    }
    this.sink.onListening();
  }

  #release(): void {
    const handle = this.#handle;
    this.#handle = null;
    this.#address = undefined;
    handle?.close();
  }

  address(): RawAddress | undefined {
    return this.#address;
  }

  close(done: () => void): void {
    // libuv closes the socket inside close(); node:net's own callback would also wait for
    // every accepted connection, which the contract does not.
    this.#release();
    process.nextTick(done);
  }

  ref(): void {
    this.#handle?.ref();
  }

  unref(): void {
    this.#handle?.unref();
  }
}

/** Bind and listen on a new libuv handle. `options.host` is an IP address. */
export function listenHandle(options: ListenOptions, sink: ListenerSink): RawListener {
  const listener = new HandleListener(sink, "path" in options ? options.path : null);
  listener.listen(options);
  return listener;
}
