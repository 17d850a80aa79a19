// What a scenario checks on a runtime whose adapter lacks a capability it needs: not
// node:net's trace (which cannot happen there) but the clear Node-style error users get.
import type { Capabilities } from "../../src/contract.ts";
import type { Net } from "../../src/net.ts";
import { join } from "node:path";
import { assertResetUnavailable, close, listen, tempDir } from "../_util.ts";

/** Assert the loud failure for each missing capability. */
export async function assertUnavailable(net: Net, missing: (keyof Capabilities)[]): Promise<void> {
  for (const cap of missing) {
    if (cap === "reset") await assertResetUnavailable(net, net.adapter.name);
    else if (cap === "localBind") await assertLocalBindUnavailable(net);
    else if (cap === "ipv6Only") assertIpv6OnlyUnavailable(net);
    else if (cap === "syncWrite") await assertWritesAsync(net);
    else if (cap === "pipeReset") await assertPipeReadAhead(net);
    else throw new Error(`no check of the error for a missing '${cap}' capability`);
  }
}

async function assertLocalBindUnavailable(net: Net): Promise<void> {
  const server = net.createServer((s) => s.resume());
  const port = await listen(server);
  let thrown: (Error & { code?: string }) | undefined;
  try {
    net.connect({ port, host: "127.0.0.1", localAddress: "127.0.0.1" }).destroy();
  } catch (err) {
    thrown = err as Error & { code?: string };
  } finally {
    await close(server);
  }
  if (!thrown) throw new Error(`connect({ localAddress }) on ${net.adapter.name} must throw`);
  if (thrown.code !== "ERR_FEATURE_UNAVAILABLE_ON_PLATFORM") throw thrown;
  const expected = "The feature options.localAddress is unavailable on the current platform, " +
    `which is being used to run omninet on ${net.adapter.name}`;
  if (thrown.message !== expected) throw new Error(`message was ${JSON.stringify(thrown.message)}`);
}

function assertIpv6OnlyUnavailable(net: Net): void {
  const server = net.createServer();
  let thrown: (Error & { code?: string }) | undefined;
  try {
    server.listen({ port: 0, host: "::1", ipv6Only: true });
  } catch (err) {
    thrown = err as Error & { code?: string };
  } finally {
    if (server.listening) server.close();
  }
  if (!thrown) throw new Error(`listen({ ipv6Only }) on ${net.adapter.name} must throw`);
  if (thrown.code !== "ERR_FEATURE_UNAVAILABLE_ON_PLATFORM") throw thrown;
  const expected = "The feature options.ipv6Only is unavailable on the current platform, " +
    `which is being used to run omninet on ${net.adapter.name}`;
  if (thrown.message !== expected) throw new Error(`message was ${JSON.stringify(thrown.message)}`);
}

/**
 * Without `syncWrite` a write's acceptance is known only later: past the high-water mark
 * `write()` returns false, the bytes wait in the Writable and 'drain' follows, all of them
 * then written (README, what each runtime cannot do).
 */
async function assertWritesAsync(net: Net): Promise<void> {
  let received = 0;
  const server = net.createServer((s) => s.on("data", (d: Uint8Array) => received += d.byteLength));
  const port = await listen(server);
  try {
    const client = net.connect(port, "127.0.0.1");
    await new Promise((resolve) => client.once("connect", resolve));
    const ok = client.write(new Uint8Array(65537));
    const queued = client.writableLength;
    await new Promise((resolve) => client.once("drain", resolve));
    await new Promise((resolve) => client.end(resolve));
    if (ok !== false || queued !== 65537) {
      throw new Error(`write() gave ${ok}, ${queued} B queued: this adapter has syncWrite`);
    }
    for (let i = 0; i < 200 && received < 65537; i++) await new Promise((resolve) => setTimeout(resolve, 5));
    if (received !== 65537) throw new Error(`the peer received ${received} of 65537 B`);
  } finally {
    await close(server);
  }
}

/**
 * Without `pipeReset` the runtime reads a Unix socket ahead of the core: a peer paused at
 * 64 KiB has taken all 70,000 bytes out of the kernel, so its destroy() ends our side
 * cleanly ('end', close(false)) where node:net's gives `read ECONNRESET` (README, what each
 * runtime cannot do).
 */
async function assertPipeReadAhead(net: Net): Promise<void> {
  const dir = tempDir();
  const path = join(dir.path, "s.sock");
  const events: string[] = [];
  const server = net.createServer((p) => {
    p.pause();
    setTimeout(() => p.destroy(), 50);
  });
  await new Promise<void>((resolve) => server.listen(path, resolve));
  try {
    const client = net.connect({ path });
    client.resume();
    client.on("end", () => events.push("end"));
    client.on("error", (err: Error & { code?: string }) => events.push(`error ${err.code}`));
    await new Promise<void>((resolve) => {
      client.on("close", (hadError: boolean) => {
        events.push(`close(${hadError})`);
        resolve();
      });
      client.write(new Uint8Array(70_000));
    });
  } finally {
    await close(server);
    dir.cleanup();
  }
  if (events.join(", ") !== "end, close(false)") {
    throw new Error(`events were ${events.join(", ")}: this adapter leaves unread bytes in the kernel (pipeReset)`);
  }
}
