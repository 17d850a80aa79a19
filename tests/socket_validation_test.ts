// Argument validation: Node 24's ERR_* codes, error classes and messages, exactly (each
// row was taken from node:net on Node 24). The differential scenarios check more of them
// against the recorded node:net traces.
import { suite } from "uvu";
import * as assert from "uvu/assert";
import net from "../mod.ts";
import { sweep, thrown, track } from "./_util.ts";

const test = suite("Socket argument validation");
test.after.each(sweep);

// deno-lint-ignore no-explicit-any
const s: any = new net.Socket();
s.on("error", () => {});
test.after(() => s.destroy());
// deno-lint-ignore no-explicit-any
const anyNet: any = net;

/** A socket whose signal already aborted ('error' AbortError caught). */
function aborted() {
  const socket = new net.Socket({ signal: AbortSignal.abort() });
  socket.on("error", () => {});
  // deno-lint-ignore no-explicit-any
  return socket as any;
}

const table: [string, () => unknown, string, string, string][] = [
  [
    "net.connect()",
    () => anyNet.connect(),
    "TypeError",
    "ERR_MISSING_ARGS",
    'The "options" or "port" or "path" argument must be specified',
  ],
  [
    "net.connect({ host: 'x' })",
    () => anyNet.connect({ host: "x" }),
    "TypeError",
    "ERR_MISSING_ARGS",
    'The "options" or "port" or "path" argument must be specified',
  ],
  [
    "net.connect({ port: -1 })",
    () => anyNet.connect({ port: -1 }),
    "RangeError",
    "ERR_SOCKET_BAD_PORT",
    "Port should be >= 0 and < 65536. Received type number (-1).",
  ],
  [
    "net.connect({ port: 65536 })",
    () => anyNet.connect({ port: 65536 }),
    "RangeError",
    "ERR_SOCKET_BAD_PORT",
    "Port should be >= 0 and < 65536. Received type number (65536).",
  ],
  [
    "net.connect({ port: 'abc' })",
    () => anyNet.connect({ port: "abc" }),
    "RangeError",
    "ERR_SOCKET_BAD_PORT",
    "Port should be >= 0 and < 65536. Received type string ('abc').",
  ],
  [
    "net.connect({ port: {} })",
    () => anyNet.connect({ port: {} }),
    "TypeError",
    "ERR_INVALID_ARG_TYPE",
    'The "options.port" property must be one of type number or string. Received an instance of Object',
  ],
  [
    "net.connect({ port: 80, host: 1 })",
    () => anyNet.connect({ port: 80, host: 1 }),
    "TypeError",
    "ERR_INVALID_ARG_TYPE",
    'The "options.host" property must be of type string. Received type number (1)',
  ],
  [
    "net.connect({ port: 80, localAddress: 'x' })",
    () => anyNet.connect({ port: 80, localAddress: "x" }),
    "TypeError",
    "ERR_INVALID_IP_ADDRESS",
    "Invalid IP address: x",
  ],
  [
    "net.connect({ port: 80, localPort: 'x' })",
    () => anyNet.connect({ port: 80, localPort: "x" }),
    "TypeError",
    "ERR_INVALID_ARG_TYPE",
    "The \"options.localPort\" property must be of type number. Received type string ('x')",
  ],
  [
    "net.connect({ port: 80, autoSelectFamily: 'yes' })",
    () => anyNet.connect({ port: 80, autoSelectFamily: "yes" }),
    "TypeError",
    "ERR_INVALID_ARG_TYPE",
    "The \"options.autoSelectFamily\" property must be of type boolean. Received type string ('yes')",
  ],
  [
    "net.connect({ port: 80, autoSelectFamilyAttemptTimeout: -1 })",
    () => anyNet.connect({ port: 80, autoSelectFamilyAttemptTimeout: -1 }),
    "RangeError",
    "ERR_OUT_OF_RANGE",
    'The value of "options.autoSelectFamilyAttemptTimeout" is out of range. It must be >= 1 && <= 2147483647. Received -1',
  ],
  [
    "net.connect({ port: 80, host: 'a.test', lookup: 'x' })",
    () => anyNet.connect({ port: 80, host: "a.test", lookup: "x" }),
    "TypeError",
    "ERR_INVALID_ARG_TYPE",
    "The \"options.lookup\" property must be of type function. Received type string ('x')",
  ],
  [
    "net.connect({ port: 80, host: 'a.test', family: 5 })",
    () => anyNet.connect({ port: 80, host: "a.test", family: 5 }),
    "TypeError",
    "ERR_INVALID_ARG_VALUE",
    "The property 'options.family' must be one of: 0, 4, 6. Received 5",
  ],
  [
    "net.connect({ port: 80, host: 'a.test', hints: 1 })",
    () => anyNet.connect({ port: 80, host: "a.test", hints: 1 }),
    "TypeError",
    "ERR_INVALID_ARG_VALUE",
    "The argument 'hints' is invalid. Received 1",
  ],
  [
    "net.connect({ path: 1 })",
    () => anyNet.connect({ path: 1 }),
    "TypeError",
    "ERR_INVALID_ARG_TYPE",
    'The "options.path" property must be of type string. Received type number (1)',
  ],
  [
    "new anyNet.Socket({ objectMode: true })",
    () => new anyNet.Socket({ objectMode: true }),
    "TypeError",
    "ERR_INVALID_ARG_VALUE",
    "The property 'options.objectMode' is not supported. Received true",
  ],
  [
    "new anyNet.Socket({ writableObjectMode: true })",
    () => new anyNet.Socket({ writableObjectMode: true }),
    "TypeError",
    "ERR_INVALID_ARG_VALUE",
    "The property 'options.writableObjectMode' is not supported. Received true",
  ],
  [
    "new anyNet.Socket({ keepAliveInitialDelay: '1' })",
    () => new anyNet.Socket({ keepAliveInitialDelay: "1" }),
    "TypeError",
    "ERR_INVALID_ARG_TYPE",
    "The \"options.keepAliveInitialDelay\" property must be of type number. Received type string ('1')",
  ],
  [
    "new anyNet.Socket({ signal: {} })",
    () => new anyNet.Socket({ signal: {} }),
    "TypeError",
    "ERR_INVALID_ARG_TYPE",
    'The "signal" argument must be an instance of AbortSignal. Received an instance of Object',
  ],
  [
    "new anyNet.Socket({ blockList: [] })",
    () => new anyNet.Socket({ blockList: [] }),
    "TypeError",
    "ERR_INVALID_ARG_TYPE",
    'The "options.blockList" property must be an net.BlockList. Received an instance of Array',
  ],
  [
    "socket.setTimeout(Infinity)",
    () => s.setTimeout(Infinity),
    "RangeError",
    "ERR_OUT_OF_RANGE",
    'The value of "msecs" is out of range. It must be a non-negative finite number. Received Infinity',
  ],
  [
    "socket.write(1)",
    () => s.write(1),
    "TypeError",
    "ERR_INVALID_ARG_TYPE",
    'The "chunk" argument must be of type string or an instance of Buffer, TypedArray, or DataView. Received type number (1)',
  ],
  [
    "socket.write(null)",
    () => s.write(null),
    "TypeError",
    "ERR_STREAM_NULL_VALUES",
    "May not write null values to stream",
  ],
  [
    "socket.write('x', 'nope')",
    () => s.write("x", "nope"),
    "TypeError",
    "ERR_UNKNOWN_ENCODING",
    "Unknown encoding: nope",
  ],
  [
    "net.setDefaultAutoSelectFamily('x')",
    () => anyNet.setDefaultAutoSelectFamily("x"),
    "TypeError",
    "ERR_INVALID_ARG_TYPE",
    "The \"value\" argument must be of type boolean. Received type string ('x')",
  ],
  [
    "net.setDefaultAutoSelectFamilyAttemptTimeout(1.5)",
    () => anyNet.setDefaultAutoSelectFamilyAttemptTimeout(1.5),
    "RangeError",
    "ERR_OUT_OF_RANGE",
    'The value of "value" is out of range. It must be an integer. Received 1.5',
  ],
  [
    "new net.Socket({ fd: -1 })",
    () => new net.Socket({ fd: -1 }),
    "RangeError",
    "ERR_OUT_OF_RANGE",
    'The value of "fd" is out of range. It must be >= 0 && <= 2147483647. Received -1',
  ],
  [
    "new net.Socket(-1)",
    () => new net.Socket(-1),
    "RangeError",
    "ERR_OUT_OF_RANGE",
    'The value of "fd" is out of range. It must be >= 0 && <= 2147483647. Received -1',
  ],
  [
    "new net.Socket({ fd: 1.5 })",
    () => new net.Socket({ fd: 1.5 }),
    "RangeError",
    "ERR_OUT_OF_RANGE",
    'The value of "fd" is out of range. It must be an integer. Received 1.5',
  ],
  [
    "new net.Socket({ fd: NaN })",
    () => new net.Socket({ fd: NaN }),
    "RangeError",
    "ERR_OUT_OF_RANGE",
    'The value of "fd" is out of range. It must be an integer. Received NaN',
  ],
  [
    "new net.Socket({ fd: 2 ** 32 })",
    () => new net.Socket({ fd: 2 ** 32 }),
    "RangeError",
    "ERR_OUT_OF_RANGE",
    'The value of "fd" is out of range. It must be >= 0 && <= 2147483647. Received 4294967296',
  ],
  [
    "new net.Socket({ fd: 'x' })",
    () => new net.Socket({ fd: "x" as unknown as number }),
    "TypeError",
    "ERR_INVALID_ARG_TYPE",
    "The \"fd\" argument must be of type number. Received type string ('x')",
  ],
  [
    "new net.Socket({ fd: null })",
    () => new net.Socket({ fd: null as unknown as number }),
    "TypeError",
    "ERR_INVALID_ARG_TYPE",
    'The "fd" argument must be of type number. Received null',
  ],
  [
    "socket.connect({ port: -1 }), signal aborted",
    () => aborted().connect({ port: -1 }),
    "RangeError",
    "ERR_SOCKET_BAD_PORT",
    "Port should be >= 0 and < 65536. Received type number (-1).",
  ],
  [
    "socket.connect(70000, 'x'), signal aborted",
    () => aborted().connect(70000, "x"),
    "RangeError",
    "ERR_SOCKET_BAD_PORT",
    "Port should be >= 0 and < 65536. Received type number (70000).",
  ],
  [
    "socket.connect({ path: {} }), signal aborted",
    () => aborted().connect({ path: {} }),
    "TypeError",
    "ERR_INVALID_ARG_TYPE",
    'The "options.path" property must be of type string. Received an instance of Object',
  ],
  [
    "net.connect({ path: {} })",
    () => anyNet.connect({ path: {} }),
    "TypeError",
    "ERR_INVALID_ARG_TYPE",
    'The "options.path" property must be of type string. Received an instance of Object',
  ],
  [
    "net.connect([])",
    () => anyNet.connect([]),
    "TypeError",
    "ERR_MISSING_ARGS",
    'The "options" or "port" or "path" argument must be specified',
  ],
];

for (const [what, call, name, code, message] of table) {
  test(what, () => {
    const err = thrown(call);
    assert.equal([err.name, err.code, err.message], [name, code, message]);
  });
}

test("a Socket built from a file descriptor is refused by name", () => {
  for (const call of [() => new net.Socket({ fd: 0 }), () => anyNet.connect({ fd: 0, port: 80 })]) {
    const err = thrown(call);
    assert.equal([err.name, err.code], ["TypeError", "ERR_FEATURE_UNAVAILABLE_ON_PLATFORM"]);
    assert.match(err.message, /^The feature options\.fd is unavailable on the current platform/);
  }
});

test("a valid descriptor passes Node's checks, then is refused as unavailable", () => {
  const err = thrown(() => new net.Socket({ fd: 2147483647 }));
  assert.is(err.code, "ERR_FEATURE_UNAVAILABLE_ON_PLATFORM");
});

test("new net.Socket(null) and new net.Socket(undefined) are plain sockets, as in Node", () => {
  // deno-lint-ignore no-explicit-any
  for (const arg of [null, undefined] as any[]) {
    const socket = track(new net.Socket(arg));
    assert.equal([socket.pending, socket.readyState, socket.allowHalfOpen], [true, "open", false]); // Node 24: the same
    socket.destroy();
  }
});

test("values in messages are shown as Node 24's util.inspect shows them", () => {
  class Foo {
    a = 1;
  }
  class Bar extends Foo {}
  const inspected: [unknown, string][] = [
    [{ a: { b: { c: { d: 1 } } } }, "{ a: { b: { c: [Object] } } }"],
    [Bar, "[class Bar extends Foo]"],
    [class {}, "[class (anonymous)]"],
    [async function af() {}, "[AsyncFunction: af]"],
    [Object.assign(Object.create(null), { a: 1 }), "[Object: null prototype] { a: 1 }"],
    [new Map([[1, { a: 1 }]]), "Map(1) { 1 => { a: 1 } }"],
    [new Set(["x"]), "Set(1) { 'x' }"],
    // deno-lint-ignore no-sparse-arrays
    [[1, , 3], "[ 1, <1 empty item>, 3 ]"],
    [Array.from({ length: 7 }, (_, i) => i * 1000), "[\n     0, 1000, 2000,\n  3000, 4000, 5000,\n  6000\n]"],
    [{
      get x() {
        return 1;
      },
    }, "{ x: [Getter] }"],
    [{ [Symbol("k")]: 1, "a-b": 2 }, "{ 'a-b': 2, Symbol(k): 1 }"],
    [new Date(0), "1970-01-01T00:00:00.000Z"],
    [/re/g, "/re/g"],
    [new Bar(), "Bar { a: 1 }"],
    [10n, "10n"],
    [Symbol("s"), "Symbol(s)"],
    ["x".repeat(200), `'${"x".repeat(127)}...`],
    [
      { aaaaaaaaaa: "bbbbbbbbbbbbbbbbbbbb", cccccccccc: "dddddddddddddddddddddd", eeeeeeeeee: "ffffffffffffffff" },
      "{\n  aaaaaaaaaa: 'bbbbbbbbbbbbbbbbbbbb',\n  cccccccccc: 'dddddddddddddddddddddd',\n  eeeeeeeeee: 'ffffffffffffffff'\n}",
    ],
  ];
  for (const [value, shown] of inspected) {
    const err = thrown(() => new net.Socket({ objectMode: value } as never));
    assert.is(err.message, `The property 'options.objectMode' is not supported. Received ${shown}`);
  }
  const received: [unknown, string][] = [
    [Object.create(null), "[Object: null prototype] {}"],
    [Object.assign(Object.create(null), { a: 1 }), "[Object: null prototype]"],
    [[], "an instance of Array"],
    [new Bar(), "an instance of Bar"],
    [Bar, "function Bar"],
    [10n, "type bigint (10n)"],
    [Symbol("s"), "type symbol (Symbol(s))"],
  ];
  for (const [value, shown] of received) {
    const err = thrown(() => anyNet.connect({ port: 80, host: value }));
    assert.is(err.message, `The "options.host" property must be of type string. Received ${shown}`);
  }
});

test("values Node accepts without complaint are accepted", () => {
  const quiet = track(new net.Socket({ keepAliveInitialDelay: -5, signal: null as unknown as undefined }));
  assert.is(quiet.setNoDelay("x" as unknown as boolean), quiet);
  assert.is(quiet.setKeepAlive("x" as unknown as boolean, "y" as unknown as number), quiet);
  quiet.destroy();
});

test.run();
