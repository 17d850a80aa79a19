// A Deno.Listener seen through the RawListener contract: bind synchronously (as Node
// does for an IP address or a path) and report listening or the bind error at once (the
// core's guard runs the sink after listen() returned), then an accept loop handing each
// connection to the core, not yet reading.
import type { ListenerSink, ListenOptions, RawAddress, RawListener } from "../../src/contract.ts";
import { denoApi, type DenoListener } from "./_deno_api.ts";
import { DenoRawConn } from "./conn.ts";
import { pipeMode } from "../_shared/pipe.ts";
import { deliver, rethrow, toRawAddress } from "./_util.ts";
import { fromDenoError } from "./errors.ts";

/** Wraps one Deno listener. */
export class DenoRawListener implements RawListener {
  #listener: DenoListener | null = null;
  #sink: ListenerSink;
  #closed: Promise<void> | null = null;
  #acceptLoop: Promise<void> | null = null;
  #refed = true;
  #address: RawAddress | undefined;

  constructor(sink: ListenerSink) {
    this.#sink = sink;
  }

  /** Bind now; `onListening` or `onError` follows (inside this call). */
  listen(options: ListenOptions): void {
    let listener: DenoListener;
    try {
      listener = bind(options);
    } catch (err) {
      // The core gives it Node's listen form (src/errors/system_errors.ts, listenError).
      this.#sink.onError(fromDenoError(err, "listen"));
      return;
    }
    this.#listener = listener;
    if (!this.#refed) listener.unref();
    this.#acceptLoop = this.#runAcceptLoop(listener);
    this.#sink.onListening();
  }

  async #runAcceptLoop(listener: DenoListener): Promise<void> {
    for (;;) {
      let conn;
      try {
        conn = await listener.accept();
      } catch (err) {
        if (this.#closed !== null) return;
        const error = fromDenoError(err, "accept");
        deliver(() => this.#sink.onError(error));
        // A persistent failure (EMFILE) must not spin: let the event loop turn first.
        await new Promise((resolve) => setTimeout(resolve, 0));
        if (this.#closed !== null) return;
        continue;
      }
      if (this.#closed !== null) {
        conn.close();
        return;
      }
      try {
        const raw = new DenoRawConn(conn);
        raw.setSink(this.#sink.onConnection(raw));
      } catch (err) {
        rethrow(err);
      }
    }
  }

  address(): RawAddress | undefined {
    if (this.#closed !== null || this.#listener === null) return undefined;
    this.#address ??= toRawAddress(this.#listener.addr);
    return this.#address;
  }

  close(done: () => void): void {
    if (this.#closed === null) {
      const listener = this.#listener;
      if (listener !== null) {
        // libuv unlinks a Unix socket's path before closing it: connects after close()
        // then fail with ENOENT at once, as on Node.
        const addr = listener.addr as { transport: string; path?: string };
        if (addr.transport === "unix" && addr.path) {
          try {
            denoApi().removeSync(addr.path);
          } catch {
            // already gone
          }
        }
        try {
          listener.close();
        } catch {
          // already closed
        }
      }
      // The port is free once the pending accept has been rejected (Deno's own advice).
      this.#closed = Promise.resolve(this.#acceptLoop).then(() => {});
    }
    this.#closed.then(done);
  }

  ref(): void {
    this.#refed = true;
    if (this.#closed === null) this.#listener?.ref();
  }

  unref(): void {
    this.#refed = false;
    if (this.#closed === null) this.#listener?.unref();
  }
}

/** `Deno.listen` for the contract's options; throws what Deno throws. */
function bind(options: ListenOptions): DenoListener {
  const deno = denoApi();
  if ("path" in options) {
    // Deno takes no backlog for Unix sockets (its default, 511 on Linux, is used).
    const listener = deno.listen({ transport: "unix", path: options.path });
    if (options.readableAll || options.writableAll) {
      try {
        deno.chmodSync(options.path, pipeMode(options.readableAll, options.writableAll));
      } catch (err) {
        listener.close();
        throw fromDenoError(err, "uv_pipe_chmod"); // Node: `uv_pipe_chmod EPERM`
      }
    }
    return listener;
  }
  // ipv6Only, and reusePort without --unstable-net (where Deno.listen would exit the
  // process), never get here: the core refuses them first (capabilities).
  return deno.listen({
    transport: "tcp",
    hostname: options.host,
    port: options.port,
    tcpBacklog: options.backlog,
    ...(options.reusePort ? { reusePort: true } : {}),
  });
}
