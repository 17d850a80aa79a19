// Scenarios: how Node's error messages show the value they received (type names, long
// strings cut short, symbols, bigints, class instances, null prototypes, large numbers
// with separators), through the validators of setTimeout, connect and listen.
import type { Scenario } from "./_harness.ts";
import { idleSocket, throwsScenario } from "./_kit.ts";

class Custom {}

export const messageScenarios: Scenario[] = [
  throwsScenario("messages: setTimeout callback as a long string, a symbol and a bigint", (net) => [
    ["long string", () => idleSocket(net).setTimeout(1, "a string that is longer than twenty-eight characters")],
    ["symbol", () => idleSocket(net).setTimeout(1, Symbol("tag"))],
    ["bigint", () => idleSocket(net).setTimeout(1, 10n)],
  ]),
  throwsScenario("messages: setTimeout callback as instances", (net) => [
    ["Map", () => idleSocket(net).setTimeout(1, new Map())],
    ["array", () => idleSocket(net).setTimeout(1, [1, 2])],
    ["object literal", () => idleSocket(net).setTimeout(1, { a: 1 })],
    ["class instance", () => idleSocket(net).setTimeout(1, new Custom())],
  ]),
  throwsScenario("messages: setTimeout callback as a boolean, a float and NaN", (net) => [
    ["true", () => idleSocket(net).setTimeout(1, true)],
    ["3.5", () => idleSocket(net).setTimeout(1, 3.5)],
    ["NaN", () => idleSocket(net).setTimeout(1, NaN)],
  ]),
  throwsScenario("messages: setTimeout msecs out of range: negative, large negative, -Infinity", (net) => [
    ["-1.5", () => idleSocket(net).setTimeout(-1.5)],
    ["-(2 ** 40)", () => idleSocket(net).setTimeout(-(2 ** 40))],
    ["-Infinity", () => idleSocket(net).setTimeout(-Infinity)],
  ]),
  throwsScenario("messages: setTimeout msecs of the wrong type", (net) => [
    ["null", () => idleSocket(net).setTimeout(null)],
    ["{}", () => idleSocket(net).setTimeout({})],
    ["10n", () => idleSocket(net).setTimeout(10n)],
  ]),
  throwsScenario("messages: bad ports with fractions and exponents", (net) => [
    ["65536.5", () => net.connect({ port: 65536.5 })],
    ["-1e10", () => net.connect({ port: -1e10 })],
    ["2 ** 53", () => net.connect({ port: 2 ** 53 })],
  ]),
  throwsScenario("messages: bad ports given as strings", (net) => [
    ["'70000'", () => net.connect({ port: "70000" })],
    ["'8080a'", () => net.connect({ port: "8080a" })],
    ["'-80'", () => net.connect({ port: "-80" })],
  ]),
  throwsScenario("messages: host of the wrong type, symbol and function", (net) => [
    ["host Symbol", () => net.connect({ port: 80, host: Symbol("h") })],
    ["host function", () => net.connect({ port: 80, host: function named() {} })],
    ["host 1n", () => net.connect({ port: 80, host: 1n })],
  ]),
  throwsScenario("messages: lookup of the wrong type, instances", (net) => [
    ["lookup Map", () => net.connect({ port: 80, host: "example.test", lookup: new Map() })],
    ["lookup array", () => net.connect({ port: 80, host: "example.test", lookup: [] })],
  ]),
  throwsScenario("messages: listen port of the wrong type, long string and bigint", (net) => [
    ["port 'a very long port string value here'", () => net.createServer().listen({ port: "a very long port string" })],
    ["port 1n", () => net.createServer().listen({ port: 1n })],
  ]),
  throwsScenario("messages: createServer options as a string, a long string, a symbol", (net) => [
    ["'opts'", () => net.createServer("opts" as unknown as object)],
    ["long", () => net.createServer("options given as a fairly long string here" as unknown as object)],
    ["symbol", () => net.createServer(Symbol("o") as unknown as object)],
  ]),
  throwsScenario("messages: write() chunk of the wrong type: number, Map, function", (net) => [
    ["write(42)", () => idleSocket(net).write(42)],
    ["write(new Map())", () => idleSocket(net).write(new Map())],
    ["write(fn)", () => idleSocket(net).write(function chunk() {}, "utf8")],
  ]),
  throwsScenario("messages: signal option of the wrong type", (net) => [
    ["signal 1", () => net.connect({ port: 80, host: "127.0.0.1", signal: 1 })],
    ["signal 'abort'", () => net.connect({ port: 80, host: "127.0.0.1", signal: "abort" })],
  ]),
  throwsScenario("messages: setTimeout callback as a null-prototype object and a Date", (net) => [
    ["null prototype", () => idleSocket(net).setTimeout(1, Object.create(null))],
    ["Date", () => idleSocket(net).setTimeout(1, new Date(0))],
  ]),
];
