// What a scenario checks on a runtime whose adapter lacks a capability it needs: not
// node:net's trace (which cannot happen there) but the clear Node-style error users get.
import type { Capabilities } from "../../src/contract.ts";
import type { Net } from "../../src/net.ts";
import { assertResetUnavailable, close, listen } from "../_util.ts";

/** Assert the loud failure for each missing capability. */
export async function assertUnavailable(net: Net, missing: (keyof Capabilities)[]): Promise<void> {
  for (const cap of missing) {
    if (cap === "reset") await assertResetUnavailable(net, net.adapter.name);
    else if (cap === "localBind") await assertLocalBindUnavailable(net);
    else if (cap === "ipv6Only") assertIpv6OnlyUnavailable(net);
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
