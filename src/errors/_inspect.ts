// A small stand-in for util.inspect, enough to render values inside Node's error
// messages the way Node does (the core may not import node:util).

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

/** Render a value as `util.inspect` would for error messages. */
export function inspect(value: unknown): string {
  switch (typeof value) {
    case "string":
      return quote(value);
    case "number":
      return Object.is(value, -0) ? "-0" : String(value);
    case "bigint":
      return `${value}n`;
    case "symbol":
      return value.toString();
    case "function":
      return value.name ? `[Function: ${value.name}]` : "[Function (anonymous)]";
    case "undefined":
      return "undefined";
    case "boolean":
      return String(value);
  }
  if (value === null) return "null";
  if (Array.isArray(value)) return `[ ${value.map(inspect).join(", ")} ]`.replace("[  ]", "[]");
  const keys = Object.keys(value as object);
  const name = (value as object).constructor?.name;
  const prefix = name && name !== "Object" ? `${name} ` : "";
  if (keys.length === 0) return `${prefix}{}`;
  const body = keys.map((k) =>
    `${/^[A-Za-z_$][\w$]*$/.test(k) ? k : `'${k}'`}: ${inspectShallow((value as Record<string, unknown>)[k])}`
  );
  return `${prefix}{ ${body.join(", ")} }`;
}

function inspectShallow(value: unknown): string {
  if (value !== null && typeof value === "object") return Array.isArray(value) ? "[Array]" : "[Object]";
  return inspect(value);
}

/** Node's `determineSpecificType`: the "Received …" part of ERR_INVALID_ARG_TYPE. */
export function describeReceived(value: unknown): string {
  if (value === null) return "null";
  if (value === undefined) return "undefined";
  switch (typeof value) {
    case "bigint":
      return `type bigint (${value}n)`;
    case "number":
      return `type number (${inspect(value)})`;
    case "boolean":
      return `type boolean (${value})`;
    case "symbol":
      return `type symbol (${String(value)})`;
    case "function":
      return `function ${value.name}`;
    case "object": {
      const ctor = (value as object).constructor;
      if (ctor && "name" in ctor) return `an instance of ${ctor.name}`;
      return inspect(value);
    }
    case "string": {
      const s = value.length > 28 ? `${value.slice(0, 25)}...` : value;
      return s.includes("'") ? `type string (${JSON.stringify(s)})` : `type string ('${s}')`;
    }
  }
  return String(value);
}
