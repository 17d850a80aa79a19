// The host half of the workerd run, on Node 24 (scripts/workerd_run.ts bundles and starts
// it): starts the servers, prints `PORTS <json>`, runs every client scenario on Node 24's
// own node:net (the oracle) and prints `ORACLE <json>`, then serves until stdin closes.
import * as net from "node:net";
import process from "node:process";
import type { NetLike } from "../diff/_harness.ts";
import { clientScenarios } from "./_scenarios.ts";
import { runClientScenarios } from "./_run.ts";
import { startServers } from "./_servers.ts";

const { ports, close } = await startServers();
console.log(`PORTS ${JSON.stringify(ports)}`);
const oracle = await runClientScenarios(net as unknown as NetLike, clientScenarios, ports);
console.log(`ORACLE ${JSON.stringify({ version: process.version, results: oracle })}`);
process.stdin.resume();
process.stdin.on("end", () => {
  close();
  process.exit(0);
});
