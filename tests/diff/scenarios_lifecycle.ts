// Scenarios: the socket's life: connect-time calls (destroy, end, write, pause, abort),
// destroy/destroySoon/resetAndDestroy, state getters and write after end or destroy.
import type { NetLike, Recorder, Scenario, SocketLike } from "./_harness.ts";
import { serve, serveEcho, settle, snapshot } from "./_serve.ts";

/** A server whose peers are not traced (their timing relative to the client varies). */
async function quietServer(net: NetLike, rec: Recorder) {
  const server = net.createServer((peer) => {
    peer.on("error", () => {});
    peer.resume();
  });
  const port = await rec.listen(server);
  return { server, port };
}

function logCallback(rec: Recorder, label: string, what: string) {
  return (err?: Error | null) => rec.log(label, `${what} callback(${err ? (err as { code?: string }).code : err})`);
}

export const lifecycleScenarios: Scenario[] = [
  {
    name: "destroy() during connect: close(false), no connect",
    async run(net, rec) {
      const { server, port } = await quietServer(net, rec);
      const client = net.connect(port, "127.0.0.1");
      rec.watch("client", client);
      client.destroy();
      snapshot(rec, "client", "after destroy", client);
      await rec.closed(client);
      await rec.closeServer(server);
    },
  },
  {
    name: "destroy(err) during connect: error then close(true)",
    async run(net, rec) {
      const { server, port } = await quietServer(net, rec);
      const client = net.connect(port, "127.0.0.1");
      rec.watch("client", client);
      client.destroy(new Error("boom"));
      await rec.closed(client);
      await rec.closeServer(server);
    },
  },
  {
    name: "end() during connect sends FIN once connected",
    async run(net, rec) {
      const served = await serve(net, rec);
      const client = net.connect(served.port, "127.0.0.1");
      rec.watch("client", client);
      client.end("bye", logCallback(rec, "client", "end"));
      snapshot(rec, "client", "after end", client);
      client.resume();
      await settle(rec, served, client);
    },
  },
  {
    name: "writes before connect are queued, counted in bytesWritten, and sent in order",
    async run(net, rec) {
      const served = await serve(net, rec, (peer) => {
        peer.setEncoding("utf8");
        peer.on("end", () => peer.end());
      });
      const client = net.connect(served.port, "127.0.0.1");
      rec.watch("client", client);
      // Callbacks get their own trace: node:net runs them inside the 'connect' emit when the
      // kernel takes the bytes at once.
      rec.log("client", `write: ${client.write("one,", logCallback(rec, "callbacks", "write 1"))}`);
      rec.log("client", `write: ${client.write("zwei €,", "utf8", logCallback(rec, "callbacks", "write 2"))}`);
      rec.log("client", `write: ${client.write("ff00", "hex", logCallback(rec, "callbacks", "write 3"))}`);
      rec.log("client", `bytesWritten before connect=${client.bytesWritten}`);
      client.end();
      client.resume();
      await settle(rec, served, client);
      rec.log("client", `bytesWritten=${client.bytesWritten} bytesRead=${client.bytesRead}`);
    },
  },
  {
    name: "pause() before connect holds data until resume()",
    async run(net, rec) {
      let peerFinished!: Promise<unknown>;
      const served = await serve(net, rec, (peer) => {
        peerFinished = rec.next(peer, "finish");
        peer.end("hello");
      });
      const client = net.connect(served.port, "127.0.0.1");
      rec.watch("client", client);
      const connected = rec.next(client, "connect");
      client.pause();
      await served.peer;
      await Promise.all([connected, peerFinished]);
      rec.log("client", `isPaused=${client.isPaused()}`);
      client.resume();
      await settle(rec, served, client);
    },
  },
  {
    name: "state getters in every phase",
    async run(net, rec) {
      const served = await serve(net, rec, (peer) => peer.on("end", () => setTimeout(() => peer.end(), 20)));
      const client = new net.Socket();
      snapshot(rec, "client", "new", client);
      rec.watch("client", client);
      client.connect(served.port, "127.0.0.1");
      snapshot(rec, "client", "connect()", client);
      client.on("connect", () => {
        snapshot(rec, "client", "on connect", client);
        client.end();
        snapshot(rec, "client", "after end()", client);
      });
      client.on("end", () => snapshot(rec, "client", "on end", client));
      client.on("close", () => snapshot(rec, "client", "on close", client));
      client.resume();
      await settle(rec, served, client);
    },
  },
  {
    name: "destroySoon() flushes pending writes, then closes",
    async run(net, rec) {
      const served = await serve(net, rec, (peer) => peer.setEncoding("utf8"));
      const client = net.connect(served.port, "127.0.0.1");
      rec.watch("client", client);
      client.on("connect", () => {
        client.write("last words");
        client.destroySoon();
        snapshot(rec, "client", "after destroySoon", client);
      });
      await settle(rec, served, client);
    },
  },
  {
    name: "resetAndDestroy(): the peer sees ECONNRESET",
    needs: ["reset"],
    async run(net, rec) {
      const served = await serve(net, rec);
      const client = net.connect(served.port, "127.0.0.1");
      rec.watch("client", client);
      const peer = await served.peer;
      client.write("x");
      await rec.next(peer, "data");
      client.resetAndDestroy();
      await settle(rec, served, client);
    },
  },
  {
    name: "resetAndDestroy() while connecting resets once connected",
    needs: ["reset"],
    async run(net, rec) {
      const served = await serve(net, rec);
      const client = net.connect(served.port, "127.0.0.1");
      rec.watch("client", client);
      client.resetAndDestroy();
      snapshot(rec, "client", "after resetAndDestroy", client);
      await settle(rec, served, client);
    },
  },
  {
    name: "resetAndDestroy() on a socket that never connected: ERR_SOCKET_CLOSED",
    async run(net, rec) {
      const client = new net.Socket();
      rec.watch("client", client);
      client.resetAndDestroy();
      await rec.closed(client);
    },
  },
  {
    name: "destroy(err) when connected: error, close(true); the peer sees end",
    async run(net, rec) {
      const served = await serve(net, rec);
      const client = net.connect(served.port, "127.0.0.1");
      rec.watch("client", client);
      await served.peer;
      await rec.next(client, "connect").catch(() => {});
      client.destroy(Object.assign(new Error("mine"), { code: "EMINE" }));
      snapshot(rec, "client", "after destroy", client);
      await settle(rec, served, client);
    },
  },
  {
    name: "destroy() twice: the second error is not emitted",
    async run(net, rec) {
      const served = await serve(net, rec);
      const client = net.connect(served.port, "127.0.0.1");
      rec.watch("client", client);
      client.on("connect", () => {
        client.destroy();
        client.destroy(new Error("late"));
        client.emit("timeout");
      });
      await settle(rec, served, client);
    },
  },
  {
    name: "write after end(): ERR_STREAM_WRITE_AFTER_END",
    async run(net, rec) {
      const served = await serve(net, rec);
      const client = net.connect(served.port, "127.0.0.1");
      rec.watch("client", client);
      client.on("connect", () => {
        client.end();
        rec.log("client", `write: ${client.write("late", logCallback(rec, "client", "write"))}`);
      });
      client.resume();
      await settle(rec, served, client);
    },
  },
  {
    name: "write after destroy(): ERR_STREAM_DESTROYED in the callback only",
    async run(net, rec) {
      const served = await serve(net, rec);
      const client = net.connect(served.port, "127.0.0.1");
      rec.watch("client", client);
      client.on("connect", () => {
        client.destroy();
        rec.log("client", `write: ${client.write("late", logCallback(rec, "client", "write"))}`);
      });
      await settle(rec, served, client);
    },
  },
  {
    name: "the peer destroys at once: the client sees end, finish, close(false)",
    async run(net, rec) {
      const served = await serve(net, rec, (peer) => peer.destroy());
      const client = net.connect(served.port, "127.0.0.1");
      rec.watch("client", client);
      client.resume();
      await settle(rec, served, client);
    },
  },
  {
    name: "reconnecting a closed socket",
    async run(net, rec) {
      const served = await serveEcho(net, rec);
      const client = net.connect(served.port, "127.0.0.1");
      rec.watch("client", client);
      await rec.next(client, "connect");
      client.destroy();
      await rec.next(client, "close");
      snapshot(rec, "client", "closed", client);
      const again = new Promise<void>((resolve) => {
        client.connect(served.port, "127.0.0.1", () => {
          snapshot(rec, "client", "reconnected", client);
          client.end("again");
          resolve();
        });
      });
      client.resume();
      await again;
      await rec.next(client, "close");
      await rec.closeServer(served.server);
    },
  },
  {
    name: "new Socket({ signal }) with an aborted signal: AbortError, bare close",
    async run(net, rec) {
      // node:net then un-destroys the socket while setting it up: it is not destroyed.
      const client = new net.Socket({ signal: AbortSignal.abort() });
      rec.watch("client", client);
      snapshot(rec, "client", "built", client);
      await rec.closed(client);
      snapshot(rec, "client", "closed", client);
    },
  },
  {
    name: "signal aborted during connect: AbortError, close(true)",
    async run(net, rec) {
      const { server, port } = await quietServer(net, rec);
      const controller = new AbortController();
      const client = net.connect({ port, host: "127.0.0.1", signal: controller.signal });
      rec.watch("client", client);
      controller.abort();
      await rec.closed(client);
      await rec.closeServer(server);
    },
  },
  {
    name: "signal aborted after connect: AbortError; the peer sees end",
    async run(net, rec) {
      const served = await serve(net, rec);
      const controller = new AbortController();
      const client = net.connect({ port: served.port, host: "127.0.0.1", signal: controller.signal });
      rec.watch("client", client);
      client.on("connect", () => controller.abort(new Error("stop")));
      await settle(rec, served, client);
    },
  },
  {
    name: "'close' hadError after a read error (ECONNRESET from the peer)",
    needs: ["reset"],
    async run(net, rec) {
      const served = await serve(net, rec, (peer: SocketLike) => peer.once("data", () => peer.resetAndDestroy()));
      const client = net.connect(served.port, "127.0.0.1");
      rec.watch("client", client);
      client.on("connect", () => client.write("go"));
      await settle(rec, served, client);
    },
  },
];
