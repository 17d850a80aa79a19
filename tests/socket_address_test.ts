import { suite } from "uvu";
import * as assert from "uvu/assert";
import { inspectSocketAddress, SocketAddress, type SocketAddressInitOptions } from "../src/address/socket_address.ts";

function throwsNodeError(fn: () => unknown, name: string, code: string, message: string): void {
  let caught: unknown;
  try {
    fn();
  } catch (err) {
    caught = err;
  }
  assert.ok(caught instanceof Error, "expected an error");
  const err = caught as Error & { code?: string };
  assert.is(err.name, name);
  assert.is(err.code, code);
  assert.is(err.message, message);
}

const make = (options: unknown): SocketAddress => new SocketAddress(options as SocketAddressInitOptions);
const json = (options: unknown) => make(options).toJSON();

const Construct = suite("new SocketAddress()");

Construct("defaults to 127.0.0.1, ipv4, port 0, flowlabel 0", () => {
  assert.equal(new SocketAddress().toJSON(), { address: "127.0.0.1", port: 0, family: "ipv4", flowlabel: 0 });
  assert.equal(json(undefined), { address: "127.0.0.1", port: 0, family: "ipv4", flowlabel: 0 });
});

Construct("defaults the address to :: for ipv6", () => {
  assert.equal(json({ family: "ipv6" }), { address: "::", port: 0, family: "ipv6", flowlabel: 0 });
});

Construct("compares family case-insensitively, but picks the default address before lower-casing", () => {
  assert.equal(json({ family: "IPv6" }), { address: "::", port: 0, family: "ipv6", flowlabel: 0 });
  assert.equal(json({ family: "IPV4", address: "10.0.0.1" }), {
    address: "10.0.0.1",
    port: 0,
    family: "ipv4",
    flowlabel: 0,
  });
  throwsNodeError(() => make({ family: "IPv4" }), "Error", "ERR_INVALID_ADDRESS", "Invalid socket address");
});

Construct("prints addresses as Node does", () => {
  const address = (text: string, family = "ipv6") => make({ address: text, family }).address;
  assert.is(address("::FFFF:1.2.3.4"), "::ffff:1.2.3.4");
  assert.is(address("::ffff:102:304"), "::ffff:1.2.3.4");
  assert.is(address("::1.2.3.4"), "::1.2.3.4");
  assert.is(address("::0.0.0.1"), "::1");
  assert.is(address("::ffff:0:1.2.3.4"), "::ffff:0:102:304");
  assert.is(address("1:0:0:1:0:0:0:1"), "1:0:0:1::1");
  assert.is(address("2001:0DB8:0000:0000:0000:0000:0000:0001"), "2001:db8::1");
  assert.is(address("fe80::1%eth0"), "fe80::1");
  assert.is(address("1111:2222:3333:4444:5555:6666:7777:8888XYZ%eth0"), "1111:2222:3333:4444:5555:6666:7777:8888");
  assert.is(address("10.1.2.3\0ignored", "ipv4"), "10.1.2.3");
});

Construct("accepts numeric-string ports as Node 24 does", () => {
  assert.is(make({ port: "8080" }).port, 8080);
  assert.is(make({ port: " 80 " }).port, 80);
  assert.is(make({ port: "0x10" }).port, 16);
  assert.is(make({ port: 65535 }).port, 65535);
});

Construct(
  "keeps the flow label for ipv6 and reports 0 for any uint32 flow label on ipv4 (Node 24 aborts at 2**31)",
  () => {
    assert.is(make({ family: "ipv6", flowlabel: 0xfffff }).flowlabel, 0xfffff);
    assert.is(make({ family: "ipv4", flowlabel: 12345 }).flowlabel, 0);
    assert.is(make({ family: "ipv4", flowlabel: 0xffffffff }).flowlabel, 0);
  },
);

Construct("rejects invalid options with Node's errors", () => {
  throwsNodeError(
    () => make(null),
    "TypeError",
    "ERR_INVALID_ARG_TYPE",
    'The "options" argument must be of type object. Received null',
  );
  throwsNodeError(
    () => make([]),
    "TypeError",
    "ERR_INVALID_ARG_TYPE",
    'The "options" argument must be of type object. Received an instance of Array',
  );
  throwsNodeError(
    () => make({ family: "ipv5" }),
    "TypeError",
    "ERR_INVALID_ARG_VALUE",
    "The property 'options.family' is invalid. Received 'ipv5'",
  );
  throwsNodeError(
    () => make({ family: 6 }),
    "TypeError",
    "ERR_INVALID_ARG_VALUE",
    "The property 'options.family' is invalid. Received 6",
  );
  throwsNodeError(
    () => make({ address: 1 }),
    "TypeError",
    "ERR_INVALID_ARG_TYPE",
    'The "options.address" property must be of type string. Received type number (1)',
  );
  throwsNodeError(() => make({ address: "01.2.3.4" }), "Error", "ERR_INVALID_ADDRESS", "Invalid socket address");
  throwsNodeError(
    () => make({ address: "1.2.3.4", family: "ipv6" }),
    "Error",
    "ERR_INVALID_ADDRESS",
    "Invalid socket address",
  );
  throwsNodeError(
    () => make({ port: 65536 }),
    "RangeError",
    "ERR_SOCKET_BAD_PORT",
    "options.port should be >= 0 and < 65536. Received type number (65536).",
  );
  throwsNodeError(
    () => make({ port: "" }),
    "RangeError",
    "ERR_SOCKET_BAD_PORT",
    "options.port should be >= 0 and < 65536. Received type string ('').",
  );
  throwsNodeError(
    () => make({ port: 1.5 }),
    "RangeError",
    "ERR_SOCKET_BAD_PORT",
    "options.port should be >= 0 and < 65536. Received type number (1.5).",
  );
  throwsNodeError(
    () => make({ flowlabel: "1" }),
    "TypeError",
    "ERR_INVALID_ARG_TYPE",
    `The "options.flowlabel" property must be of type number. Received type string ('1')`,
  );
  throwsNodeError(
    () => make({ flowlabel: -1 }),
    "RangeError",
    "ERR_OUT_OF_RANGE",
    'The value of "options.flowlabel" is out of range. It must be >= 0 && <= 4294967295. Received -1',
  );
  throwsNodeError(
    () => make({ flowlabel: 1.5 }),
    "RangeError",
    "ERR_OUT_OF_RANGE",
    'The value of "options.flowlabel" is out of range. It must be an integer. Received 1.5',
  );
});

Construct("rejects an ipv6 flow label above 20 bits with ERR_OUT_OF_RANGE (Node aborts the process)", () => {
  throwsNodeError(
    () => make({ family: "ipv6", flowlabel: 0x100000 }),
    "RangeError",
    "ERR_OUT_OF_RANGE",
    'The value of "options.flowlabel" is out of range. It must be >= 0 && <= 1048575. Received 1048576',
  );
});

Construct("exposes getters only: no own enumerable properties, JSON via toJSON()", () => {
  const sa = make({ address: "::1", family: "ipv6", port: 8080, flowlabel: 5 });
  assert.equal(Object.keys(sa), []);
  assert.is(JSON.stringify(sa), '{"address":"::1","port":8080,"family":"ipv6","flowlabel":5}');
  assert.is(sa.family, "ipv6");
});

Construct("inspectSocketAddress() lays out as util.inspect: one line within 80 columns", () => {
  assert.is(
    inspectSocketAddress(make({ address: "255.255.255.255" })),
    "SocketAddress { address: '255.255.255.255', port: 0, family: 'ipv4', flowlabel: 0 }",
  );
  assert.is(
    inspectSocketAddress(make({ address: "255.255.255.255", port: 65535 })),
    "SocketAddress {\n  address: '255.255.255.255',\n  port: 65535,\n  family: 'ipv4',\n  flowlabel: 0\n}",
  );
});

const Statics = suite("SocketAddress statics");

Statics("isSocketAddress() recognises only real instances", () => {
  assert.is(SocketAddress.isSocketAddress(new SocketAddress()), true);
  assert.is(SocketAddress.isSocketAddress({ address: "127.0.0.1", port: 0, family: "ipv4", flowlabel: 0 }), false);
  assert.is(SocketAddress.isSocketAddress(null), false);
  assert.is(SocketAddress.isSocketAddress("127.0.0.1"), false);
});

Statics("parse() reads ip:port and [ipv6]:port through the URL parser, as Node 24", () => {
  const parse = (text: string) => SocketAddress.parse(text)?.toJSON();
  assert.equal(parse("1.2.3.4:81"), { address: "1.2.3.4", port: 81, family: "ipv4", flowlabel: 0 });
  assert.equal(parse("1.2.3.4"), { address: "1.2.3.4", port: 0, family: "ipv4", flowlabel: 0 });
  assert.equal(parse("1.2.3.4:80"), { address: "1.2.3.4", port: 0, family: "ipv4", flowlabel: 0 });
  assert.equal(parse("[::1]:8080"), { address: "::1", port: 8080, family: "ipv6", flowlabel: 0 });
  assert.equal(parse("[::ffff:1.2.3.4]:1"), { address: "::ffff:1.2.3.4", port: 1, family: "ipv6", flowlabel: 0 });
  assert.equal(parse("127.1:5"), { address: "127.0.0.1", port: 5, family: "ipv4", flowlabel: 0 });
  assert.equal(parse("0x7f.1"), { address: "127.0.0.1", port: 0, family: "ipv4", flowlabel: 0 });
  assert.equal(parse("user:pw@1.2.3.4:5/path?q#f"), { address: "1.2.3.4", port: 5, family: "ipv4", flowlabel: 0 });
  assert.is(parse("[::1%eth0]:81"), undefined);
  assert.is(parse("example.com:80"), undefined);
  assert.is(parse("1.2.3.4:65536"), undefined);
  assert.is(parse(""), undefined);
  throwsNodeError(
    () => SocketAddress.parse(1 as unknown as string),
    "TypeError",
    "ERR_INVALID_ARG_TYPE",
    'The "input" argument must be of type string. Received type number (1)',
  );
});

Construct.run();
Statics.run();
