// Socket.connect: argument normalization and validation, name resolution through the
// adapter (or a user `lookup`), and the start of the connection attempt, in Node's order.
import type { LookupAddress } from "../contract.ts";
import { kAdapter, kState } from "../_symbols.ts";
import { isNormalized, normalizeArgs } from "../normalize_args.ts";
import {
  ERR_FEATURE_UNAVAILABLE_ON_PLATFORM,
  ERR_INVALID_ADDRESS_FAMILY,
  ERR_INVALID_ARG_TYPE,
  ERR_INVALID_IP_ADDRESS,
  ERR_IP_BLOCKED,
  ERR_MISSING_ARGS,
} from "../errors/errors.ts";
import {
  validateBoolean,
  validateFunction,
  validateInt32,
  validateNumber,
  validatePort,
  validateString,
} from "../errors/validators.ts";
import { pipePathExceeds, pipePathTooLong } from "../errors/system_errors.ts";
import { isIP } from "../address/ip.ts";
import { autoSelectFamilyDefaults } from "./auto_select_family.ts";
import { announcer, connectMultiple } from "./happy_eyeballs.ts";
import { adapterLookup, defaultLookupHints } from "./lookup.ts";
import { resetForConnect } from "./_attempt.ts";
import { connectTo as openConn } from "./_open.ts";
import type { LookupFunction, SocketCore as Socket } from "./_types.ts";

/** Options for `socket.connect()` and `net.connect()`. */
export interface SocketConnectOpts {
  /** Port to connect to (TCP). */
  port?: number | string;
  /** Host name or IP address. @default "localhost" */
  host?: string;
  /** Unix domain socket path (IPC). */
  path?: string;
  /** Local address to connect from. */
  localAddress?: string;
  /** Local port to connect from. */
  localPort?: number;
  /** IP family to resolve `host` to: 0 (any), 4 or 6 (or `"IPv4"`/`"IPv6"`). @default 0 */
  family?: number | string;
  /** getaddrinfo hints. @default dns.ADDRCONFIG when no family is given, else 0 */
  hints?: number;
  /** Custom lookup function (as `dns.lookup`). */
  lookup?: LookupFunction;
  /** Happy Eyeballs (RFC 8305). @default net.getDefaultAutoSelectFamily() */
  autoSelectFamily?: boolean;
  /** Milliseconds to wait for each attempt (minimum 10). @default 250 */
  autoSelectFamilyAttemptTimeout?: number;
  /** Idle timeout, as `socket.setTimeout()`. */
  timeout?: number;
}

/** Implements `socket.connect(...args)`. */
export function connectSocket(socket: Socket, args: unknown[]): void {
  const [options, cb] = isNormalized(args[0]) ? args[0] : normalizeArgs(args);
  if (cb !== null) socket.once("connect", cb);
  if (options.port === undefined && options.path == null) {
    throw ERR_MISSING_ARGS(["options", "port", "path"]);
  }
  const path = options.path;
  resetForConnect(socket, Boolean(path));
  socket.connecting = true;
  if (path) {
    validateString(path, "options.path");
    const adapter = socket[kAdapter];
    if (!adapter.capabilities.unix) throw ERR_FEATURE_UNAVAILABLE_ON_PLATFORM("options.path", adapter.name);
    // Node connects a pipe synchronously inside connect().
    socket.emit("connectionAttempt", path, undefined, undefined);
    if (pipePathExceeds(adapter.platform, path)) {
      // Node 24's uv_pipe_connect2 refuses the path at once: 'error', then 'close(true)'.
      socket.destroy(pipePathTooLong(adapter.platform, "connect", path));
      return;
    }
    // Its outcome comes from the loop, after a pending abort's 'close'.
    afterAbortClose(socket, () => socket.connecting && openConn(socket, { path }));
    return;
  }
  lookupAndConnect(socket, options as SocketConnectOpts);
}

/**
 * Run `start` now, or for a socket whose signal had aborted when it was built (its
 * AbortError and bare `'close'` still to come) just after that `'close'`: in Node both are
 * on the nextTick queue ahead of connect()'s own work, so the attempt starts (and the
 * lookup or connect reports) after the `'close'`, before the microtasks its listeners queue.
 */
function afterAbortClose(socket: Socket, start: () => void): void {
  if (socket[kState].abortClose) socket.once("close", () => queueMicrotask(start));
  else start();
}

function socketToDnsFamily(family: unknown): unknown {
  switch (family) {
    case "IPv4":
      return 4;
    case "IPv6":
      return 6;
  }
  return family;
}

/** A TCP connect's options, validated as Node's `lookupAndConnect` does (it throws as Node's). */
function tcpOptions(socket: Socket, options: SocketConnectOpts) {
  const { localAddress, localPort } = options;
  const host = options.host || "localhost";
  let { port, autoSelectFamily, autoSelectFamilyAttemptTimeout } = options;
  validateString(host, "options.host");
  if (localAddress && !isIP(localAddress)) throw ERR_INVALID_IP_ADDRESS(localAddress);
  if (localPort) validateNumber(localPort, "options.localPort");
  if (port !== undefined) {
    if (typeof port !== "number" && typeof port !== "string") {
      throw ERR_INVALID_ARG_TYPE("options.port", ["number", "string"], port);
    }
    validatePort(port);
  }
  const portNum = (port as number) | 0;
  if (autoSelectFamily != null) validateBoolean(autoSelectFamily, "options.autoSelectFamily");
  else autoSelectFamily = autoSelectFamilyDefaults.enabled;
  if (autoSelectFamilyAttemptTimeout != null) {
    validateInt32(autoSelectFamilyAttemptTimeout, "options.autoSelectFamilyAttemptTimeout", 1);
    if (autoSelectFamilyAttemptTimeout < 10) autoSelectFamilyAttemptTimeout = 10;
  } else {
    autoSelectFamilyAttemptTimeout = autoSelectFamilyDefaults.attemptTimeout;
  }
  const adapter = socket[kAdapter];
  if ((localAddress || localPort) && !adapter.capabilities.localBind) {
    throw ERR_FEATURE_UNAVAILABLE_ON_PLATFORM(
      localAddress ? "options.localAddress" : "options.localPort",
      adapter.name,
    );
  }
  return { host, portNum, localAddress, localPort, autoSelectFamily, autoSelectFamilyAttemptTimeout };
}

function lookupAndConnect(socket: Socket, options: SocketConnectOpts): void {
  const { host, portNum, localAddress, localPort, autoSelectFamily, autoSelectFamilyAttemptTimeout } = tcpOptions(
    socket,
    options,
  );
  const adapter = socket[kAdapter];

  const addressType = isIP(host);
  if (addressType) {
    const start = () => {
      if (socket.connecting) connectTo(socket, host, portNum, addressType as 4 | 6, localAddress, localPort);
    };
    if (socket[kState].abortClose) afterAbortClose(socket, start);
    else queueMicrotask(start);
    return;
  }

  if (options.lookup != null) validateFunction(options.lookup, "options.lookup");
  const dnsopts: { family: unknown; hints: number; all?: boolean } = {
    family: socketToDnsFamily(options.family),
    hints: options.hints || 0,
  };
  if (dnsopts.family !== 4 && dnsopts.family !== 6 && dnsopts.hints === 0) dnsopts.hints = defaultLookupHints(adapter);
  socket._host = host;
  const resolver = (options.lookup ?? adapterLookup(socket)) as LookupFunction;
  const lookup: LookupFunction = socket[kState].abortClose
    ? (name, query, cb) => afterAbortClose(socket, () => resolver(name, query, cb))
    : resolver;
  const invalidFamily = (family: unknown) =>
    ERR_INVALID_ADDRESS_FAMILY(String(family), options.host as string, options.port as number);

  if (dnsopts.family !== 4 && dnsopts.family !== 6 && !localAddress && autoSelectFamily) {
    dnsopts.all = true;
    lookup(host, dnsopts as Parameters<LookupFunction>[1], (err, addresses) => {
      if (!socket.connecting) return;
      if (err) {
        socket.emit("lookup", err, undefined, undefined, host);
        queueMicrotask(() => socket.destroy(err));
        return;
      }
      const list = addresses as LookupAddress[];
      const ordered = interleaveFamilies(socket, list, host);
      if (ordered === null) return;
      if (ordered.length === 0) {
        const first = list[0];
        if (first === undefined) return;
        const e = !isIP(first.address) ? ERR_INVALID_IP_ADDRESS(first.address) : invalidFamily(first.family);
        queueMicrotask(() => socket.destroy(e));
        return;
      }
      socket._unrefTimer();
      if (ordered.length === 1) {
        connectTo(socket, ordered[0].address, portNum, ordered[0].family, localAddress, localPort);
      } else {
        connectMultiple(socket, ordered, portNum, localPort, autoSelectFamilyAttemptTimeout as number);
      }
    });
    return;
  }

  lookup(host, dnsopts as Parameters<LookupFunction>[1], (err, ip, family) => {
    socket.emit("lookup", err, ip, family, host);
    if (!socket.connecting) return;
    let e: Error | null = err;
    if (!e && (typeof ip !== "string" || !isIP(ip))) e = ERR_INVALID_IP_ADDRESS(ip as unknown as string);
    else if (!e && family !== 4 && family !== 6) e = invalidFamily(family);
    if (e) {
      const failure = e;
      queueMicrotask(() => socket.destroy(failure));
      return;
    }
    socket._unrefTimer();
    connectTo(socket, ip as string, portNum, family as 4 | 6, localAddress, localPort);
  });
}

/**
 * Emit `'lookup'` for each address and return them in Happy Eyeballs order (families
 * alternating, the first address's family first, duplicates dropped). Returns null when
 * the socket stopped connecting meanwhile.
 */
function interleaveFamilies(socket: Socket, addresses: LookupAddress[], host: string): LookupAddress[] | null {
  const groups: [LookupAddress[], LookupAddress[]] = [[], []];
  let first: 4 | 6 | 0 = 0;
  for (const a of addresses) {
    socket.emit("lookup", null, a.address, a.family, host);
    if (!socket.connecting) return null;
    if (isIP(a.address) && (a.family === 4 || a.family === 6)) {
      first ||= a.family;
      const group = groups[a.family === first ? 0 : 1];
      if (!group.some((g) => g.address === a.address)) group.push(a);
    }
  }
  const out: LookupAddress[] = [];
  for (let i = 0; i < Math.max(groups[0].length, groups[1].length); i++) {
    if (i < groups[0].length) out.push(groups[0][i]);
    if (i < groups[1].length) out.push(groups[1][i]);
  }
  return out;
}

function connectTo(
  socket: Socket,
  address: string,
  port: number,
  family: 4 | 6,
  localAddress?: string,
  localPort?: number,
): void {
  // Node binds before it announces the attempt; here the adapter binds, so the
  // announcement waits for the bind's outcome.
  const bind = Boolean(localAddress || localPort);
  // Without a bind the attempt is announced at once: no closure to hold (on JSC a closure
  // and its scope per connection are felt).
  const announce = bind ? announcer(socket, address, port, family, true) : undefined;
  if (!bind) socket.emit("connectionAttempt", address, port, family);
  if (socket.blockList?.check(address, `ipv${family}`)) {
    announce?.();
    socket.destroy(ERR_IP_BLOCKED(address));
    return;
  }
  if (bind) localAddress ||= family === 4 ? "0.0.0.0" : "::";
  const target = { host: address, port, family, localAddress, localPort };
  if (announce !== undefined) openConn(socket, target, { announce });
  else openConn(socket, target);
}
