// This machine's file system as the memory network sees it (`createMemoryAdapter({ fs })`):
// what `statSync` finds at a path, for the tests whose Unix socket paths meet real files.
import { statSync } from "node:fs";
import type { FileType, MemoryFileSystem } from "../adapters/memory/mod.ts";

/** `statSync` as a {@link MemoryFileSystem}: nothing (or an unreachable path) is `undefined`. */
export const realFileSystem: MemoryFileSystem = {
  typeOf(path: string): FileType {
    try {
      const s = statSync(path);
      return s.isDirectory() ? "directory" : s.isSocket() ? "socket" : "file";
    } catch {
      return undefined; // ENOENT, ENOTDIR, EACCES …
    }
  },
};
