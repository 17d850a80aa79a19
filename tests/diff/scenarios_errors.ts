// Scenarios: synchronous argument errors of net.connect(), net.Socket, its methods,
// net.createServer() and server.listen(): the exact Node error code and message.
import { Buffer } from "node:buffer";
import type { Scenario } from "./_harness.ts";
import { idleSocket, throwsScenario } from "./_kit.ts";

const fn = () => {};

export const errorScenarios: Scenario[] = [
  throwsScenario("errors: connect port as NaN, Infinity and -0", (net) => [
    ["port NaN", () => net.connect({ port: NaN })],
    ["port Infinity", () => net.connect({ port: Infinity })],
    ["port -0.5", () => net.connect({ port: -0.5 })],
  ]),
  throwsScenario("errors: connect port as an object, an array and a bigint", (net) => [
    ["port {}", () => net.connect({ port: {} })],
    ["port []", () => net.connect({ port: [] })],
    ["port 80n", () => net.connect({ port: 80n })],
  ]),
  throwsScenario("errors: connect port as a string with spaces, hex and exponent", (net) => [
    ["port ' 80 '", () => net.connect({ port: " 80 ", host: "127.0.0.1" })],
    ["port '0x50'", () => net.connect({ port: "0x50", host: "127.0.0.1" })],
    ["port '1e3'", () => net.connect({ port: "1e3", host: "127.0.0.1" })],
  ]),
  throwsScenario("errors: connect(port) positional forms out of range", (net) => [
    ["connect(65535.5)", () => net.connect(65535.5)],
    ["connect('-1')", () => net.connect("-1")],
    ["createConnection(70000, host)", () => net.createConnection(70000, "127.0.0.1")],
  ]),
  throwsScenario("errors: connect without a port or path", (net) => [
    ["connect(undefined)", () => net.connect(undefined)],
    ["connect(null)", () => net.connect(null)],
    ["connect({ host })", () => net.connect({ host: "127.0.0.1" })],
  ]),
  throwsScenario("errors: socket.connect() on a new Socket without arguments", (net) => [
    ["connect()", () => idleSocket(net).connect()],
    ["connect({})", () => idleSocket(net).connect({})],
    ["connect({ port: -1 })", () => idleSocket(net).connect({ port: -1 })],
  ]),
  throwsScenario("errors: host, localAddress and localPort types", (net) => [
    ["host {}", () => net.connect({ port: 80, host: {} })],
    ["host true", () => net.connect({ port: 80, host: true })],
    ["localAddress 1", () => net.connect({ port: 80, host: "127.0.0.1", localAddress: 1 })],
    ["localAddress '999.0.0.1'", () => net.connect({ port: 80, host: "127.0.0.1", localAddress: "999.0.0.1" })],
  ]),
  {
    ...throwsScenario("errors: localPort out of range and of the wrong type", (net) => [
      ["localPort -1", () => net.connect({ port: 80, host: "127.0.0.1", localPort: -1 })],
      ["localPort 70000", () => net.connect({ port: 80, host: "127.0.0.1", localPort: 70000 })],
      ["localPort true", () => net.connect({ port: 80, host: "127.0.0.1", localPort: true })],
    ]),
    needs: ["localBind"],
  },
  throwsScenario("errors: family values", (net) => [
    ["family 0", () => net.connect({ port: 80, host: "example.test", family: 0, lookup: fn })],
    ["family 6", () => net.connect({ port: 80, host: "example.test", family: 6, lookup: fn })],
    ["family -4", () => net.connect({ port: 80, host: "example.test", family: -4, lookup: fn })],
    ["family 'IPv4'", () => net.connect({ port: 80, host: "example.test", family: "IPv4", lookup: fn })],
    ["family null", () => net.connect({ port: 80, host: "example.test", family: null, lookup: fn })],
  ]),
  throwsScenario("errors: hints values", (net) => [
    ["hints 0", () => net.connect({ port: 80, host: "example.test", hints: 0, lookup: fn })],
    ["hints 1.5", () => net.connect({ port: 80, host: "example.test", hints: 1.5, lookup: fn })],
    ["hints null", () => net.connect({ port: 80, host: "example.test", hints: null, lookup: fn })],
  ]),
  throwsScenario("errors: lookup values", (net) => [
    ["lookup 'dns'", () => net.connect({ port: 80, host: "example.test", lookup: "dns" })],
    ["lookup {}", () => net.connect({ port: 80, host: "example.test", lookup: {} })],
    ["lookup null", () => net.connect({ port: 80, host: "example.test", lookup: null })],
  ]),
  throwsScenario("errors: timeout option values", (net) => [
    ["timeout 'x'", () => net.connect({ port: 80, host: "127.0.0.1", timeout: "x" })],
    ["timeout NaN", () => net.connect({ port: 80, host: "127.0.0.1", timeout: NaN })],
    ["timeout Infinity", () => net.connect({ port: 80, host: "127.0.0.1", timeout: Infinity })],
  ]),
  throwsScenario("errors: autoSelectFamily and its attempt timeout", (net) => [
    ["autoSelectFamily 'yes'", () => net.connect({ port: 80, host: "example.test", autoSelectFamily: "yes" })],
    ["attemptTimeout -1", () => net.connect({ port: 80, autoSelectFamilyAttemptTimeout: -1 })],
    ["attemptTimeout NaN", () => net.connect({ port: 80, autoSelectFamilyAttemptTimeout: NaN })],
  ]),
  throwsScenario("errors: path values", (net) => [
    ["path {}", () => net.connect({ path: {} })],
    ["path true", () => net.connect({ path: true })],
    ["path []", () => net.connect({ path: [] })],
  ]),
  throwsScenario("errors: onread option values", (net) => [
    ["onread 1", () => new net.Socket({ onread: 1 })],
    ["onread {}", () => new net.Socket({ onread: {} })],
    ["onread buffer 1", () => new net.Socket({ onread: { buffer: 1, callback: fn } })],
    ["onread callback 1", () => new net.Socket({ onread: { buffer: Buffer.alloc(4), callback: 1 } })],
  ]),
  throwsScenario("errors: Socket constructor stream options", (net) => [
    ["highWaterMark -1", () => new net.Socket({ highWaterMark: -1 })],
    ["highWaterMark 'x'", () => new net.Socket({ highWaterMark: "x" })],
    ["writableObjectMode", () => new net.Socket({ writableObjectMode: true })],
  ]),
  throwsScenario("errors: Socket constructor keep-alive and signal options", (net) => [
    ["keepAliveInitialDelay -1", () => new net.Socket({ keepAliveInitialDelay: -1 })],
    ["keepAliveInitialDelay NaN", () => new net.Socket({ keepAliveInitialDelay: NaN })],
    ["signal {}", () => new net.Socket({ signal: {} })],
    ["signal null", () => new net.Socket({ signal: null })],
  ]),
  throwsScenario("errors: blockList option on connect", (net) => [
    ["blockList 'x'", () => net.connect({ port: 80, host: "127.0.0.1", blockList: "x" })],
    ["blockList []", () => net.connect({ port: 80, host: "127.0.0.1", blockList: [] })],
  ]),
  throwsScenario("errors: setTimeout argument forms", (net) => [
    ["setTimeout()", () => idleSocket(net).setTimeout()],
    ["setTimeout('10')", () => idleSocket(net).setTimeout("10")],
    ["setTimeout(1.5)", () => idleSocket(net).setTimeout(1.5)],
  ]),
  throwsScenario("errors: setTimeout callback values", (net) => [
    ["setTimeout(10, null)", () => idleSocket(net).setTimeout(10, null)],
    ["setTimeout(10, {})", () => idleSocket(net).setTimeout(10, {})],
    ["setTimeout(10, 1)", () => idleSocket(net).setTimeout(10, 1)],
  ]),
  throwsScenario("errors: setNoDelay and setKeepAlive never throw", (net) => [
    ["setNoDelay('x')", () => idleSocket(net).setNoDelay("x")],
    ["setNoDelay(null)", () => idleSocket(net).setNoDelay(null)],
    ["setKeepAlive('x', 'y')", () => idleSocket(net).setKeepAlive("x", "y")],
    ["setKeepAlive(true, -1)", () => idleSocket(net).setKeepAlive(true, -1)],
  ]),
  throwsScenario("errors: write() chunk types", (net) => [
    ["write({})", () => idleSocket(net).write({})],
    ["write([1])", () => idleSocket(net).write([1])],
    ["write(true)", () => idleSocket(net).write(true)],
    ["write(undefined)", () => idleSocket(net).write(undefined)],
  ]),
  throwsScenario("errors: write() encodings", (net) => [
    ["write('x', 123)", () => idleSocket(net).write("x", 123)],
    ["write('x', 'utf-16le')", () => idleSocket(net).write("x", "utf-16le")],
    ["write('x', '')", () => idleSocket(net).write("x", "")],
  ]),
  throwsScenario("errors: end() chunk and encoding", (net) => [
    ["end({})", () => idleSocket(net).end({})],
    ["end('x', 'nope')", () => idleSocket(net).end("x", "nope")],
    ["end(null)", () => idleSocket(net).end(null)],
  ]),
  throwsScenario("errors: createServer with options that are not an object", (net) => [
    ["createServer('x')", () => net.createServer("x" as unknown as object)],
    ["createServer(1)", () => net.createServer(1 as unknown as object)],
    ["createServer(true)", () => net.createServer(true as unknown as object)],
  ]),
  throwsScenario("errors: createServer option values", (net) => [
    ["highWaterMark -1", () => net.createServer({ highWaterMark: -1 })],
    ["keepAliveInitialDelay 'x'", () => net.createServer({ keepAliveInitialDelay: "x" })],
    ["blockList {}", () => net.createServer({ blockList: {} })],
  ]),
  throwsScenario("errors: listen({}) and listen with a host but no port", (net) => [
    ["listen({})", () => net.createServer().listen({})],
    ["listen({ host })", () => net.createServer().listen({ host: "127.0.0.1" })],
    ["listen({ backlog: 5 })", () => net.createServer().listen({ backlog: 5 })],
  ]),
  throwsScenario("errors: listen ports out of range", (net) => [
    ["listen(65536)", () => net.createServer().listen(65536)],
    ["listen(-1)", () => net.createServer().listen(-1)],
    ["listen({ port: 65536 })", () => net.createServer().listen({ port: 65536 })],
    ["listen({ port: -1, host })", () => net.createServer().listen({ port: -1, host: "127.0.0.1" })],
  ]),
  throwsScenario("errors: listen path and signal of the wrong type", (net) => [
    ["listen({ path: 1 })", () => net.createServer().listen({ path: 1 })],
    ["listen({ path: true })", () => net.createServer().listen({ path: true })],
    ["listen({ port: 0, signal: 'x' })", () => net.createServer().listen({ port: 0, signal: "x" })],
  ]),
  throwsScenario("errors: listen(true) and listen(Symbol)", (net) => [
    ["listen(true)", () => net.createServer().listen(true)],
    ["listen(Symbol)", () => net.createServer().listen(Symbol("port"))],
  ]),
  throwsScenario("errors: Socket constructor argument that is not an object", (net) => [
    ["new Socket('x')", () => new net.Socket("x" as unknown as object)],
    ["new Socket(null)", () => new net.Socket(null as unknown as object)],
  ]),
  throwsScenario("errors: listen ports of the wrong type", (net) => [
    ["listen({ port: 1.5 })", () => net.createServer().listen({ port: 1.5 })],
    ["listen({ port: 'abc' })", () => net.createServer().listen({ port: "abc" })],
    ["listen({ port: true })", () => net.createServer().listen({ port: true })],
    ["listen({ port: {} })", () => net.createServer().listen({ port: {} })],
  ]),
];
