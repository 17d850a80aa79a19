// Microbenchmark: the Socket constructor's Duplex options built by object spread (as Node's
// net.Socket does) against a fixed-shape object naming the keys node:stream reads, on the
// two option shapes a churn makes (client: normalized connect options; server: accepted).
//   bun scripts/investigate/duplex_options_bench.ts   (or node / deno run -A)
import { Duplex } from "node:stream";

const kRaw = Symbol("raw"), kPipe = Symbol("pipe");
const client = () => ({ port: 1234, host: "127.0.0.1" });
const server = () => ({
  [kRaw]: {},
  [kPipe]: false,
  pauseOnCreate: false,
  allowHalfOpen: true,
  readableHighWaterMark: undefined,
  writableHighWaterMark: undefined,
  noDelay: false,
  keepAlive: false,
  keepAliveInitialDelay: 0,
});
// deno-lint-ignore no-explicit-any
type O = any;
function spread(o: O) {
  const r = {
    ...o,
    allowHalfOpen: Boolean(o.allowHalfOpen),
    emitClose: false,
    autoDestroy: true,
    decodeStrings: false,
  };
  if (r.signal !== undefined) r.signal = undefined;
  r.readableHighWaterMark ??= 65536;
  r.writableHighWaterMark ??= 65536;
  return r;
}
function fixed(o: O) {
  return {
    allowHalfOpen: Boolean(o.allowHalfOpen),
    emitClose: false,
    autoDestroy: true,
    decodeStrings: false,
    highWaterMark: o.highWaterMark,
    readableHighWaterMark: o.readableHighWaterMark ?? (o.highWaterMark === undefined ? 65536 : undefined),
    writableHighWaterMark: o.writableHighWaterMark ?? (o.highWaterMark === undefined ? 65536 : undefined),
    objectMode: o.objectMode,
    encoding: o.encoding,
    defaultEncoding: o.defaultEncoding,
    readable: o.readable,
    writable: o.writable,
    captureRejections: o.captureRejections,
    read: o.read,
    write: o.write,
    writev: o.writev,
    final: o.final,
    destroy: o.destroy,
    construct: o.construct,
  };
}
const N = 200_000;
for (const [name, f] of [["spread", spread], ["fixed", fixed], ["spread", spread], ["fixed", fixed]] as const) {
  let sink = 0;
  const t0 = performance.now();
  for (let i = 0; i < N; i++) {
    const d = new Duplex(f(i & 1 ? client() : server()));
    sink += d.readableHighWaterMark;
  }
  const ms = performance.now() - t0;
  console.log(`${name}: ${((ms * 1000) / N).toFixed(3)} µs per new Duplex (${sink > 0})`);
}
