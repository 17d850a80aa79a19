/**
 * Unix socket paths and the file system. On Linux a socket path names a file: `bind`
 * creates it in an existing directory and fails where anything is already there, and
 * `connect` needs a socket file with a listener behind it. A memory network owns no file
 * system; it keeps its listeners' paths in a namespace of its own and, when the user hands
 * it a {@link MemoryFileSystem}, asks that about every other path, so the errors are
 * Linux's:
 *
 * | at the path (or on the way to it)              | `listen`                         | `connect`      |
 * | ---------------------------------------------- | -------------------------------- | -------------- |
 * | a memory listener                              | `EADDRINUSE`                     | connects       |
 * | a file, directory or socket of the file system | `EADDRINUSE`                     | `ECONNREFUSED` |
 * | nothing, in a missing directory                | `ENOENT` (Node reports `EACCES`) | `ENOENT`       |
 * | nothing, under a file that is no directory     | `ENOTDIR`                        | `ENOTDIR`      |
 * | nothing, in an existing directory              | listens                          | `ENOENT`       |
 *
 * Without one, every directory exists and no file does: `listen` fails only on a path a
 * memory listener holds, `connect` with `ENOENT` where none does. What a memory listener
 * binds is never written to the file system (its "socket file" lives in the network), and
 * permissions are not modelled. Abstract names (a leading NUL) never touch the file system.
 *
 * @module
 */

/** What is at a path of the file system, as `stat` tells it; `undefined`: nothing (or not reachable). */
export type FileType = "file" | "directory" | "socket" | undefined;

/**
 * The file system a memory network consults for Unix socket paths (see
 * `createMemoryAdapter({ fs })`): synchronous, read-only.
 *
 * @example
 * ```ts
 * import { statSync } from "node:fs";
 * import type { MemoryFileSystem } from "@omninet/net/adapters/memory";
 *
 * const fs: MemoryFileSystem = {
 *   typeOf(path) {
 *     const s = statSync(path, { throwIfNoEntry: false });
 *     return s === undefined ? undefined : s.isDirectory() ? "directory" : s.isSocket() ? "socket" : "file";
 *   },
 * };
 * ```
 */
export interface MemoryFileSystem {
  /**
   * What `path` names (following symbolic links): `"directory"`, `"socket"`, `"file"`
   * for any other kind, `undefined` when nothing is there or a component of the way is
   * missing or no directory. `path` is the user's, relative paths included.
   */
  typeOf(path: string): FileType;
}

/** Why a path cannot be bound or connected to: the errno code, or `""` when it can. */
export type PathVerdict = "" | "EADDRINUSE" | "ECONNREFUSED" | "ENOENT" | "ENOTDIR";

/** The directory a path's last component is in (`"."` for a bare name). */
function parentOf(path: string): string {
  let end = path.length;
  while (end > 1 && path[end - 1] === "/") end--; // "dir/" names "dir"
  const slash = path.lastIndexOf("/", end - 1);
  if (slash < 0) return ".";
  return slash === 0 ? "/" : path.slice(0, slash);
}

/** Nothing at `path`: whether the way to it fails with ENOENT or ENOTDIR. */
function missing(fs: MemoryFileSystem, path: string): "ENOENT" | "ENOTDIR" {
  for (let dir = parentOf(path), last = path; dir !== last; last = dir, dir = parentOf(dir)) {
    const type = fs.typeOf(dir);
    if (type === "directory") return "ENOENT";
    if (type !== undefined) return "ENOTDIR";
  }
  return "ENOENT";
}

/** Whether `listen(path)` may bind a path no memory listener holds. */
export function listenVerdict(fs: MemoryFileSystem | undefined, path: string): PathVerdict {
  if (fs === undefined || path.startsWith("\0")) return "";
  if (fs.typeOf(path) !== undefined) return "EADDRINUSE";
  return fs.typeOf(parentOf(path)) === "directory" ? "" : missing(fs, path);
}

/** Why `connect(path)` fails where no memory listener is. */
export function connectVerdict(fs: MemoryFileSystem | undefined, path: string): "ECONNREFUSED" | "ENOENT" | "ENOTDIR" {
  if (fs === undefined || path.startsWith("\0")) return "ENOENT";
  return fs.typeOf(path) !== undefined ? "ECONNREFUSED" : missing(fs, path);
}
