// System errors as Node reports them, on every runtime: code, errno, syscall, address,
// port, hostname and message for ECONNREFUSED, ECONNRESET, EPIPE, ENOTFOUND and ENOENT.
// (ETIMEDOUT from Happy Eyeballs: socket_connect_test.ts.)
import { suite } from "uvu";
import * as assert from "uvu/assert";
import net, { detectAdapter, type Socket } from "../mod.ts";
import { assertResetUnavailable, close, errorFields, listen, sweep, tempDir, track, within } from "./_util.ts";

const test = suite("Socket errors");
test.after.each(sweep);

/** The first 'error' and the 'close' flag of a socket (bounded). */
function failure(socket: Socket): Promise<{ err: Error; hadError: boolean }> {
  return within(
    new Promise((resolve) => {
      let err: Error;
      socket.once("error", (e) => err = e);
      socket.once("close", (hadError: boolean) => resolve({ err, hadError }));
    }),
    5000,
    "'error' and 'close'",
  );
}

async function freePort(): Promise<number> {
  const tmp = net.createServer();
  const port = await listen(tmp);
  await close(tmp);
  return port;
}

test("ECONNREFUSED", async () => {
  const port = await freePort();
  const { err, hadError } = await failure(track(net.connect(port, "127.0.0.1")));
  assert.equal(errorFields(err), {
    name: "Error",
    message: `connect ECONNREFUSED 127.0.0.1:${port}`,
    code: "ECONNREFUSED",
    errno: -111,
    syscall: "connect",
    address: "127.0.0.1",
    port,
  });
  assert.is(hadError, true);
});

test("ECONNREFUSED on IPv6", async () => {
  const port = await freePort();
  const { err } = await failure(track(net.connect(port, "::1")));
  assert.equal(errorFields(err).message, `connect ECONNREFUSED ::1:${port}`);
  assert.equal(errorFields(err).address, "::1");
});

test("ENOTFOUND from the runtime's resolver", async () => {
  const { err, hadError } = await failure(track(net.connect(80, "nonexistent.invalid")));
  assert.equal(errorFields(err), {
    name: "Error",
    message: "getaddrinfo ENOTFOUND nonexistent.invalid",
    code: "ENOTFOUND",
    errno: -3008,
    syscall: "getaddrinfo",
    hostname: "nonexistent.invalid",
  });
  assert.is(hadError, true);
});

test("getaddrinfo EINVAL for a host name over 255 characters or empty before a NUL; 255 is looked up", async () => {
  // Node 24: libuv's 256-byte name buffer; the name is a C string, so "\0abc" is empty.
  for (const host of ["a".repeat(256), `${"a".repeat(63)}.`.repeat(4) + "com", "\0abc"]) {
    const socket = track(net.connect(80, host));
    const lookups: unknown[][] = [];
    socket.on("lookup", (...args: unknown[]) => lookups.push(args));
    const { err, hadError } = await failure(socket);
    assert.equal(errorFields(err), {
      name: "Error",
      message: `getaddrinfo EINVAL ${host}`,
      code: "EINVAL",
      errno: -22,
      syscall: "getaddrinfo",
      hostname: host,
    });
    assert.is(hadError, true);
    assert.equal(lookups, [[err, undefined, undefined, host]]);
  }
  const { err } = await failure(track(net.connect(80, "a".repeat(255))));
  assert.is((err as Error & { code: string }).code, "ENOTFOUND");
});

test("a host name with a NUL is looked up up to the NUL, and errors name it whole (Node 24)", async () => {
  const { err } = await failure(track(net.connect(80, "nonexistent.invalid\0x")));
  assert.equal(errorFields(err), {
    name: "Error",
    message: "getaddrinfo ENOTFOUND nonexistent.invalid\0x",
    code: "ENOTFOUND",
    errno: -3008,
    syscall: "getaddrinfo",
    hostname: "nonexistent.invalid\0x",
  });
  const server = track(net.createServer((s) => s.end()));
  const port = await listen(server, "127.0.0.1");
  const client = track(net.connect({ port, host: "localhost\0x", family: 4 }));
  const lookups: unknown[][] = [];
  client.on("lookup", (...args: unknown[]) => lookups.push(args));
  await within(new Promise((resolve) => client.once("connect", resolve)), 5000, "'connect'");
  assert.equal(lookups, [[null, "127.0.0.1", 4, "localhost\0x"]]);
  client.destroy();
  await close(server);
});

test("ENOENT for a Unix socket path that does not exist", async () => {
  const dir = tempDir();
  const path = `${dir.path}/missing.sock`;
  const { err } = await failure(track(net.connect(path)));
  dir.cleanup();
  assert.equal(errorFields(err), {
    name: "Error",
    message: `connect ENOENT ${path}`,
    code: "ENOENT",
    errno: -2,
    syscall: "connect",
    address: path,
  });
});

test("connecting to port 0 is refused by the system: connect ECONNREFUSED without a port", async () => {
  for (const host of ["127.0.0.1", "::1"]) {
    const client = track(net.connect(0, host));
    const { err, hadError } = await failure(client);
    if (host === "::1" && (err as { code?: string }).code === "EADDRNOTAVAIL") continue; // no IPv6 here
    assert.equal(errorFields(err), {
      name: "Error",
      message: `connect ECONNREFUSED ${host}`,
      errno: -111,
      code: "ECONNREFUSED",
      syscall: "connect",
      address: host,
    });
    assert.is(hadError, true);
  }
});

test("ECONNRESET when the peer resets", async () => {
  const adapter = detectAdapter();
  if (!adapter.capabilities.reset) {
    // The peer cannot reset here: resetAndDestroy() refuses with a clear error instead.
    await assertResetUnavailable(net, adapter.name);
    return;
  }
  const server = track(net.createServer((s) => s.once("data", () => s.resetAndDestroy())));
  const port = await listen(server);
  const client = track(net.connect(port, "127.0.0.1", () => client.write("go")));
  client.resume();
  const { err, hadError } = await failure(client);
  assert.equal(
    err && errorFields(err),
    { name: "Error", message: "read ECONNRESET", code: "ECONNRESET", errno: -104, syscall: "read" },
    "the reset must reach the client as ECONNRESET",
  );
  assert.is(hadError, true);
  await close(server);
});

test("ECONNRESET when the peer resets while we write and do not read: the write's callback, then 'error' (write)", async () => {
  const adapter = detectAdapter();
  if (!adapter.capabilities.reset) {
    await assertResetUnavailable(net, adapter.name);
    return;
  }
  const server = track(net.createServer((s) => s.once("data", () => s.resetAndDestroy())));
  const port = await listen(server);
  const client = track(net.connect(port, "127.0.0.1"));
  client.pause(); // nothing reads: the pending write is what finds the reset
  const events: string[] = [];
  const chunk = new Uint8Array(64 * 1024);
  let writes = 0;
  const pump = () => {
    while (writes++ < 4000) {
      const more = client.write(chunk, (e) => {
        const seen = `callback ${(e as { code?: string } | null | undefined)?.code}`;
        if (e && !events.includes(seen)) events.push(seen);
      });
      if (!more) return void client.once("drain", pump);
    }
  };
  client.on("connect", pump);
  client.on("error", (e) => events.push(`error ${errorFields(e).message}`));
  const { err, hadError } = await failure(client);
  assert.equal(errorFields(err), {
    name: "Error",
    message: "write ECONNRESET",
    code: "ECONNRESET",
    errno: -104,
    syscall: "write",
  });
  assert.equal(events, ["callback ECONNRESET", "error write ECONNRESET"]);
  assert.is(hadError, true);
  await close(server);
});

test("EPIPE when writing to a peer that is gone", async () => {
  const server = track(net.createServer((s) => s.destroy()));
  const port = await listen(server);
  const client = track(net.connect({ port, host: "127.0.0.1", allowHalfOpen: true }));
  client.resume();
  const callbackErrors: unknown[] = [];
  client.on("end", () => {
    client.write("a", (e) => callbackErrors.push(e ?? null));
    setTimeout(() => client.write("b", (e) => callbackErrors.push(e && errorFields(e).code)), 50);
  });
  const { err, hadError } = await failure(client);
  assert.equal(errorFields(err), {
    name: "Error",
    message: "write EPIPE",
    code: "EPIPE",
    errno: -32,
    syscall: "write",
  });
  assert.equal(callbackErrors, [null, "EPIPE"], "the failed write's callback gets EPIPE before 'close'");
  assert.is(hadError, true);
  await close(server);
});

test("'This socket has been ended by the other party' after the peer's FIN without allowHalfOpen", async () => {
  const server = track(net.createServer({ allowHalfOpen: true }, (s) => s.end()));
  const port = await listen(server);
  const client = track(net.connect(port, "127.0.0.1"));
  client.resume();
  const ended = within(new Promise((r) => client.once("end", r)), 5000, "'end'");
  const result = failure(client);
  await ended;
  let cbErr: unknown;
  assert.is(client.write("late", (e) => cbErr = e), false);
  const { err } = await result;
  assert.equal(errorFields(err), {
    name: "Error",
    message: "This socket has been ended by the other party",
    code: "EPIPE",
  });
  assert.is(cbErr, err);
  await close(server);
});

test.run();
