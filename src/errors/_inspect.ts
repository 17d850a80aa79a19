// A stand-in for util.inspect, enough to render values inside Node's error messages the
// way Node 24 does (the core may not import node:util): its default depth (2), prefixes
// (`Foo {`, `[Object: null prototype] {`, `Map(1) {`), functions and classes, sparse
// arrays, getters, and its layout: one line up to 80 columns, else one entry a line, with
// arrays of more than 6 entries grouped in columns. Not covered: colours, circular
// references beyond `[Circular *1]`, promise state, proxies.
import { MAX_ARRAY_LENGTH, reduceToSingleString } from "./_inspect_layout.ts";

const meta: Record<string, string> = { "\b": "\\b", "\t": "\\t", "\n": "\\n", "\f": "\\f", "\r": "\\r", "\\": "\\\\" };

/** A string quoted and escaped as `util.inspect` does (quote choice included). */
export function quote(value: string): string {
  let q = "'";
  if (value.includes("'")) {
    if (!value.includes('"')) q = '"';
    else if (!value.includes("`") && !value.includes("${")) q = "`";
  }
  let out = "";
  for (const ch of value) {
    const code = ch.charCodeAt(0);
    if (ch === q) out += `\\${ch}`;
    else if (meta[ch] !== undefined) out += meta[ch];
    else if (code < 0x20 || code === 0x7f) out += `\\x${code.toString(16).toUpperCase().padStart(2, "0")}`;
    else out += ch;
  }
  return `${q}${out}${q}`;
}

interface Context {
  depth: number;
  indentationLvl: number;
  seen: unknown[];
}

/** Render a value as `util.inspect(value, { depth })` would (depth 2 by default). */
export function inspect(value: unknown, depth = 2): string {
  return formatValue({ depth, indentationLvl: 0, seen: [] }, value, 0);
}

function formatPrimitive(value: unknown): string {
  switch (typeof value) {
    case "string":
      return quote(value);
    case "number":
      return Object.is(value, -0) ? "-0" : String(value);
    case "bigint":
      return `${value}n`;
    case "symbol":
      return value.toString();
  }
  return String(value);
}

function formatValue(ctx: Context, value: unknown, recurseTimes: number): string {
  if (value === null || (typeof value !== "object" && typeof value !== "function")) return formatPrimitive(value);
  if (ctx.seen.includes(value)) return "[Circular *1]";
  return formatRaw(ctx, value as object, recurseTimes);
}

/** Node's getConstructorName: the first named constructor up the prototype chain, or null. */
function constructorName(value: object): string | null {
  let obj: object | null = value;
  while (obj !== null) {
    const desc = Object.getOwnPropertyDescriptor(obj, "constructor");
    if (desc !== undefined && typeof desc.value === "function" && desc.value.name !== "") return desc.value.name;
    obj = Object.getPrototypeOf(obj);
  }
  return null;
}

function prefixOf(constructor: string | null, tag: string, fallback: string, size = ""): string {
  if (constructor === null) {
    if (tag !== "" && fallback !== tag) return `[${fallback}${size}: null prototype] [${tag}] `;
    return `[${fallback}${size}: null prototype] `;
  }
  if (tag !== "" && constructor !== tag) return `${constructor}${size} [${tag}] `;
  return `${constructor}${size} `;
}

function functionBase(value: (...args: never[]) => unknown, constructor: string | null): string {
  const source = Function.prototype.toString.call(value);
  if (source.startsWith("class") && source.endsWith("}")) {
    let base = `[class ${value.name || "(anonymous)"}`;
    const parent = Object.getPrototypeOf(value);
    if (parent && parent.name) base += ` extends ${parent.name}`;
    return `${base}]`;
  }
  const type = constructor ?? "Function";
  return value.name ? `[${type}: ${value.name}]` : `[${type} (anonymous)]`;
}

const isIndex = (key: string) => /^(0|[1-9][0-9]*)$/.test(key) && Number(key) < 2 ** 32 - 1;

function ownKeys(value: object, skipIndices: boolean): (string | symbol)[] {
  const keys: (string | symbol)[] = Object.keys(value).filter((k) => !(skipIndices && isIndex(k)));
  for (const sym of Object.getOwnPropertySymbols(value)) {
    if (Object.prototype.propertyIsEnumerable.call(value, sym)) keys.push(sym);
  }
  return keys;
}

function formatRaw(ctx: Context, value: object, recurseTimes: number): string {
  const constructor = constructorName(value);
  let tag = (value as { [Symbol.toStringTag]?: unknown })[Symbol.toStringTag];
  if (
    typeof tag !== "string" || (tag !== "" && Object.prototype.propertyIsEnumerable.call(value, Symbol.toStringTag))
  ) {
    tag = "";
  }
  const t = tag as string;
  let base = "";
  let braces: [string, string] = ["{", "}"];
  let array = false;
  let entries: (ctx: Context, recurseTimes: number) => string[] = () => [];
  let keys: (string | symbol)[];
  if (Array.isArray(value)) {
    keys = ownKeys(value, true);
    const prefix = constructor !== "Array" || t !== "" ? prefixOf(constructor, t, "Array", `(${value.length})`) : "";
    braces = [`${prefix}[`, "]"];
    if (value.length === 0 && keys.length === 0) return `${braces[0]}]`;
    array = true;
    entries = (c, r) => formatArray(c, value, r);
  } else if (value instanceof Set || value instanceof Map) {
    keys = ownKeys(value, false);
    const prefix = prefixOf(constructor, t, value instanceof Set ? "Set" : "Map", `(${value.size})`);
    if (value.size === 0 && keys.length === 0) return `${prefix}{}`;
    braces = [`${prefix}{`, "}"];
    entries = (c, r) => formatCollection(c, value, r);
  } else if (ArrayBuffer.isView(value) && !(value instanceof DataView)) {
    const bytes = value as unknown as ArrayLike<number | bigint>;
    if (constructor === "Buffer") {
      const shown = Array.from(bytes as ArrayLike<number>).slice(0, 50).map((b) => b.toString(16).padStart(2, "0"));
      const more = bytes.length > 50 ? ` ... ${bytes.length - 50} more byte${bytes.length > 51 ? "s" : ""}` : "";
      return `<Buffer${shown.length ? " " : ""}${shown.join(" ")}${more}>`;
    }
    keys = ownKeys(value, true);
    braces = [`${prefixOf(constructor, t, t || "TypedArray", `(${bytes.length})`)}[`, "]"];
    if (bytes.length === 0 && keys.length === 0) return `${braces[0]}]`;
    array = true;
    entries = () => Array.from(bytes, formatPrimitive);
  } else {
    keys = ownKeys(value, false);
    if (typeof value === "function") {
      base = functionBase(value as (...args: never[]) => unknown, constructor);
      if (keys.length === 0) return base;
    } else if (value instanceof RegExp) {
      base = RegExp.prototype.toString.call(value);
      if (keys.length === 0) return base;
    } else if (value instanceof Date) {
      base = Number.isNaN(value.getTime()) ? "Invalid Date" : value.toISOString();
      if (keys.length === 0) return base;
    } else if (value instanceof Error) {
      base = typeof value.stack === "string" && value.stack ? value.stack : `[${Error.prototype.toString.call(value)}]`;
      if (keys.length === 0) return base;
    } else if (value instanceof WeakMap || value instanceof WeakSet) {
      const prefix = prefixOf(constructor, t, value instanceof WeakMap ? "WeakMap" : "WeakSet");
      return recurseTimes > ctx.depth ? `[${prefix.slice(0, -1)}]` : `${prefix}{ <items unknown> }`;
    } else if (isBoxed(value)) {
      const primitive = value.valueOf();
      const type = typeof primitive === "bigint" ? "BigInt" : constructor ?? "Object";
      base = `[${type}: ${formatPrimitive(primitive)}]`;
      if (typeof primitive === "string") keys = keys.filter((k) => typeof k !== "string" || !isIndex(k));
      if (keys.length === 0) return base;
    } else {
      const prefix = constructor === "Object" && t === "" ? "" : prefixOf(constructor, t, "Object");
      braces = [`${prefix}{`, "}"];
      if (keys.length === 0) return `${braces[0]}}`;
    }
  }
  if (recurseTimes > ctx.depth) {
    const name = prefixOf(constructor, t, "Object").slice(0, -1);
    return constructor !== null ? `[${name}]` : name;
  }
  ctx.seen.push(value);
  const output = entries(ctx, recurseTimes + 1);
  for (const key of keys) output.push(formatProperty(ctx, value, recurseTimes + 1, key, false));
  ctx.seen.pop();
  return reduceToSingleString(ctx.indentationLvl, output, base, braces, array, value);
}

function isBoxed(value: object): value is { valueOf(): unknown } {
  return value instanceof Number || value instanceof String || value instanceof Boolean ||
    (typeof BigInt === "function" && value instanceof Object &&
      Object.prototype.toString.call(value) === "[object BigInt]");
}

function formatProperty(ctx: Context, value: object, recurseTimes: number, key: string | symbol, inArray: boolean) {
  const desc = Object.getOwnPropertyDescriptor(value, key) ??
    { value: (value as Record<string | symbol, unknown>)[key], enumerable: true };
  let str: string;
  if (desc.value !== undefined) {
    ctx.indentationLvl += 2;
    str = formatValue(ctx, desc.value, recurseTimes);
    ctx.indentationLvl -= 2;
  } else if (desc.get !== undefined) {
    str = desc.set !== undefined ? "[Getter/Setter]" : "[Getter]";
  } else {
    str = desc.set !== undefined ? "[Setter]" : "undefined";
  }
  if (inArray) return str;
  let name: string;
  if (typeof key === "symbol") name = key.toString();
  else if (key === "__proto__") name = "['__proto__']";
  else if (desc.enumerable === false) name = `[${key}]`;
  else if (/^[a-zA-Z_][a-zA-Z_0-9]*$/.test(key)) name = key;
  else name = quote(key);
  return `${name}: ${str}`;
}

function formatArray(ctx: Context, value: unknown[], recurseTimes: number): string[] {
  const output: string[] = [];
  let i = 0;
  while (i < value.length && output.length < MAX_ARRAY_LENGTH) {
    if (!Object.prototype.hasOwnProperty.call(value, i)) {
      let holes = 0;
      while (i < value.length && !Object.prototype.hasOwnProperty.call(value, i)) {
        holes++;
        i++;
      }
      output.push(`<${holes} empty item${holes > 1 ? "s" : ""}>`);
      continue;
    }
    output.push(formatProperty(ctx, value, recurseTimes, String(i), true));
    i++;
  }
  const remaining = value.length - i;
  if (remaining > 0) output.push(`... ${remaining} more item${remaining > 1 ? "s" : ""}`);
  return output;
}

function formatCollection(ctx: Context, value: Set<unknown> | Map<unknown, unknown>, recurseTimes: number): string[] {
  const output: string[] = [];
  ctx.indentationLvl += 2;
  if (value instanceof Set) {
    for (const v of value) output.push(formatValue(ctx, v, recurseTimes));
  } else {
    for (const [k, v] of value) {
      output.push(`${formatValue(ctx, k, recurseTimes)} => ${formatValue(ctx, v, recurseTimes)}`);
    }
  }
  ctx.indentationLvl -= 2;
  return output;
}

/** Node's `determineSpecificType`: the "Received …" part of ERR_INVALID_ARG_TYPE. */
export function describeReceived(value: unknown): string {
  if (value === null) return "null";
  if (value === undefined) return "undefined";
  switch (typeof value) {
    case "bigint":
      return `type bigint (${value}n)`;
    case "number":
      return `type number (${formatPrimitive(value)})`;
    case "boolean":
      return `type boolean (${value})`;
    case "symbol":
      return `type symbol (${String(value)})`;
    case "function":
      return `function ${value.name}`;
    case "object": {
      const ctor = (value as object).constructor;
      if (ctor && "name" in ctor) return `an instance of ${ctor.name}`;
      return inspect(value, -1);
    }
    case "string": {
      const s = value.length > 28 ? `${value.slice(0, 25)}...` : value;
      return s.includes("'") ? `type string (${JSON.stringify(s)})` : `type string ('${s}')`;
    }
  }
  return String(value);
}
