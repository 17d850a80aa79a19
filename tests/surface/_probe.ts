// The run-time surface of a `net`-like module: the module's exports, then for a Socket and
// a Server in each phase of their life every property name reachable on the object (own
// or inherited, up to but excluding Duplex / EventEmitter, whose surface is the runtime's)
// with the kind of its value. Recorded from Node 24's node:net (scripts/record_surface.ts)
// and compared on omninet by tests/surface_test.ts.
import { Duplex } from "node:stream";
import { EventEmitter } from "node:events";
import type { AddressInfo } from "node:net";

/** Property name → kind: `typeof`, with `null`, `array` and `accessor` told apart. */
export type Shape = Record<string, string>;
/** Phase name → shape. */
export type Surface = Record<string, Shape>;

// deno-lint-ignore no-explicit-any
type Any = any;

function kindOf(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "array";
  return typeof value;
}

/** Names of well-known symbols a property may be keyed by (`Symbol.asyncDispose` …). */
function symbolName(key: symbol): string | undefined {
  for (const name of ["asyncDispose", "dispose", "asyncIterator"] as const) {
    const wellKnown = (Symbol as Any)[name];
    if (wellKnown !== undefined && key === wellKnown) return `[Symbol.${name}]`;
  }
  return undefined;
}

/**
 * Every property reachable on `object` above `stop` in its prototype chain, with value
 * kinds. Values are read in name order (a getter may cache what another name shows), so
 * where a name is defined (instance or prototype) does not change the result.
 */
export function shapeOf(object: object, stop: object): Shape {
  const keys = new Map<string, PropertyKey>();
  for (let o: object | null = object; o !== null && o !== stop; o = Object.getPrototypeOf(o)) {
    for (const key of Reflect.ownKeys(o)) {
      const name = typeof key === "string" ? key : symbolName(key);
      if (name !== undefined && name !== "constructor" && !keys.has(name)) keys.set(name, key);
    }
  }
  const shape: Shape = {};
  for (const name of [...keys.keys()].sort()) {
    try {
      shape[name] = kindOf((object as Any)[keys.get(name)!]);
    } catch {
      shape[name] = "throws";
    }
  }
  return shape;
}

/** The parts of the API a probe needs. */
export interface NetModule {
  Socket: Any;
  Server: Any;
  Stream?: Any;
  createServer(...args: Any[]): Any;
  connect(...args: Any[]): Any;
}

function once(emitter: EventEmitter, event: string): Promise<unknown[]> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no '${event}' within 5 s`)), 5000);
    emitter.once(event, (...args: unknown[]) => {
      clearTimeout(timer);
      resolve(args);
    });
  });
}

/** The module's exports and how the classes may be called. */
function exportsShape(net: Any): Shape {
  const shape: Shape = {};
  for (const key of Object.keys(net)) {
    if (key === "default") continue;
    shape[key] = kindOf(net[key]);
  }
  const callable = (name: string, f: () => unknown) => {
    try {
      const made = f();
      shape[`${name}() without new`] = made instanceof net.Socket || made instanceof net.Server
        ? "instance"
        : kindOf(made);
      (made as Any)?.destroy?.();
    } catch (err) {
      shape[`${name}() without new`] = `throws ${(err as Error).name}`;
    }
  };
  callable("Socket", () => net.Socket());
  callable("Server", () => net.Server());
  if (typeof net.Stream === "function") callable("Stream", () => net.Stream());
  return Object.fromEntries(Object.entries(shape).sort(([a], [b]) => a < b ? -1 : a > b ? 1 : 0));
}

/** Probe `net` (node:net or an omninet API) over loopback TCP. */
export async function probeSurface(net: Any): Promise<Surface> {
  const out: Surface = { exports: exportsShape(net) };
  out["Socket: new"] = shapeOf(new net.Socket(), Duplex.prototype);
  const server = net.createServer();
  out["Server: new"] = shapeOf(server, EventEmitter.prototype);
  const accepted = once(server, "connection");
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  out["Server: listening"] = shapeOf(server, EventEmitter.prototype);
  const { port } = server.address() as AddressInfo;
  const client = net.connect(port, "127.0.0.1");
  out["Socket: connecting"] = shapeOf(client, Duplex.prototype);
  await once(client, "connect");
  out["Socket: connected"] = shapeOf(client, Duplex.prototype);
  const [peer] = await accepted as [Any];
  out["Socket: accepted"] = shapeOf(peer, Duplex.prototype);
  const clientClosed = once(client, "close");
  const peerClosed = once(peer, "close");
  client.end();
  peer.end();
  await Promise.all([clientClosed, peerClosed]);
  out["Socket: closed"] = shapeOf(client, Duplex.prototype);
  const serverClosed = once(server, "close");
  server.close();
  await serverClosed;
  out["Server: closed"] = shapeOf(server, EventEmitter.prototype);
  return out;
}

/**
 * What `actual` lacks or has of another kind, against `expected`: one line each. Extra
 * properties are not differences.
 */
export function surfaceDifferences(expected: Surface, actual: Surface): string[] {
  const lines: string[] = [];
  for (const [phase, shape] of Object.entries(expected)) {
    const mine = actual[phase] ?? {};
    for (const [name, kind] of Object.entries(shape)) {
      if (!(name in mine)) lines.push(`${phase}: ${name} is missing (node:net: ${kind})`);
      else if (mine[name] !== kind) lines.push(`${phase}: ${name} is ${mine[name]} (node:net: ${kind})`);
    }
  }
  return lines;
}
