// Writing a batch of chunks to a Deno connection: Deno has no writev and `conn.write`
// may write fewer bytes than given, so small chunks are coalesced into one buffer and
// every write loops until all its bytes are out.
import type { DenoConn } from "./_deno_api.ts";

/** A whole batch at most this large is copied into one write. */
const COALESCE_LIMIT = 256 * 1024;
/** In larger batches, chunks below this size are gathered into buffers of up to BATCH. */
const SMALL_CHUNK = 16 * 1024;
const BATCH = 64 * 1024;

/** Write every byte of `data`, looping over partial writes. */
export async function writeAll(conn: DenoConn, data: Uint8Array): Promise<void> {
  if (data.byteLength === 0) return;
  const n = await conn.write(data);
  if (n !== data.byteLength) await writeRest(conn, data, n);
}

/** Write the rest of `data` after a first `conn.write` that took `n` bytes of it. */
export async function writeRest(conn: DenoConn, data: Uint8Array, n: number): Promise<void> {
  const length = data.byteLength;
  let written = 0;
  for (;;) {
    if (n <= 0) throw new Error(`Deno's conn.write wrote ${n} of ${length - written} bytes`);
    written += n;
    if (written >= length) return;
    n = await conn.write(data.subarray(written));
  }
}

function concat(chunks: Uint8Array[], from: number, to: number, size: number): Uint8Array {
  const out = new Uint8Array(size);
  let offset = 0;
  for (let i = from; i < to; i++) {
    out.set(chunks[i], offset);
    offset += chunks[i].byteLength;
  }
  return out;
}

/**
 * Write the chunks in order; resolves once every byte was handed to the OS. `accepted(n)`
 * reports the next `n` chunks written whole, as they are.
 */
export async function writeChunks(conn: DenoConn, chunks: Uint8Array[], accepted: (n: number) => void): Promise<void> {
  const count = chunks.length;
  if (count === 1) {
    await writeAll(conn, chunks[0]);
    accepted(1);
    return;
  }
  let total = 0;
  for (let i = 0; i < count; i++) total += chunks[i].byteLength;
  if (total <= COALESCE_LIMIT) {
    await writeAll(conn, concat(chunks, 0, count, total));
    accepted(count);
    return;
  }
  // Large batch: big chunks go out as they are, runs of small ones as one buffer each.
  let start = 0;
  let size = 0;
  for (let i = 0; i < count; i++) {
    const n = chunks[i].byteLength;
    if (n < SMALL_CHUNK) {
      size += n;
      if (size < BATCH) continue;
      await writeAll(conn, concat(chunks, start, i + 1, size));
    } else {
      if (size > 0) {
        await writeAll(conn, concat(chunks, start, i, size));
        accepted(i - start);
        start = i;
      }
      await writeAll(conn, chunks[i]);
    }
    accepted(i + 1 - start);
    start = i + 1;
    size = 0;
  }
  if (start < count) {
    await writeAll(conn, concat(chunks, start, count, size));
    accepted(count - start);
  }
}
