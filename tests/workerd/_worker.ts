// The test Worker (bundled by scripts/workerd_run.ts, run by workerd): a request
// `GET /run?impl=omninet|nodenet&ports=<json>` runs every client scenario on omninet over
// adapters/workerd (or on workerd's own node:net) against the host's servers and answers
// the traces as JSON; `GET /checks?ports=<json>` runs the adapter's own checks.
import type { LookupAddress, LookupOptions } from "node:dns";
import { adapter } from "../../adapters/workerd/mod.ts";
import { createNet } from "../../src/net.ts";
import type { Socket as NetSocket } from "../../src/socket/socket.ts";
import { createSockets } from "../../src/sockets/connect.ts";
import type { NetLike } from "../diff/_harness.ts";
import { show } from "../diff/_harness.ts";
import { clientScenarios } from "./_scenarios.ts";
import { type Ports, runClientScenarios } from "./_run.ts";

/** One adapter check's outcome. */
export interface Check {
  name: string;
  ok: boolean;
  detail: string;
}

function code(err: unknown): string | undefined {
  return (err as { code?: string } | null)?.code;
}

async function check(name: string, fn: () => Promise<string | true>): Promise<Check> {
  try {
    const r = await fn();
    return { name, ok: r === true, detail: r === true ? "" : r };
  } catch (err) {
    return { name, ok: false, detail: `threw ${show(err)}` };
  }
}

function within<T>(p: Promise<T>, ms = 5000): Promise<T> {
  return Promise.race([p, new Promise<T>((_, reject) => setTimeout(() => reject(new Error("timed out")), ms))]);
}

async function checks(ports: Ports): Promise<Check[]> {
  const net = createNet(adapter);
  return [
    await check("capabilities: client TCP with half-close and writes taken at once, nothing else", () => {
      const c = adapter.capabilities;
      const on = Object.entries(c).filter(([, v]) => v).map(([k]) => k).join(",");
      return Promise.resolve(on === "halfOpen,syncWrite" || `on: ${on}`);
    }),
    await check("server.listen() emits ERR_FEATURE_UNAVAILABLE_ON_PLATFORM", async () => {
      const server = net.createServer();
      const err = await within(
        new Promise<unknown>((resolve) => {
          server.on("error", resolve);
          server.listen(0, "127.0.0.1");
        }),
      );
      return code(err) === "ERR_FEATURE_UNAVAILABLE_ON_PLATFORM" || `got ${show(err)}`;
    }),
    await check("connect({ path }) throws ERR_FEATURE_UNAVAILABLE_ON_PLATFORM", () => {
      try {
        net.connect({ path: "/tmp/x.sock" });
        return Promise.resolve("did not throw");
      } catch (err) {
        return Promise.resolve(code(err) === "ERR_FEATURE_UNAVAILABLE_ON_PLATFORM" || `got ${show(err)}`);
      }
    }),
    await check("resetAndDestroy() throws ERR_FEATURE_UNAVAILABLE_ON_PLATFORM (no RST)", async () => {
      const s = net.connect(ports.silent, "127.0.0.1");
      await within(new Promise((resolve, reject) => s.once("connect", resolve).once("error", reject)));
      let result: string | true = "did not throw";
      try {
        s.resetAndDestroy();
      } catch (err) {
        result = code(err) === "ERR_FEATURE_UNAVAILABLE_ON_PLATFORM" || `got ${show(err)}`;
      }
      s.destroy();
      return result;
    }),
    await check("localAddress/localPort are undefined (not exposed by cloudflare:sockets)", async () => {
      const s = net.connect(ports.silent, "127.0.0.1");
      await within(new Promise((resolve, reject) => s.once("connect", resolve).once("error", reject)));
      const r = s.localAddress === undefined && s.localPort === undefined || `${s.localAddress}:${s.localPort}`;
      s.destroy();
      return r;
    }),
    await check("a name other than localhost: EAI_FAIL from getaddrinfo, no network", async () => {
      const s = net.connect(ports.echo, "omninet.invalid");
      const err = await within(new Promise<unknown>((resolve) => s.on("error", resolve)));
      const e = err as { code?: string; syscall?: string; hostname?: string };
      return (e.code === "EAI_FAIL" && e.syscall === "getaddrinfo" && e.hostname === "omninet.invalid") ||
        `got ${show(err)}`;
    }),
    await check("a custom lookup option resolves other names", async () => {
      const s = net.connect({
        port: ports.echo,
        host: "echo.test",
        lookup: (
          _h: string,
          o: LookupOptions,
          cb: (e: NodeJS.ErrnoException | null, a: string | LookupAddress[], f?: number) => void,
        ) => o.all ? cb(null, [{ address: "127.0.0.1", family: 4 }]) : cb(null, "127.0.0.1", 4),
      });
      await within(new Promise((resolve, reject) => s.once("connect", resolve).once("error", reject)));
      s.end("x");
      const got = await within(new Promise<string>((resolve) => s.once("data", (d) => resolve(String(d)))));
      s.destroy();
      return got === "x" || `echoed ${got}`;
    }),
    await check("destroy() with 16 MiB written to a peer that does not read: 'close' follows", async () => {
      const s = net.connect(ports.stall, "127.0.0.1");
      await within(new Promise((resolve, reject) => s.once("connect", resolve).once("error", reject)));
      const outcomes = new Set<string>();
      for (let i = 0; i < 64; i++) s.write(new Uint8Array(256 * 1024), (err) => outcomes.add(String(code(err))));
      // Some bytes are in workerd's hands by now (the kernel buffers fill), the rest wait.
      await new Promise((resolve) => setTimeout(resolve, 100));
      s.destroy();
      const hadError = await within(new Promise<boolean>((resolve) => s.once("close", resolve)));
      return (!hadError && outcomes.has("ECANCELED")) || `close(${hadError}), callbacks: ${[...outcomes]}`;
    }),
    await check("await using: a Socket ends as Node 24's, a Server and a Sockets API socket close", async () => {
      const log: string[] = [];
      let socket: NetSocket | undefined;
      {
        await using s = net.connect(ports.silent, "127.0.0.1");
        socket = s;
        s.on("error", (err) => log.push(`error(${code(err)})`)).on("close", (e) => log.push(`close(${e})`));
        await within(new Promise((resolve) => s.once("connect", resolve)));
      }
      log.push("disposed");
      // Node 24: Readable's asyncDispose destroys with an AbortError and resolves at the end
      // of stream, before 'close' (tests/sockets_api_test.ts checks it on every runtime).
      await within(new Promise((resolve) => socket!.once("close", resolve)));
      {
        await using _server = net.createServer(); // not listening: resolves at once
      }
      let closed: Promise<void> | undefined;
      {
        await using api = createSockets(adapter).connect(`127.0.0.1:${ports.silent}`);
        closed = api.closed;
        await within(api.opened);
      }
      await within(closed!);
      return log.join(" ") === "error(ABORT_ERR) disposed close(true)" || log.join(" ");
    }),
  ];
}

export default {
  async fetch(request: Request): Promise<Response> {
    const url = new URL(request.url);
    const ports = JSON.parse(url.searchParams.get("ports") ?? "{}") as Ports;
    if (url.pathname === "/checks") return Response.json(await checks(ports));
    if (url.pathname !== "/run") return new Response("not found", { status: 404 });
    const impl = url.searchParams.get("impl");
    const net: NetLike = impl === "nodenet"
      ? (await import("node:net")) as unknown as NetLike
      : createNet(adapter) as unknown as NetLike;
    const only = url.searchParams.get("only");
    const scenarios = only ? clientScenarios.filter((s) => s.name.includes(only)) : clientScenarios;
    return Response.json(await runClientScenarios(net, scenarios, ports));
  },
};
