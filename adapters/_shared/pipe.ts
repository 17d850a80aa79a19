// Unix socket helpers shared by the adapters (no file system access: the memory adapter
// may import this too).

/**
 * The mode `uv_pipe_chmod` gives a Unix socket in Node 24 for `readableAll` and
 * `writableAll`: exactly r and/or w for everyone (0 when neither is asked).
 */
export function pipeMode(readableAll: boolean, writableAll: boolean): number {
  return (readableAll ? 0o444 : 0) | (writableAll ? 0o222 : 0);
}
