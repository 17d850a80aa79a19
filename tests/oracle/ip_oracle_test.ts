// Differential test: omninet's isIP / isIPv4 / isIPv6 against node:net on a generated
// corpus. Runs on Node only.
import * as net from "node:net";
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { isIP, isIPv4, isIPv6 } from "../../src/address/ip.ts";
import { ipCorpus, outcome } from "./_ip_corpus.ts";

const SEED = 0x5eed1;
const corpus = ipCorpus(SEED, 12_000);

function differences(inputs: readonly unknown[]): string[] {
  const diffs: string[] = [];
  for (const input of inputs) {
    for (
      const [name, ours, theirs] of [
        ["isIP", isIP, net.isIP],
        ["isIPv4", isIPv4, net.isIPv4],
        ["isIPv6", isIPv6, net.isIPv6],
      ] as const
    ) {
      const a = outcome(() => ours(input as string));
      const b = outcome(() => theirs(input as string));
      if (a !== b) diffs.push(`${name}(${JSON.stringify(input)}): omninet ${a}, node ${b}`);
    }
  }
  return diffs;
}

function report(diffs: string[]): void {
  if (diffs.length > 0) {
    console.error(`first differences (seed ${SEED}):\n  ${diffs.slice(0, 20).join("\n  ")}`);
  }
  assert.is(diffs.length, 0, `${diffs.length} differences from node:net`);
}

const IsIP = suite("isIP oracle");

IsIP("the corpus has at least 10,000 strings, valid and invalid of both families", () => {
  assert.ok(corpus.length >= 10_000);
  const v4 = corpus.filter((s) => net.isIPv4(s)).length;
  const v6 = corpus.filter((s) => net.isIPv6(s)).length;
  const none = corpus.length - v4 - v6;
  assert.ok(v4 > 1000 && v6 > 1000 && none > 3000, `v4 ${v4} v6 ${v6} neither ${none}`);
});

IsIP("isIP, isIPv4 and isIPv6 agree with node:net on every corpus string", () => {
  report(differences(corpus));
});

IsIP("isIP, isIPv4 and isIPv6 coerce non-strings exactly as node:net does", () => {
  let calls = 0;
  const counting = {
    toString() {
      calls++;
      return "::1";
    },
  };
  report(differences([
    undefined,
    null,
    0,
    1234,
    -0,
    NaN,
    1n,
    true,
    [],
    ["1.2.3.4"],
    ["::1"],
    [1, 2],
    {},
    { toString: () => "10.0.0.1" },
    { valueOf: () => "10.0.0.1" },
    { toString: () => "fe80::1%lo" },
    Symbol("x"),
    {
      toString: () => {
        throw new Error("boom");
      },
    },
    new String("1.2.3.4"),
  ]));
  calls = 0;
  isIP(counting as unknown as string);
  const ours = calls;
  calls = 0;
  net.isIP(counting as unknown as string);
  assert.is(ours, calls);
});

IsIP.run();
