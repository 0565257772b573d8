/**
 * Browser twin of the part of `node:util` the library and the kernel use: `inspect` (with
 * `inspect.custom`, the hook `Matrix` implements) and `format` (what `console.log` prints).
 * It follows Node's layout for what notebooks print (numbers, strings, arrays, typed arrays,
 * plain objects, class instances, Map, Set, errors) — one line when short (≤ 72 characters),
 * one entry per line otherwise — but not Node's column grouping of long numeric arrays.
 */

/** Node's symbol for a custom inspection (`Symbol.for("nodejs.util.inspect.custom")`). */
const custom: unique symbol = Symbol.for("nodejs.util.inspect.custom") as never;

/** Options of `inspect` (the subset used here). */
export interface InspectOptions {
  depth?: number;
}

/** A readable string of any value, like Node's `util.inspect`. */
export function inspect(value: unknown, options: InspectOptions = {}): string {
  return formatValue(value, options.depth ?? 2, 0, new Set());
}
inspect.custom = custom;

/** `util.format`: printf-like `%s %d %i %f %j %o %O %%` in a first string argument, then the rest inspected, joined by spaces. */
export function format(...args: unknown[]): string {
  let rest = args;
  let head = "";
  if (typeof args[0] === "string") {
    let index = 1;
    head = args[0].replace(/%([sdifjoOc%])/g, (match, code: string) => {
      if (code === "%") return "%";
      if (index >= args.length) return match;
      const value = args[index++];
      if (code === "s") return typeof value === "string" ? value : typeof value === "object" && value !== null ? inspect(value, { depth: 1 }) : String(value);
      if (code === "d" || code === "i") return typeof value === "object" ? "NaN" : String(code === "i" ? Math.trunc(Number(value)) : Number(value));
      if (code === "f") return String(Number.parseFloat(String(value)));
      if (code === "j") return JSON.stringify(value);
      if (code === "c") return "";
      return inspect(value, { depth: code === "O" ? 2 : 4 });
    });
    rest = args.slice(index);
  } else {
    head = args.length > 0 ? inspect(args[0]) : "";
    rest = args.slice(1);
  }
  return [head, ...rest.map((v) => (typeof v === "string" ? v : inspect(v)))].join(" ");
}

function formatValue(value: unknown, depth: number, level: number, seen: Set<object>): string {
  if (typeof value === "string") return quote(value);
  if (typeof value === "number") return Object.is(value, -0) ? "-0" : String(value);
  if (typeof value === "bigint") return `${value}n`;
  if (value === undefined || value === null || typeof value === "boolean") return String(value);
  if (typeof value === "symbol") return value.toString();
  if (typeof value === "function") return formatFunction(value);
  const object = value as Record<string | symbol, unknown>;
  if (typeof object[custom] === "function") return String((object[custom] as (d: number, o: object) => unknown)(depth - level, { depth }));
  if (seen.has(object)) return "[Circular *1]";
  if (value instanceof Error) return value.stack ?? `${value.name}: ${value.message}`;
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? "Invalid Date" : value.toISOString();
  if (value instanceof RegExp) return String(value);
  if (value instanceof Promise) return "Promise { <pending> }";
  seen.add(object);
  try {
    return formatObject(object, depth, level, seen);
  } finally {
    seen.delete(object);
  }
}

function formatObject(object: Record<string | symbol, unknown>, depth: number, level: number, seen: Set<object>): string {
  const name = constructorName(object);
  const inner = (v: unknown) => formatValue(v, depth, level + 1, seen);
  if (Array.isArray(object)) {
    if (level > depth) return "[Array]";
    return wrap(object.length === 0 ? [] : [...object.map(inner), ...extraKeys(object, inner)], "[", "]", level, name === "Array" ? "" : `${name}(${object.length}) `);
  }
  if (ArrayBuffer.isView(object) && !(object instanceof DataView)) {
    const list = Array.from(object as unknown as ArrayLike<number>);
    if (level > depth) return `[${name}]`;
    const shown = list.slice(0, 100).map(inner);
    if (list.length > 100) shown.push(`... ${list.length - 100} more item${list.length - 100 > 1 ? "s" : ""}`);
    return wrap(shown, "[", "]", level, `${name}(${list.length}) `);
  }
  if (object instanceof Map) {
    if (level > depth) return "[Map]";
    return wrap([...object].map(([k, v]) => `${inner(k)} => ${inner(v)}`), "{", "}", level, `Map(${object.size}) `);
  }
  if (object instanceof Set) {
    if (level > depth) return "[Set]";
    return wrap([...object].map(inner), "{", "}", level, `Set(${object.size}) `);
  }
  const prefix = name === "Object" ? "" : name === null ? "[Object: null prototype] " : `${name} `;
  if (level > depth) return name === "Object" ? "[Object]" : `[${name}]`;
  const entries = Object.keys(object).map((key) => `${formatKey(key)}: ${inner(object[key])}`);
  return wrap(entries, "{", "}", level, prefix);
}

/** Non-index keys of an array (`[ 1, 2, extra: 3 ]`). */
function extraKeys(array: unknown[], inner: (v: unknown) => string): string[] {
  return Object.keys(array).filter((k) => !/^\d+$/.test(k)).map((k) => `${formatKey(k)}: ${inner((array as unknown as Record<string, unknown>)[k])}`);
}

/** `{ a: 1, b: 2 }` on one line when it fits (and nothing inside breaks), else one entry per line. */
function wrap(entries: string[], open: string, close: string, level: number, prefix: string): string {
  if (entries.length === 0) return `${prefix}${open}${close}`;
  const oneLine = `${prefix}${open} ${entries.join(", ")} ${close}`;
  if (oneLine.length + 2 * level <= 72 && !entries.some((e) => e.includes("\n"))) return oneLine;
  const indent = "  ".repeat(level + 1);
  return `${prefix}${open}\n${entries.map((e) => indent + e.replace(/\n/g, `\n  `)).join(",\n")}\n${"  ".repeat(level)}${close}`;
}

function constructorName(object: object): string | null {
  const proto = Object.getPrototypeOf(object);
  if (proto === null) return null;
  const name = proto.constructor?.name;
  return typeof name === "string" && name !== "" ? name : "Object";
}

function formatFunction(fn: Function): string {
  const isClass = /^class\b/.test(Function.prototype.toString.call(fn));
  if (isClass) return `[class ${fn.name || "(anonymous)"}]`;
  return fn.name ? `[Function: ${fn.name}]` : "[Function (anonymous)]";
}

function formatKey(key: string): string {
  return /^[A-Za-z_$][\w$]*$/.test(key) ? key : quote(key);
}

/** Node quotes with ' unless the string contains one. */
function quote(text: string): string {
  const escaped = text.replace(/\\/g, "\\\\").replace(/\n/g, "\\n").replace(/\t/g, "\\t");
  if (!text.includes("'")) return `'${escaped}'`;
  if (!text.includes('"')) return `"${escaped}"`;
  return `\`${escaped.replace(/`/g, "\\`")}\``;
}

export default { inspect, format };
