// The cause group of a known difference (tests/badinput/README.md), from its outcomes:
// the first rule that matches names it. Keep the rules few and precise: they are the bug
// list's headings.
import type { KnownDifference } from "./_fixture.ts";

const all = (k: KnownDifference, re: RegExp): boolean => Object.values(k.actual).every((a) => re.test(a.join("\n")));
const want = (k: KnownDifference, re: RegExp): boolean => re.test(k.expected.join("\n"));

/** Rules in order: [group, test]. */
export const GROUPS: [string, (k: KnownDifference) => boolean][] = [
  [
    "fd: ERR_FEATURE_UNAVAILABLE_ON_PLATFORM (options.fd) thrown before Node's fd validation/EINVAL",
    (k) => all(k, /ERR_FEATURE_UNAVAILABLE_ON_PLATFORM: The feature options\.fd /),
  ],
  [
    "deno lacks local bind: localAddress/localPort unavailable thrown where Node accepts the value",
    (k) => all(k, /ERR_FEATURE_UNAVAILABLE_ON_PLATFORM: The feature options\.local(Address|Port) /),
  ],
  [
    "ERR_INVALID_ARG_VALUE message: nested values printed [Object]/[Array] (inspect depth) and never broken over lines",
    (k) => want(k, /^throw TypeError ERR_INVALID_ARG_VALUE/) && all(k, /\[(Object|Array)\]/),
  ],
  [
    "new Socket(null): throws a TypeError reading objectMode; Node 24 takes null as no options",
    (k) => k.desc.startsWith("new Socket(null") && all(k, /objectMode/),
  ],
  [
    "Unix path with a NUL byte: Node 24 fails EINVAL; node20/bun adapters truncate (listen succeeds, connect ENOENT), deno's EINVAL lacks ' - Local (undefined:undefined)'",
    (k) => /\\0path/.test(k.desc) && want(k, /EINVAL/),
  ],
  [
    "Unix path longer than sun_path (200 bytes): Node 24 fails EINVAL; node20 truncates (ENOENT/ECONNREFUSED/listening/EADDRINUSE), deno/bun connect EINVAL lacks ' - Local (undefined:undefined)'",
    (k) => /"x"\.repeat\(200\)/.test(k.desc) && want(k, /EINVAL/),
  ],
  [
    "engine text: JavaScriptCore's TypeError message differs from V8's (not omninet's)",
    (k) => Object.keys(k.actual).join() === "bun" && want(k, /^throw TypeError -:/),
  ],
];

export function groupOf(k: KnownDifference): string {
  for (const [name, test] of GROUPS) if (test(k)) return name;
  return "unclassified";
}
