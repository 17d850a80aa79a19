// A Bun listener seen through the RawListener contract: bind synchronously (Bun.listen
// throws a bind error at once), report listening or the error at once (the core's guard
// runs the sink after listen() returned), then hand
// each accepted socket to the core, not yet read (what arrives first is held).
import { chmodSync } from "node:fs";
import { familyOf } from "../_shared/address.ts";
import { pipeMode } from "../_shared/pipe.ts";
import type { ListenerSink, ListenOptions, RawAddress, RawListener } from "../../src/contract.ts";
import { bunApi, type BunListener, type BunListenOptions, type BunSocket } from "./_bun_types.ts";
import { BunRawConn } from "./conn.ts";
import { rethrow } from "./_util.ts";
import { fromBunError } from "./errors.ts";

/** Wraps one Bun listener. */
export class BunRawListener implements RawListener {
  #listener: BunListener | null = null;
  #sink: ListenerSink;
  #closed = false;
  #address: RawAddress | undefined;

  constructor(sink: ListenerSink) {
    this.#sink = sink;
  }

  /** Bind now; `onListening` or `onError` follows (inside this call). */
  listen(options: ListenOptions): void {
    const pipe = "path" in options;
    const path = pipe ? options.path : null;
    const handlers = {
      ...BunRawConn.handlers,
      open: (socket: BunSocket<BunRawConn>) => {
        const conn = BunRawConn.accept(socket, path);
        if (this.#closed) {
          conn.close();
          return;
        }
        try {
          // Connected and writable inside Bun's `open` handler: the core may write inside
          // onConnection (a write in 'connection' completes there, as on Node).
          conn.setSink(this.#sink.onConnection(conn, (s) => conn.setSink(s)));
        } catch (err) {
          rethrow(err);
        }
        conn.settle();
      },
    };
    let bunOptions: BunListenOptions<BunRawConn>;
    if (pipe) {
      // Bun takes no backlog: its own (uSockets') is used.
      bunOptions = { socket: handlers, allowHalfOpen: true, unix: options.path };
    } else {
      bunOptions = {
        socket: handlers,
        allowHalfOpen: true,
        hostname: options.host,
        port: options.port,
        ...(options.reusePort ? { reusePort: true } : {}),
        ...(options.ipv6Only ? { ipv6Only: true } : {}),
      };
    }
    let listener: BunListener;
    try {
      listener = bunApi().listen(bunOptions);
    } catch (err) {
      // The core gives it Node's listen form (src/errors/system_errors.ts, listenError).
      this.#sink.onError(fromBunError(err, "listen"));
      return;
    }
    if (pipe && (options.readableAll || options.writableAll)) {
      try {
        chmodSync(options.path, pipeMode(options.readableAll, options.writableAll));
      } catch (err) {
        listener.stop(true);
        this.#sink.onError(fromBunError(err, "uv_pipe_chmod")); // Node: `uv_pipe_chmod EPERM`
        return;
      }
    }
    this.#listener = listener;
    this.#sink.onListening();
  }

  address(): RawAddress | undefined {
    const listener = this.#listener;
    if (this.#closed || listener === null) return undefined;
    this.#address ??= addressOf(listener);
    return this.#address;
  }

  close(done: () => void): void {
    if (!this.#closed) {
      this.#closed = true;
      const listener = this.#listener;
      this.#listener = null;
      // stop(false): stop accepting and release the port (or unlink the path) now; the
      // accepted connections stay open, the core ends them.
      listener?.stop(false);
    }
    done();
  }

  ref(): void {
    if (!this.#closed) this.#listener?.ref();
  }

  unref(): void {
    if (!this.#closed) this.#listener?.unref();
  }
}

/** The bound address: getsockname (the port chosen for port 0) or the path. */
function addressOf(listener: BunListener): RawAddress | undefined {
  if (typeof listener.unix === "string" && listener.unix !== "") return { path: listener.unix };
  const out: Record<string, unknown> = {};
  listener.getsockname?.(out);
  const address = typeof out.address === "string" ? out.address : listener.hostname;
  const port = typeof out.port === "number" ? out.port : listener.port;
  if (address === undefined || port === undefined) return undefined;
  return { address, family: familyOf(address), port };
}
