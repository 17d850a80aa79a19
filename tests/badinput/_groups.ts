// The cause group of a known difference on one runtime (tests/badinput/README.md), from
// node:net's outcome and omninet's: the first rule that matches names it. The groups are
// the bug list's headings; keep them few and precise.

/** One side of a difference as the rules see it. */
export interface Diff {
  desc: string;
  runtime: string;
  /** node:net's outcome lines, joined by newlines. */
  expected: string;
  /** omninet's. */
  actual: string;
}

/** Rules in order: [group, test]. */
export const GROUPS: [string, (d: Diff) => boolean][] = [
  [
    "fd: 'options.fd unavailable' (ERR_FEATURE_UNAVAILABLE_ON_PLATFORM) is thrown before Node's fd validation " +
    "(ERR_INVALID_ARG_TYPE / ERR_OUT_OF_RANGE) and instead of listen's async EINVAL",
    (d) => /ERR_FEATURE_UNAVAILABLE_ON_PLATFORM: The feature options\.fd /.test(d.actual),
  ],
  [
    "missing adapter capability (by design): ipv6Only (deno), " +
    "reusePort (deno, node20) unavailable where Node 24 accepts them",
    (d) => /ERR_FEATURE_UNAVAILABLE_ON_PLATFORM/.test(d.actual),
  ],
  [
    "ERR_INVALID_ARG_VALUE message: the received value is not printed like util.inspect " +
    "(nested {} and [] shown as [Object]/[Array]; not broken over lines past 72 columns)",
    (d) =>
      /^throw TypeError ERR_INVALID_ARG_VALUE/.test(d.expected) &&
      /^throw TypeError ERR_INVALID_ARG_VALUE/.test(d.actual),
  ],
  [
    "ERR_INVALID_IP_ADDRESS message prints String(value), not util.inspect: {} as [object Object], [] as nothing",
    (d) =>
      /^throw TypeError ERR_INVALID_IP_ADDRESS/.test(d.expected) &&
      /^throw TypeError ERR_INVALID_IP_ADDRESS/.test(d.actual),
  ],
  [
    "new Socket(null) throws a TypeError reading `objectMode` of null; Node 24 takes null as no options",
    (d) => d.desc.startsWith("new Socket(null"),
  ],
  [
    "already-aborted signal: connect() aborts first; Node validates the other arguments first (throws; its " +
    "orphaned socket then emits an uncaught AbortError) and calls lookup before the abort",
    (d) => /signal: (AbortSignal\.abort\(\)|\{aborted: true\})/.test(d.desc) && /AbortError|lookup\(/.test(d.expected),
  ],
  [
    "connect EINVAL (Unix path too long or with a NUL byte): the message lacks Node's ' - Local (undefined:undefined)'",
    (d) => / - Local \(undefined:undefined\)/.test(d.expected) && /EINVAL: connect EINVAL/.test(d.actual),
  ],
  [
    "Unix path too long (200 bytes) or with a NUL byte: the runtime truncates it instead of failing EINVAL " +
    "(listen succeeds; connect ENOENT/ECONNREFUSED; a later listen EADDRINUSE)",
    (d) => /EINVAL/.test(d.expected) && /(\\0path|"x"\.repeat\(200\))/.test(d.desc),
  ],
  [
    "engine text: JavaScriptCore words a built-in TypeError differently from V8 (not omninet's message)",
    (d) => d.runtime === "bun" && /^throw TypeError -:/.test(d.expected) && /^throw TypeError -:/.test(d.actual),
  ],
  [
    "new Socket options checked in another order: signal before highWaterMark",
    (d) => /highWaterMark/i.test(d.expected) && /"signal" argument/.test(d.actual),
  ],
  [
    "write/end encoding 'buffer': ERR_UNKNOWN_ENCODING thrown; Node's streams accept it",
    (d) => /ERR_UNKNOWN_ENCODING: Unknown encoding: buffer/.test(d.actual),
  ],
  [
    "listen backlog 1n: Node throws 'Cannot convert a BigInt value to a number', omninet listens",
    (d) => /BigInt value to a number/.test(d.expected),
  ],
];

export function groupOf(d: Diff): string {
  for (const [name, test] of GROUPS) if (test(d)) return name;
  return "unclassified";
}
