/**
 * Linux's platform facts, for an adapter that emulates Linux rather than asking a runtime:
 * the memory adapter (its network behaves as Linux loopback). Runtime-neutral: imports
 * nothing but the contract's types.
 *
 * @module
 */
import type { PlatformFacts } from "../../src/contract.ts";

// libuv error numbers as Node reports them in `errno` on Linux (negated POSIX errno;
// EAI_*, UNKNOWN and EOF are uv's own, the same on every OS).
const linuxErrno: Record<string, number> = {
  EPERM: -1,
  ENOENT: -2,
  EINTR: -4,
  EIO: -5,
  EBADF: -9,
  EAGAIN: -11,
  ENOMEM: -12,
  EACCES: -13,
  EEXIST: -17,
  ENOTDIR: -20,
  EISDIR: -21,
  EINVAL: -22,
  ENFILE: -23,
  EMFILE: -24,
  EROFS: -30,
  EPIPE: -32,
  ENAMETOOLONG: -36,
  ELOOP: -40,
  ENOTSOCK: -88,
  EPROTONOSUPPORT: -93,
  ENOTSUP: -95,
  EAFNOSUPPORT: -97,
  EADDRINUSE: -98,
  EADDRNOTAVAIL: -99,
  ENETDOWN: -100,
  ENETUNREACH: -101,
  ECONNABORTED: -103,
  ECONNRESET: -104,
  ENOBUFS: -105,
  EISCONN: -106,
  ENOTCONN: -107,
  ETIMEDOUT: -110,
  ECONNREFUSED: -111,
  EHOSTDOWN: -112,
  EHOSTUNREACH: -113,
  EALREADY: -114,
  ECANCELED: -125,
  EAI_ADDRFAMILY: -3000,
  EAI_AGAIN: -3001,
  EAI_BADFLAGS: -3002,
  EAI_CANCELED: -3003,
  EAI_FAIL: -3004,
  EAI_FAMILY: -3005,
  EAI_MEMORY: -3006,
  EAI_NODATA: -3007,
  ENOTFOUND: -3008,
  EAI_OVERFLOW: -3009,
  EAI_SERVICE: -3010,
  EAI_SOCKTYPE: -3011,
  UNKNOWN: -4094,
  EOF: -4095,
};

/** Linux's facts: its errno numbers, glibc's getaddrinfo flags, `AI_ADDRCONFIG` by default. */
export const linuxPlatform: PlatformFacts = Object.freeze({
  errno: (code: string): number | undefined => linuxErrno[code],
  // glibc's AI_V4MAPPED, AI_ALL, AI_ADDRCONFIG: what Node's `dns` exports on Linux.
  lookupFlags: Object.freeze({ addrconfig: 0x20, v4mapped: 0x8, all: 0x10 }),
  defaultLookupHints: Object.freeze({ addrconfig: true }),
  // sizeof(sockaddr_un.sun_path): libuv takes a path that fills it without a NUL.
  maxPipePathBytes: 108,
});
