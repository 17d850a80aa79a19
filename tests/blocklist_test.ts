import { suite } from "uvu";
import * as assert from "uvu/assert";
import { BlockList } from "../src/address/blocklist.ts";
import { SocketAddress, type SocketAddressInitOptions } from "../src/address/socket_address.ts";

function throwsNodeError(fn: () => unknown, name: string, code: string | undefined, message: string): void {
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

const sa = (options: SocketAddressInitOptions): SocketAddress => new SocketAddress(options);
const loose = (value: unknown): never => value as never;

function list(build: (list: BlockList) => void): BlockList {
  const result = new BlockList();
  build(result);
  return result;
}

const Check = suite("BlockList.check()");

Check("matches an address rule in its own family", () => {
  const bl = list((l) => {
    l.addAddress("10.0.0.1");
    l.addAddress("2001:db8::1", "ipv6");
  });
  assert.equal([bl.check("10.0.0.1"), bl.check("10.0.0.2")], [true, false]);
  assert.equal([bl.check("2001:db8::1", "ipv6"), bl.check("2001:DB8:0::1", "ipv6"), bl.check("2001:db8::2", "ipv6")], [
    true,
    true,
    false,
  ]);
});

Check("matches IPv4 rules against IPv4-mapped IPv6 addresses", () => {
  const bl = list((l) => {
    l.addAddress("1.2.3.4");
    l.addRange("10.0.0.10", "10.0.0.20");
    l.addSubnet("192.168.0.0", 16);
  });
  assert.is(bl.check("::ffff:1.2.3.4", "ipv6"), true);
  assert.is(bl.check("::ffff:102:304", "ipv6"), true);
  assert.is(bl.check("::1.2.3.4", "ipv6"), false);
  assert.is(bl.check("::ffff:10.0.0.15", "ipv6"), true);
  assert.is(bl.check("::ffff:10.0.0.21", "ipv6"), false);
  assert.is(bl.check("::ffff:192.168.200.1", "ipv6"), true);
  assert.is(bl.check("::ffff:192.169.0.0", "ipv6"), false);
});

Check("matches IPv6 rules in ::ffff:0:0/96 against IPv4 addresses", () => {
  const bl = list((l) => {
    l.addAddress("::ffff:1.2.3.4", "ipv6");
    l.addRange("::ffff:10.0.0.0", "::ffff:10.0.0.255", "ipv6");
    l.addSubnet("::ffff:172.16.0.0", 108, "ipv6");
  });
  assert.equal([bl.check("1.2.3.4"), bl.check("1.2.3.5")], [true, false]);
  assert.equal([bl.check("10.0.0.77"), bl.check("10.0.1.0")], [true, false]);
  assert.equal([bl.check("172.31.255.255"), bl.check("172.32.0.0")], [true, false]);
});

Check("matches IPv4 probes against IPv6 subnets whose prefix covers ::ffff:0:0/96", () => {
  assert.is(list((l) => l.addSubnet("::", 0, "ipv6")).check("8.8.8.8"), true);
  assert.is(list((l) => l.addSubnet("::ffff:0:0", 96, "ipv6")).check("8.8.8.8"), true);
  assert.is(list((l) => l.addSubnet("::", 96, "ipv6")).check("8.8.8.8"), false);
  assert.is(list((l) => l.addSubnet("2001:db8::", 32, "ipv6")).check("8.8.8.8"), false);
});

Check("never matches IPv4 probes against an IPv6 range with a bound outside ::ffff:0:0/96", () => {
  const bl = list((l) => l.addRange("::", "ffff::", "ipv6"));
  assert.is(bl.check("1.2.3.4"), false);
  assert.is(bl.check("::ffff:1.2.3.4", "ipv6"), true);
});

Check("matches IPv4 subnets /0 and /32 as Node does", () => {
  const all = list((l) => l.addSubnet("1.2.3.4", 0));
  assert.equal([all.check("9.9.9.9"), all.check("::ffff:9.9.9.9", "ipv6"), all.check("::1", "ipv6")], [
    true,
    true,
    false,
  ]);
  const one = list((l) => l.addSubnet("1.2.3.4", 32));
  assert.equal([one.check("1.2.3.4"), one.check("1.2.3.5"), one.check("::ffff:1.2.3.4", "ipv6")], [true, false, true]);
});

Check("treats range bounds as inclusive", () => {
  const bl = list((l) => {
    l.addRange("10.0.0.5", "10.0.1.1");
    l.addRange("2001:db8::ff", "2001:db8::1:0", "ipv6");
  });
  assert.equal(["10.0.0.4", "10.0.0.5", "10.0.0.200", "10.0.1.1", "10.0.1.2"].map((a) => bl.check(a)), [
    false,
    true,
    true,
    true,
    false,
  ]);
  assert.equal(["2001:db8::fe", "2001:db8::ff", "2001:db8::1:0", "2001:db8::1:1"].map((a) => bl.check(a, "ipv6")), [
    false,
    true,
    true,
    false,
  ]);
});

Check("compares ranges with mixed-family SocketAddress bounds as Node does", () => {
  const mapped = list((l) =>
    l.addRange(sa({ address: "1.2.3.4" }), sa({ address: "::ffff:1.2.3.10", family: "ipv6" }))
  );
  assert.equal(mapped.rules, ["Range: IPv4 1.2.3.4-::ffff:1.2.3.10"]);
  assert.equal([mapped.check("1.2.3.5"), mapped.check("::ffff:1.2.3.10", "ipv6"), mapped.check("1.2.3.11")], [
    true,
    true,
    false,
  ]);
  const unrelated = list((l) => l.addRange(sa({ address: "1.2.3.4" }), sa({ address: "::2", family: "ipv6" })));
  assert.equal(unrelated.rules, ["Range: IPv4 1.2.3.4-::2"]);
  assert.equal([unrelated.check("1.2.3.5"), unrelated.check("::1", "ipv6")], [false, false]);
});

Check("returns false for text that is not an address of the family, and for unknown families", () => {
  const bl = list((l) => l.addSubnet("0.0.0.0", 0));
  assert.is(bl.check("1.2.3.4"), true);
  assert.is(bl.check("1.2.3"), false);
  assert.is(bl.check("::ffff:1.2.3.4"), false);
  assert.is(bl.check("1.2.3.4", loose("ipv5")), false);
  assert.is(bl.check("1.2.3.4", loose("IPV4")), true);
});

Check("uses a SocketAddress's own family and ignores the family argument", () => {
  const bl = list((l) => l.addAddress("::ffff:5.6.7.8", "ipv6"));
  assert.is(bl.check(sa({ address: "5.6.7.8" }), "ipv6"), true);
  assert.is(bl.check(sa({ address: "::ffff:5.6.7.8", family: "ipv6" }), loose("nonsense")), true);
});

Check("stays correct while rules and checks interleave, and with 10,000 rules", () => {
  const bl = new BlockList();
  for (let i = 0; i < 10_000; i++) {
    const a = 0x0a000000 + i * 4;
    if (i % 3 === 0) bl.addAddress(`${a >>> 24}.${(a >>> 16) & 255}.${(a >>> 8) & 255}.${a & 255}`);
    else if (i % 3 === 1) bl.addSubnet(`2001:db8:${i.toString(16)}::`, 48, "ipv6");
    else bl.addRange(`${a >>> 24}.${(a >>> 16) & 255}.${(a >>> 8) & 255}.${a & 255}`, `10.255.255.${i % 256}`);
    if (i < 200) {
      assert.is(bl.check(`2001:db8:${(i - (i % 3) + 1).toString(16)}:ffff::1`, "ipv6"), i % 3 !== 0);
    }
  }
  assert.is(bl.rules.length, 10_000);
  assert.is(bl.check("10.0.0.0"), true);
  assert.is(bl.check("10.0.0.1"), false);
  assert.is(bl.check("10.0.0.8"), true);
  assert.is(bl.check("10.0.0.9"), true);
  assert.is(bl.check("9.255.255.255"), false);
  assert.is(bl.check("2001:db8:1:ffff::", "ipv6"), true);
  assert.is(bl.check("2001:db8:3::", "ipv6"), false);
});

const Rules = suite("BlockList rules");

Rules("lists rules newest first in Node's wording, duplicates kept", () => {
  const bl = list((l) => {
    l.addAddress("1.2.3.4");
    l.addRange("1.1.1.1", "1.1.1.2");
    l.addSubnet("FE80::", 10, "ipv6");
    l.addSubnet("1.2.3.4", 24);
    l.addAddress("::ffff:1.2.3.4", "IPv6" as "ipv6");
    l.addAddress("1.2.3.4");
  });
  assert.equal(bl.rules, [
    "Address: IPv4 1.2.3.4",
    "Address: IPv6 ::ffff:1.2.3.4",
    "Subnet: IPv4 1.2.3.4/24",
    "Subnet: IPv6 fe80::/10",
    "Range: IPv4 1.1.1.1-1.1.1.2",
    "Address: IPv4 1.2.3.4",
  ]);
  assert.equal(new BlockList().rules, []);
  assert.is(JSON.stringify(bl.toJSON()), JSON.stringify(bl.rules));
  assert.is(JSON.stringify(list((l) => l.addAddress("::1", "ipv6"))), '["Address: IPv6 ::1"]');
});

Rules("fromJSON() adds rules from an array or JSON text, in order, skipping other strings", () => {
  const bl = list((l) =>
    l.fromJSON(["Address: IPv4 1.2.3.4", "Subnet: IPv6 ::/64", "junk", "Range: IPv4 1.1.1.1-1.1.1.5"])
  );
  assert.equal(bl.rules, ["Range: IPv4 1.1.1.1-1.1.1.5", "Subnet: IPv6 ::/64", "Address: IPv4 1.2.3.4"]);
  assert.equal(list((l) => l.fromJSON('["Address: IPv6 2001:DB8::1"]')).rules, ["Address: IPv6 2001:db8::1"]);
});

Rules("fromJSON() keeps Node 24's pattern quirks", () => {
  // Unanchored patterns: a three-digit prefix reads as its first two digits, and an
  // IPv4 tail stops the IPv6 pattern (::ffff:1.2.3.4 reads as ::ffff:1).
  assert.equal(list((l) => l.fromJSON(["Subnet: IPv4 1.2.3.4/245"])).rules, ["Subnet: IPv4 1.2.3.4/24"]);
  assert.equal(list((l) => l.fromJSON(["Address: IPv6 ::ffff:1.2.3.4"])).rules, ["Address: IPv6 ::255.255.0.1"]);
});

Rules("fromJSON() rejects data that is not strings with ERR_INVALID_ARG_TYPE", () => {
  const bl = new BlockList();
  const prefix = 'The "data" argument must be of type string or string[]. Received ';
  throwsNodeError(() => bl.fromJSON(loose(1)), "TypeError", "ERR_INVALID_ARG_TYPE", `${prefix}type number (1)`);
  throwsNodeError(() => bl.fromJSON(loose([1])), "TypeError", "ERR_INVALID_ARG_TYPE", `${prefix}an instance of Array`);
  throwsNodeError(() => bl.fromJSON("{}"), "TypeError", "ERR_INVALID_ARG_TYPE", `${prefix}an instance of Object`);
  throwsNodeError(() => bl.fromJSON("[1]"), "TypeError", "ERR_INVALID_ARG_TYPE", `${prefix}an instance of Array`);
  assert.throws(() => bl.fromJSON("not json"), (err: unknown) => err instanceof SyntaxError);
  throwsNodeError(
    () => bl.fromJSON(["Subnet: IPv4 1.2.3.4/33"]),
    "RangeError",
    "ERR_OUT_OF_RANGE",
    'The value of "prefix" is out of range. It must be >= 0 && <= 32. Received 33',
  );
});

Rules("isBlockList() recognises only real instances", () => {
  assert.is(BlockList.isBlockList(new BlockList()), true);
  assert.is(BlockList.isBlockList({ rules: [] }), false);
  assert.is(BlockList.isBlockList(null), false);
});

const Validate = suite("BlockList argument validation");

Validate("rejects non-string addresses and families with ERR_INVALID_ARG_TYPE", () => {
  const bl = new BlockList();
  const type = (name: string, kind: string, received: string) =>
    `The "${name}" argument must be of type ${kind}. Received ${received}`;
  throwsNodeError(
    () => bl.addAddress(loose(1)),
    "TypeError",
    "ERR_INVALID_ARG_TYPE",
    type("address", "string", "type number (1)"),
  );
  throwsNodeError(
    () => bl.addAddress("1.2.3.4", loose(4)),
    "TypeError",
    "ERR_INVALID_ARG_TYPE",
    type("family", "string", "type number (4)"),
  );
  throwsNodeError(
    () => bl.addRange(loose(null), "1.2.3.4"),
    "TypeError",
    "ERR_INVALID_ARG_TYPE",
    type("start", "string", "null"),
  );
  throwsNodeError(
    () => bl.addRange("1.2.3.4", loose(1)),
    "TypeError",
    "ERR_INVALID_ARG_TYPE",
    type("end", "string", "type number (1)"),
  );
  throwsNodeError(
    () => bl.addSubnet(loose(1), 8),
    "TypeError",
    "ERR_INVALID_ARG_TYPE",
    type("network", "string", "type number (1)"),
  );
  throwsNodeError(
    () => bl.addSubnet("1.2.3.4", loose("8")),
    "TypeError",
    "ERR_INVALID_ARG_TYPE",
    type("prefix", "number", "type string ('8')"),
  );
  throwsNodeError(
    () => bl.addSubnet("1.2.3.4", loose(undefined)),
    "TypeError",
    "ERR_INVALID_ARG_TYPE",
    type("prefix", "number", "undefined"),
  );
  throwsNodeError(
    () => bl.check(loose(1)),
    "TypeError",
    "ERR_INVALID_ARG_TYPE",
    type("address", "string", "type number (1)"),
  );
  throwsNodeError(
    () => bl.check("1.2.3.4", loose(4)),
    "TypeError",
    "ERR_INVALID_ARG_TYPE",
    type("family", "string", "type number (4)"),
  );
});

Validate("rejects bad families and addresses as SocketAddress does", () => {
  const bl = new BlockList();
  throwsNodeError(
    () => bl.addAddress("1.2.3.4", loose("ipv5")),
    "TypeError",
    "ERR_INVALID_ARG_VALUE",
    "The property 'options.family' is invalid. Received 'ipv5'",
  );
  throwsNodeError(() => bl.addAddress("bad"), "Error", "ERR_INVALID_ADDRESS", "Invalid socket address");
  throwsNodeError(() => bl.addSubnet("::1", 8), "Error", "ERR_INVALID_ADDRESS", "Invalid socket address");
  assert.equal(bl.rules, []);
});

Validate("rejects out-of-range prefixes with ERR_OUT_OF_RANGE", () => {
  const bl = new BlockList();
  const range = (max: number, received: string) =>
    `The value of "prefix" is out of range. It must be >= 0 && <= ${max}. Received ${received}`;
  throwsNodeError(() => bl.addSubnet("1.2.3.4", 33), "RangeError", "ERR_OUT_OF_RANGE", range(32, "33"));
  throwsNodeError(() => bl.addSubnet("1.2.3.4", -1), "RangeError", "ERR_OUT_OF_RANGE", range(32, "-1"));
  throwsNodeError(() => bl.addSubnet("::", 129, "ipv6"), "RangeError", "ERR_OUT_OF_RANGE", range(128, "129"));
  throwsNodeError(
    () => bl.addSubnet("1.2.3.4", 1.5),
    "RangeError",
    "ERR_OUT_OF_RANGE",
    'The value of "prefix" is out of range. It must be an integer. Received 1.5',
  );
});

Validate("rejects a range whose start comes after its end, showing the start as Node does", () => {
  const bl = new BlockList();
  throwsNodeError(
    () => bl.addRange("2.0.0.1", "1.0.0.5"),
    "TypeError",
    "ERR_INVALID_ARG_VALUE",
    "The argument 'start' must come before end. Received SocketAddress { address: '2.0.0.1', port: 0, family: 'ipv4', flowlabel: 0 }",
  );
  throwsNodeError(
    () => bl.addRange("2001:db8:1:2:3:4:5:7", "2001:db8:1:2:3:4:5:6", "ipv6"),
    "TypeError",
    "ERR_INVALID_ARG_VALUE",
    "The argument 'start' must come before end. Received SocketAddress {\n  address: '2001:db8:1:2:3:4:5:7',\n  port: 0,\n  family: 'ipv6',\n  flowlabel: 0\n}",
  );
  assert.equal(bl.rules, []);
});

Check.run();
Rules.run();
Validate.run();
