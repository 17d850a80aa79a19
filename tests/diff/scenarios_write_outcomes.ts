// Scenarios: what the callbacks of queued writes get when the connection ends under them
// (issue 11). Node's rule: a write's callback says ok once libuv handed all its bytes to
// the kernel; the write libuv was still working on when the handle closed gets ECANCELED;
// the writes still in the Writable's buffer get the socket's error (the destroy(err) error,
// the peer's ECONNRESET); 'error' comes before them.
//
// Deterministic on loopback: the peer never reads, the client writes 128 KiB at a time, each
// after the one before said ok, until one stays unfinished (the kernel's buffers are full:
// that write is in libuv's hands); how many went before depends on the kernel, so the
// trace records only that they all said ok. Then QUEUED more writes wait behind it.
import { Buffer } from "node:buffer";
import { type Recorder, type Scenario, sleep, SOCKET_EVENTS } from "./_harness.ts";
import { serve, settle } from "./_serve.ts";
import type { NetLike } from "./_harness.ts";

/** One write: below the memory adapter's 256 KiB socket buffer, so some writes finish there too. */
const CHUNK = 128 * 1024;
const QUEUED = 4;
const NO_DRAIN = SOCKET_EVENTS.filter((e) => e !== "drain");

function code(err: Error | null | undefined): string {
  return err ? (err as { code?: string }).code ?? err.message : String(err);
}

/**
 * Connect to a peer that never reads; write 128 KiB writes one after the other until one does
 * not finish within 100 ms (the last is "in flight"), then QUEUED more ("queued 1" …).
 */
async function stuckWriter(net: NetLike, rec: Recorder) {
  const served = await serve(net, rec, () => {}, { pauseOnConnect: true, events: ["error", "close"] });
  const client = net.connect(served.port, "127.0.0.1");
  rec.watch("client", client, NO_DRAIN);
  await new Promise((resolve) => client.once("connect", resolve));
  const peer = await served.peer;
  const chunk = Buffer.alloc(CHUNK, 0x61);
  let oks = 0;
  for (let i = 0; i < 1024; i++) {
    let finished = false;
    let stuck = false;
    client.write(chunk, (err?: Error | null) => {
      finished = true;
      if (stuck) rec.log("client", `in-flight write callback(${code(err)})`);
      else if (err) rec.log("client", `earlier write callback(${code(err)})`);
      else oks++;
    });
    for (let t = 0; t < 10 && !finished; t++) await sleep(10);
    if (!finished) {
      stuck = true;
      break;
    }
  }
  rec.log("client", `filled: ${oks > 0 ? "earlier writes ok" : "no write finished"}`);
  for (let q = 1; q <= QUEUED; q++) {
    client.write(chunk, (err?: Error | null) => rec.log("client", `queued ${q} callback(${code(err)})`));
  }
  rec.log("client", `writableLength: ${client.writableLength >= QUEUED * CHUNK ? "≥ queued" : client.writableLength}`);
  return { served, client, peer };
}

export const writeOutcomeScenarios: Scenario[] = [
  {
    name: "write outcomes: the peer resets with writes queued: in-flight ECANCELED, queued ECONNRESET, after 'error'",
    needs: ["reset"],
    async run(net, rec) {
      const { served, client, peer } = await stuckWriter(net, rec);
      peer.resetAndDestroy();
      await settle(rec, served, client);
    },
  },
  {
    name: "write outcomes: destroy(err) with writes queued: in-flight ECANCELED, queued the error, after 'error'",
    async run(net, rec) {
      const { served, client, peer } = await stuckWriter(net, rec);
      client.destroy(Object.assign(new Error("boom"), { code: "EBOOM" }));
      peer.destroy();
      await settle(rec, served, client);
    },
  },
  {
    name: "write outcomes: destroy() with writes queued: in-flight and queued ECANCELED, no 'error'",
    async run(net, rec) {
      const { served, client, peer } = await stuckWriter(net, rec);
      client.destroy();
      peer.destroy();
      await settle(rec, served, client);
    },
  },
  {
    name: "write outcomes: resetAndDestroy() with writes queued: in-flight and queued ECANCELED, no 'error'",
    needs: ["reset"],
    async run(net, rec) {
      const { served, client, peer } = await stuckWriter(net, rec);
      client.resetAndDestroy();
      peer.destroy();
      await settle(rec, served, client);
    },
  },
  {
    name: "write outcomes: a burst of 8 × 8 KiB the kernel takes says ok, also when the peer resets after",
    needs: ["reset"],
    async run(net, rec) {
      const served = await serve(net, rec, () => {}, { pauseOnConnect: true, events: ["error", "close"] });
      const client = net.connect(served.port, "127.0.0.1");
      rec.watch("client", client, NO_DRAIN);
      await new Promise((resolve) => client.once("connect", resolve));
      const peer = await served.peer;
      for (let i = 0; i < 8; i++) {
        client.write(
          Buffer.alloc(8 * 1024),
          (err?: Error | null) => rec.log("client", `write ${i} callback(${code(err)})`),
        );
      }
      await sleep(100);
      peer.resetAndDestroy();
      await settle(rec, served, client);
    },
  },
];
