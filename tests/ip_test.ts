import { suite } from "uvu";
import * as assert from "uvu/assert";
import {
  formatIPv4,
  formatIPv6,
  isIP,
  isIPv4,
  isIPv6,
  parseInetAddress,
  parseIPv4,
  parseIPv6,
} from "../src/address/ip.ts";

const groups = (text: string): number[] | null => {
  const parsed = parseIPv6(text);
  return parsed === null ? null : [...parsed];
};

const IsIP = suite("isIP");

IsIP("isIPv4() accepts four decimal octets 0-255 without leading zeros", () => {
  for (const s of ["0.0.0.0", "1.2.3.4", "10.0.0.1", "127.0.0.1", "192.168.100.200", "255.255.255.255"]) {
    assert.is(isIPv4(s), true, s);
  }
  for (
    const s of [
      "",
      "1.2.3",
      "1.2.3.4.5",
      "256.0.0.1",
      "01.2.3.4",
      "1.2.3.00",
      "1..2.3",
      "1.2.3.",
      ".1.2.3",
      " 1.2.3.4",
      "1.2.3.4 ",
      "1.2.3.4\n",
      "1.2.3.4\0",
      "0x7f.0.0.1",
      "127.1",
      "2130706433",
      "+1.2.3.4",
      "１.２.３.４",
      "1.2.3.4/32",
    ]
  ) {
    assert.is(isIPv4(s), false, JSON.stringify(s));
  }
});

IsIP("isIPv6() accepts every compressed, full, mixed and zoned form Node accepts", () => {
  for (
    const s of [
      "::",
      "::1",
      "1::",
      "1:2:3:4:5:6:7:8",
      "1:2:3:4:5:6:7::",
      "::2:3:4:5:6:7:8",
      "1:2:3:4:5:6::8",
      "0000::1",
      "2001:DB8::AbCd",
      "::ffff:127.0.0.1",
      "::1.2.3.4",
      "1:2:3:4:5:6:1.2.3.4",
      "1:2:3:4:5::1.2.3.4",
      "fe80::1%eth0",
      "fe80::1%1",
      "::1%a.b:c-D",
      "::%x",
    ]
  ) {
    assert.is(isIPv6(s), true, s);
  }
  for (
    const s of [
      "",
      ":",
      ":::",
      ":1::",
      "1::2::3",
      "1:2:3:4:5:6:7:8:9",
      "1:2:3:4:5:6:7:8::",
      "1::3:4:5:6:7:8:9",
      "00000::1",
      "g::1",
      "1:",
      "1::2:",
      "::ffff:1.2.3.04",
      "::ffff:256.1.1.1",
      "1:2:3:4:5:6:7:1.2.3.4",
      "1:2:3:4:5:6::1.2.3.4",
      "1.2.3.4::",
      "::1.2.3.4:5",
      "fe80::1%",
      "fe80::1%eth_0",
      "fe80::1%eth0%1",
      "fe80::1%é",
      "fe80::1/64",
      "[::1]",
      " ::1",
      "1.2.3.4",
    ]
  ) {
    assert.is(isIPv6(s), false, JSON.stringify(s));
  }
});

IsIP("isIP() returns 4, 6 or 0", () => {
  assert.is(isIP("10.0.0.1"), 4);
  assert.is(isIP("::ffff:10.0.0.1"), 6);
  assert.is(isIP("fe80::1%lo0"), 6);
  assert.is(isIP("localhost"), 0);
  assert.is(isIP(""), 0);
});

IsIP("isIP() coerces non-strings to strings as Node does", () => {
  const coerce = (value: unknown): number[] => [
    isIP(value as string),
    Number(isIPv4(value as string)),
    Number(isIPv6(value as string)),
  ];
  assert.equal(coerce(undefined), [0, 0, 0]);
  assert.equal(coerce(null), [0, 0, 0]);
  assert.equal(coerce(1234), [0, 0, 0]);
  assert.equal(coerce(["1.2.3.4"]), [4, 1, 0]);
  assert.equal(coerce(["::1"]), [6, 0, 1]);
  assert.equal(coerce({ toString: () => "10.0.0.1" }), [4, 1, 0]);
  assert.equal(coerce(new String("::")), [6, 0, 1]);
  assert.throws(() => isIP(Symbol("x") as unknown as string), (err: unknown) => err instanceof TypeError);
});

IsIP("isIP() converts an object once per family it tries, as Node does", () => {
  let calls = 0;
  const value = (text: string) => ({
    toString() {
      calls++;
      return text;
    },
  });
  isIP(value("1.2.3.4") as unknown as string);
  assert.is(calls, 1);
  calls = 0;
  isIP(value("::1") as unknown as string);
  assert.is(calls, 2);
});

const Parse = suite("ip parsing helpers");

Parse("parseIPv4() returns the address as an unsigned 32-bit number, or -1", () => {
  assert.is(parseIPv4("0.0.0.0"), 0);
  assert.is(parseIPv4("127.0.0.1"), 0x7f000001);
  assert.is(parseIPv4("255.255.255.255"), 0xffffffff);
  assert.is(parseIPv4("01.0.0.0"), -1);
  assert.is(parseIPv4("1.2.3"), -1);
});

Parse("parseIPv6() returns eight groups, expanding :: and an IPv4 tail", () => {
  assert.equal(groups("::"), [0, 0, 0, 0, 0, 0, 0, 0]);
  assert.equal(groups("2001:db8::1"), [0x2001, 0xdb8, 0, 0, 0, 0, 0, 1]);
  assert.equal(groups("1:2:3:4:5:6:7::"), [1, 2, 3, 4, 5, 6, 7, 0]);
  assert.equal(groups("::ffff:192.0.2.1"), [0, 0, 0, 0, 0, 0xffff, 0xc000, 0x201]);
  assert.equal(groups("1::2::3"), null);
  assert.equal(groups("fe80::1%eth0"), null);
});

Parse("formatIPv4() and formatIPv6() print as libuv's inet_ntop", () => {
  assert.is(formatIPv4(0xc0a80001), "192.168.0.1");
  assert.is(formatIPv6([0, 0, 0, 0, 0, 0, 0, 0]), "::");
  assert.is(formatIPv6([0, 0, 0, 0, 0, 0, 0, 1]), "::1");
  assert.is(formatIPv6([0, 0, 0, 0, 0, 0, 0, 2]), "::2");
  assert.is(formatIPv6([0, 0, 0, 0, 0, 0xffff, 0x0102, 0x0304]), "::ffff:1.2.3.4");
  assert.is(formatIPv6([0, 0, 0, 0, 0, 0, 0x0102, 0x0304]), "::1.2.3.4");
  assert.is(formatIPv6([0, 0, 0, 0, 0xffff, 0, 0x0102, 0x0304]), "::ffff:0:102:304");
  assert.is(formatIPv6([0, 0, 0, 0, 0, 0xffff, 0, 1]), "::ffff:0.0.0.1");
  assert.is(formatIPv6([1, 0, 0, 1, 0, 0, 0, 1]), "1:0:0:1::1");
  assert.is(formatIPv6([1, 0, 0, 0, 1, 0, 0, 1]), "1::1:0:0:1");
  assert.is(formatIPv6([1, 0, 2, 0, 3, 0, 4, 0]), "1:0:2:0:3:0:4:0");
  assert.is(formatIPv6([0xfe80, 0, 0, 0, 0, 0, 0, 0]), "fe80::");
  assert.is(formatIPv6([0xabcd, 0xef, 0, 0, 0, 0, 0, 0xffff]), "abcd:ef::ffff");
});

Parse("parseInetAddress() reads text as Node's SocketAddress does", () => {
  assert.is(parseInetAddress("10.0.0.1", 4), 0x0a000001);
  assert.is(parseInetAddress("10.0.0.1\0junk", 4), 0x0a000001);
  assert.is(parseInetAddress("10.0.0.1%eth0", 4), null);
  assert.equal([...parseInetAddress("fe80::1%eth0", 6)!], [0xfe80, 0, 0, 0, 0, 0, 0, 1]);
  assert.equal([...parseInetAddress("::1\0junk", 6)!], [0, 0, 0, 0, 0, 0, 0, 1]);
  // Text before the zone is cut at 39 characters (libuv's uv_ip6_addr).
  assert.is(parseInetAddress("1111:2:3:4:5:6:7:8XYZ%eth0", 6), null);
  assert.equal(
    [...parseInetAddress("1111:2222:3333:4444:5555:6666:7777:8888XYZ%eth0", 6)!],
    [0x1111, 0x2222, 0x3333, 0x4444, 0x5555, 0x6666, 0x7777, 0x8888],
  );
  assert.is(parseInetAddress("1111:2222:3333:4444:5555:6666:7777:8888XYZ", 6), null);
  assert.is(parseInetAddress("1.2.3.4", 6), null);
});

IsIP.run();
Parse.run();
