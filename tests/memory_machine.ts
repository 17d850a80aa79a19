// This machine as a memory network sees it, for the tests that compare the memory network
// with node:net here: its file system (`createMemoryAdapter({ fs })`: what `statSync` finds
// at a path) and its /etc/hosts (`{ hosts }`: whether `localhost` has `::1` is the
// machine's).
import { readFileSync, statSync } from "node:fs";
import { isIP } from "node:net";
import type { FileType, HostsTable, MemoryFileSystem } from "../adapters/memory/mod.ts";

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

/** /etc/hosts as a hosts table (names with their addresses in file order; zoned addresses left out). */
export function etcHosts(file = "/etc/hosts"): HostsTable {
  const table: Record<string, string[]> = {};
  let text = "";
  try {
    text = readFileSync(file, "utf8");
  } catch {
    return table;
  }
  for (const line of text.split("\n")) {
    const [address, ...names] = line.replace(/#.*/, "").trim().split(/\s+/);
    if (!address || isIP(address) === 0 || address.includes("%")) continue;
    for (const name of names) (table[name.toLowerCase()] ??= []).push(address);
  }
  return table;
}
