// One soak process, started by scripts/soak/run.ts on Node 20 (compiled), Node 24, Deno or Bun:
//
//   worker.ts <role> '<json params>'
//
// roles:  integrity         one in-process case (pairing omni-omni, omni-node, node-omni;
//                           "node" is this runtime's node:net); prints @@RESULT
//         integrity-rounds  params.rounds short in-process cases, the pairings in turn
//         integrity-server  listen (variant omninet | node_net), print @@READY, serve one
//                           connection, print @@RESULT
//         integrity-client  connect to params.address, print @@RESULT
//         scale             server and clients in this process; prints @@RESULT
//         scale-server      echo server; @@READY {port}; on stdin "report" prints @@RESULT
//         scale-client      params.count connections to params.port; prints @@RESULT
//         faults            the fault scenarios (variant omninet | node_net); prints @@RESULT
//         fault-peer        the RST and FIN peers (node:net); @@READY; exits when stdin ends
//         blackhole         a backlog-0 listener, then blocks its event loop (bounded); @@READY
// Every line for the orchestrator starts with "@@"; anything else is diagnostics.
import process from "node:process";
import * as nodeNet from "node:net";
import net from "../../mod.ts";
import { runtimeAdapter } from "../../src/_runtime_adapter.ts";
import { type NetLike, runScenario } from "../../tests/diff/_harness.ts";
import { connectOptions, listenOn, pump, runCase, seeds, serveOne, target, type Transport } from "./_integrity.ts";
import { rss, runScaleClients, sleep, startScaleServer } from "./_scale.ts";
import { faultScenarios, startBlackhole, startFaultPeers, SYNC_WRITE_KEY } from "./_faults.ts";

const omni = net as unknown as NetLike;
const node = nodeNet as unknown as NetLike;
type Params = Record<string, unknown>;

function emit(tag: string, value: unknown): void {
  console.log(`@@${tag} ${JSON.stringify(value)}`);
}

function pick(variant: unknown): NetLike {
  return variant === "node_net" ? node : omni;
}

function onStdinLine(fn: (line: string) => void, onEnd: () => void): void {
  let buffered = "";
  process.stdin.on("data", (d: Uint8Array | string) => {
    buffered += typeof d === "string" ? d : new TextDecoder().decode(d);
    let i: number;
    while ((i = buffered.indexOf("\n")) >= 0) {
      fn(buffered.slice(0, i).trim());
      buffered = buffered.slice(i + 1);
    }
  });
  process.stdin.on("end", onEnd);
  process.stdin.resume();
}

async function main(role: string, p: Params): Promise<void> {
  const timeoutMs = Number(p.timeoutMs ?? 60_000);
  switch (role) {
    case "integrity": {
      const [c, s] = p.pairing === "omni-node"
        ? [omni, node]
        : p.pairing === "node-omni"
        ? [node, omni]
        : p.pairing === "node-node"
        ? [node, node]
        : [omni, omni];
      emit("RESULT", await runCase(c, s, p.transport as Transport, Number(p.bytes), Number(p.seed), timeoutMs));
      return;
    }
    case "integrity-rounds": {
      // Many short cases in one process: the end of a stream is where close races live.
      const results = [];
      for (let i = 0; i < Number(p.rounds); i++) {
        const pairing = ["omni-omni", "omni-node", "node-omni"][i % 3];
        const [c, s] = pairing === "omni-node" ? [omni, node] : pairing === "node-omni" ? [node, omni] : [omni, omni];
        const r = await runCase(
          c,
          s,
          p.transport as Transport,
          Number(p.bytes),
          Number(p.seed) + i,
          timeoutMs,
          p.pauses !== false,
        );
        results.push({ pairing, seed: Number(p.seed) + i, ...r });
      }
      emit("RESULT", { results });
      return;
    }
    case "integrity-server": {
      const t = target(p.transport as Transport);
      const server = await listenOn(pick(p.variant), t.listenArgs);
      emit("READY", { address: connectOptions(server) });
      const r = await serveOne(server, Number(p.seed), Number(p.bytes), timeoutMs);
      t.cleanup();
      emit("RESULT", r);
      return;
    }
    case "integrity-client": {
      const socket = pick(p.variant).connect(p.address);
      emit("RESULT", await pump(socket, { ...seeds(Number(p.seed)).client, bytes: Number(p.bytes), timeoutMs }));
      return;
    }
    case "scale": {
      const count = Number(p.count);
      const base = rss();
      const s = await startScaleServer(omni, count);
      const r = await runScaleClients(omni, s.port, count, timeoutMs, async () => {
        const end = Date.now() + 10_000;
        while (s.open < count && Date.now() < end) await sleep(10);
      });
      await s.ledger.settled(3000);
      await sleep(100);
      s.server.close();
      emit("RESULT", {
        client: r,
        server: {
          peakOpen: s.peakOpen,
          total: s.ledger.total,
          missingClose: s.ledger.missing,
          doubleClose: s.ledger.doubled,
          errors: s.errors,
        },
        rssBase: base,
      });
      return;
    }
    case "scale-server": {
      const base = rss();
      let peak = base;
      const s = await startScaleServer(omni, Number(p.count));
      const sampler = setInterval(() => (peak = Math.max(peak, rss())), 50);
      emit("READY", { port: s.port });
      await new Promise<void>((resolve) => onStdinLine((line) => line === "report" && resolve(), resolve));
      await s.ledger.settled(3000);
      await sleep(100);
      clearInterval(sampler);
      s.server.close();
      emit("RESULT", {
        peakOpen: s.peakOpen,
        total: s.ledger.total,
        missingClose: s.ledger.missing,
        doubleClose: s.ledger.doubled,
        errors: s.errors,
        rssBase: base,
        rssHeld: s.rssHeld,
        rssPeak: Math.max(peak, s.rssHeld, rss()),
      });
      process.exit(0);
      return;
    }
    case "scale-client": {
      emit("RESULT", await runScaleClients(omni, Number(p.port), Number(p.count), timeoutMs));
      return;
    }
    case "faults": {
      const results: Record<string, unknown> = {};
      for (const scenario of faultScenarios(p.ports as never)) {
        results[scenario.name] = await runScenario(pick(p.variant), scenario);
      }
      // What the comparison must allow for: an adapter without synchronous writes.
      if (p.variant === "omninet") results[SYNC_WRITE_KEY] = runtimeAdapter().capabilities.syncWrite === true;
      emit("RESULT", results);
      return;
    }
    case "fault-peer": {
      const peers = await startFaultPeers(node);
      emit("READY", peers.ports);
      await new Promise<void>((resolve) => onStdinLine(() => {}, resolve));
      peers.close();
      process.exit(0);
      return;
    }
    case "blackhole": {
      emit("READY", { port: await startBlackhole(node) });
      // Block the event loop so nothing is accepted; bounded, then leave.
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, Number(p.ms ?? 120_000));
      process.exit(0);
      return;
    }
    default:
      throw new Error(`unknown role ${role}`);
  }
}

const [role, json] = process.argv.slice(2);
main(role, json ? JSON.parse(json) : {}).then(
  () => process.exit(0),
  (err) => {
    console.error(err);
    process.exit(1);
  },
);
