// Node's adapter under Node's permission model: process.binding is refused there, so the
// adapter must pick node:net sockets (nodeNetAdapter) and still work, where without the
// flag it runs on libuv's handles. A child Node runs tests/fixtures/node_permission_echo
// (the compiled copy beside this file) with and without the flag.
import { spawn } from "node:child_process";
import process from "node:process";
import { fileURLToPath } from "node:url";
import { suite } from "uvu";
import * as assert from "uvu/assert";

const test = suite("Node adapter under the permission model");

const script = fileURLToPath(new URL("../fixtures/node_permission_echo.js", import.meta.url));
const major = Number(process.versions.node.split(".")[0]);
// Node 20 calls it experimental; 22.13 and later take --permission.
const permission = major >= 22 ? "--permission" : "--experimental-permission";

/** Run the fixture with `flags`; its stdout lines (at most 10 s, then killed). */
async function run(flags: string[]): Promise<string[]> {
  const child = spawn(process.execPath, [...flags, script], { stdio: ["ignore", "pipe", "pipe"] });
  let out = "";
  let err = "";
  child.stdout.on("data", (d: Uint8Array) => out += new TextDecoder().decode(d));
  child.stderr.on("data", (d: Uint8Array) => err += new TextDecoder().decode(d));
  const timer = setTimeout(() => child.kill("SIGKILL"), 10_000);
  const code = await new Promise<number | null>((resolve) => child.on("close", resolve));
  clearTimeout(timer);
  assert.is(code, 0, `the fixture exited with ${code}: ${err}`);
  return out.trim().split("\n");
}

test("without the flag: libuv's handles; an echo with half-close", async () => {
  assert.equal(await run([]), ["transport handles", "data ping", "end", "close false"]);
});

test("with the permission model: node:net sockets, the same echo", async () => {
  assert.equal(await run([permission, "--allow-fs-read=*"]), [
    "transport node:net",
    "data ping",
    "end",
    "close false",
  ]);
});

test.run();
