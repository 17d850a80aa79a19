// A minimal Chrome DevTools Protocol client for the V8 inspector of a Node or Deno child
// (profile.ts, heap.ts), and a helper reading a child's output up to a pattern.

/** Minimal CDP client over the inspector's WebSocket. */
export async function cdp(url: string) {
  const ws = new WebSocket(url);
  await new Promise((resolve, reject) => {
    ws.onopen = resolve;
    ws.onerror = reject;
  });
  let id = 0;
  const pending = new Map<number, (m: { result?: unknown; error?: unknown }) => void>();
  const listeners = new Map<string, (params: Record<string, unknown>) => void>();
  ws.onmessage = (e) => {
    const m = JSON.parse(e.data);
    if (m.id && pending.has(m.id)) {
      pending.get(m.id)!(m);
      pending.delete(m.id);
    } else if (m.method) listeners.get(m.method)?.(m.params);
  };
  const call = (method: string, params: Record<string, unknown> = {}) =>
    new Promise<{ result?: unknown; error?: unknown }>((resolve) => {
      const i = ++id;
      pending.set(i, resolve);
      ws.send(JSON.stringify({ id: i, method, params }));
    });
  /** Handle one kind of event (one handler per method). */
  const on = (method: string, fn: (params: Record<string, unknown>) => void) => listeners.set(method, fn);
  return { call, on, close: () => ws.close() };
}

/** Read `reader` until the text read matches `re`; the text. */
export async function readUntil(reader: ReadableStreamDefaultReader<string>, re: RegExp, ms: number): Promise<string> {
  let text = "";
  const deadline = Date.now() + ms;
  while (!re.test(text)) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${re}: ${text.slice(-500)}`);
    const { value, done } = await reader.read();
    if (done) throw new Error(`stream ended before ${re}: ${text.slice(-2000)}`);
    text += value;
  }
  return text;
}
