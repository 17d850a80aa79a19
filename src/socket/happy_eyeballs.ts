/**
 * Happy Eyeballs as Node's net does it (`autoSelectFamily`): the resolved addresses are
 * tried one at a time in alternating-family order; an attempt that has not completed
 * within the attempt timeout is abandoned for the next one. `'connectionAttempt'`,
 * `'connectionAttemptFailed'` and `'connectionAttemptTimeout'` report each step; when every
 * attempt fails the socket is destroyed with an AggregateError of all of them.
 *
 * @module
 */
import { clearTimeout, setTimeout } from "node:timers";
import type { LookupAddress } from "../contract.ts";
import { kAdapter, kState } from "../_symbols.ts";
import { ERR_IP_BLOCKED, ERR_SOCKET_CONNECTION_TIMEOUT } from "../errors/errors.ts";
import { systemError, withConnectDetails } from "../errors/system_errors.ts";
import { connectTo } from "./_open.ts";
import type { SocketCore as Socket } from "./_types.ts";

interface Context {
  socket: Socket;
  addresses: LookupAddress[];
  current: number;
  port: number;
  localPort?: number;
  timeout: number;
  timer: ReturnType<typeof setTimeout> | null;
  errors: Error[];
}

/** Start connecting `socket` to the first of `addresses`, falling back to the others. */
export function connectMultiple(
  socket: Socket,
  addresses: LookupAddress[],
  port: number,
  localPort: number | undefined,
  timeout: number,
): void {
  socket.autoSelectFamilyAttemptedAddresses = [];
  next({ socket, addresses, current: 0, port, localPort, timeout, timer: null, errors: [] });
}

function next(ctx: Context, canceled = false): void {
  if (ctx.timer) clearTimeout(ctx.timer);
  const { socket } = ctx;
  // Aborted by options.signal: stop here (the signal destroyed the socket).
  if (socket[kState].aborted) return;
  if (canceled || ctx.current === ctx.addresses.length) {
    socket.destroy(ctx.errors.length === 0 ? ERR_SOCKET_CONNECTION_TIMEOUT() : aggregate(ctx.errors));
    return;
  }
  if (!socket.connecting) return;
  const index = ctx.current++;
  const { address, family } = ctx.addresses[index];
  const { port, localPort } = ctx;
  if (socket.blockList?.check(address, `ipv${family}`)) {
    const err = ERR_IP_BLOCKED(address);
    ctx.errors.push(err);
    socket.emit("connectionAttemptFailed", address, port, family, err);
    next(ctx);
    return;
  }
  const localAddress = localPort ? (family === 4 ? "0.0.0.0" : "::") : undefined;
  const announce = announcer(socket, address, port, family, Boolean(localPort));
  socket.autoSelectFamilyAttemptedAddresses!.push(`${address}:${port}`);
  const target = { host: address, port, family, localAddress, localPort };
  const conn = connectTo(socket, target, {
    announce,
    hooks: {
      onConnect: () => {
        if (ctx.timer) clearTimeout(ctx.timer);
        return index === ctx.current - 1;
      },
      onFail: (err, bind) => {
        if (ctx.timer) clearTimeout(ctx.timer);
        ctx.errors.push(err);
        // Node reports a failed bind only in the final AggregateError.
        if (!bind) socket.emit("connectionAttemptFailed", address, port, family, err);
        if (socket.connecting) next(ctx, (err as { code?: string }).code === "ECANCELED");
      },
    },
  });
  if (index < ctx.addresses.length - 1) {
    ctx.timer = setTimeout(() => {
      announce();
      socket.emit("connectionAttemptTimeout", address, port, family);
      const timedOut = systemError(socket[kAdapter].platform, "ETIMEDOUT", "connect", { address, port });
      ctx.errors.push(withConnectDetails(timedOut, target));
      conn.close();
      if (socket.connecting) next(ctx);
    }, ctx.timeout);
    // As Node's: the attempt timer alone does not keep the process alive.
    ctx.timer.unref?.();
  }
}

/** `'connectionAttempt'` for one address, deferred while a local bind may still fail. */
export function announcer(
  socket: Socket,
  address: string,
  port: number,
  family: 4 | 6,
  bind: boolean,
): () => void {
  let announced = false;
  const announce = () => {
    if (announced) return;
    announced = true;
    socket.emit("connectionAttempt", address, port, family);
  };
  if (!bind) announce();
  return announce;
}

function aggregate(errors: Error[]): Error {
  const err = new AggregateError(errors);
  Object.defineProperty(err, "code", {
    value: (errors[0] as { code?: string } | undefined)?.code,
    enumerable: true,
    writable: true,
    configurable: true,
  });
  return err;
}
