/**
 * Browser twin of the part of `node:util` the library and the kernel use: `inspect` (with
 * `inspect.custom`, the hook `Matrix` implements) and `format` (what `console.log` prints).
 * It follows Node's layout (v20, default options) for what notebooks print: numbers, strings,
 * arrays and typed arrays (long ones grouped in columns), plain objects, class instances, Map,
 * Set, errors; the unit tests compare it with Node's own `util.inspect`. Not covered: getters,
 * circular references' markers, long strings split over lines, colours.
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
  let rest: unknown[];
  let head: string;
  if (typeof args[0] === "string") {
    let index = 1;
    head = args[0].replace(/%([sdifjoOc%])/g, (match, code: string) => {
      if (code === "%") return "%";
      if (index >= args.length) return match;
      const value = args[index++];
      if (code === "s")
        return typeof value === "string"
          ? value
          : typeof value === "object" && value !== null
            ? inspect(value, { depth: 1 })
            : String(value);
      if (code === "d" || code === "i")
        return typeof value === "object" ? "NaN" : String(code === "i" ? Math.trunc(Number(value)) : Number(value));
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

/** What one `inspect` call tracks, as Node does: the nesting level last entered and the indentation. */
interface Context {
  depth: number;
  currentDepth: number;
  indentation: number;
  seen: Set<object>;
}

function formatValue(value: unknown, depth: number, level: number, seen: Set<object>): string {
  return formatAny(value, { depth, currentDepth: 0, indentation: 2 * level, seen }, level);
}

function formatAny(value: unknown, context: Context, level: number): string {
  if (typeof value === "string") return quote(value);
  if (typeof value === "number") return Object.is(value, -0) ? "-0" : String(value);
  if (typeof value === "bigint") return `${value}n`;
  if (value === undefined || value === null || typeof value === "boolean") return String(value);
  if (typeof value === "symbol") return value.toString();
  if (typeof value === "function") return formatFunction(value);
  const object = value as Record<string | symbol, unknown>;
  if (typeof object[custom] === "function")
    return String(
      (object[custom] as (d: number, o: object) => unknown)(context.depth - level, { depth: context.depth }),
    );
  if (context.seen.has(object)) return "[Circular *1]";
  if (value instanceof Error) return value.stack ?? `${value.name}: ${value.message}`;
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? "Invalid Date" : value.toISOString();
  if (value instanceof RegExp) return String(value);
  if (value instanceof Promise) return "Promise { <pending> }";
  context.seen.add(object);
  try {
    return formatObject(object, context, level);
  } finally {
    context.seen.delete(object);
  }
}

/** Braces with Node's prefixes (`Float64Array(3) [`, `Map(1) {`, `Matrix {`), the entries, and whether they are list items. */
function formatObject(object: Record<string | symbol, unknown>, context: Context, level: number): string {
  const name = constructorName(object);
  const isList = Array.isArray(object) || (ArrayBuffer.isView(object) && !(object instanceof DataView));
  const size = isList
    ? (object as unknown as ArrayLike<unknown>).length
    : object instanceof Map || object instanceof Set
      ? object.size
      : 0;
  const empty = size === 0 && Object.keys(object).length === 0; // shown as {} or [] at any depth, as Node does
  if (empty)
    return isList
      ? name === "Array"
        ? "[]"
        : `${name}(0) []`
      : object instanceof Map || object instanceof Set
        ? `${name}(0) {}`
        : name === "Object"
          ? "{}"
          : name === null
            ? "[Object: null prototype] {}"
            : `${name} {}`;
  if (level > context.depth)
    return isList && name === "Array" ? "[Array]" : name === "Object" ? "[Object]" : `[${name}]`;
  context.currentDepth = level;
  const inner = (v: unknown) => {
    context.indentation += 2;
    const text = formatAny(v, context, level + 1);
    context.indentation -= 2;
    return text;
  };
  if (isList) {
    const list = Array.from(object as unknown as ArrayLike<unknown>);
    const shown = list.slice(0, 100).map(inner);
    if (list.length > 100) shown.push(`... ${list.length - 100} more item${list.length - 100 > 1 ? "s" : ""}`);
    if (Array.isArray(object)) shown.push(...extraKeys(object, inner));
    const open = name === "Array" ? "[" : `${name}(${list.length}) [`;
    const rows = groupColumns(context, shown, list, list.length > 100);
    return combine(context, level, rows, open, "]", rows !== shown);
  }
  if (object instanceof Map)
    return combine(
      context,
      level,
      [...object].map(([k, v]) => `${inner(k)} => ${inner(v)}`),
      `Map(${object.size}) {`,
      "}",
    );
  if (object instanceof Set) return combine(context, level, [...object].map(inner), `Set(${object.size}) {`, "}");
  const open = name === "Object" ? "{" : name === null ? "[Object: null prototype] {" : `${name} {`;
  const entries = Object.keys(object).map((key) => `${formatKey(key)}: ${inner(object[key])}`);
  if (entries.length === 0) return name === "Object" ? "{}" : `${open}}`;
  return combine(context, level, entries, open, "}");
}

/** Non-index keys of an array (`[ 1, 2, extra: 3 ]`). */
function extraKeys(array: unknown[], inner: (v: unknown) => string): string[] {
  return Object.keys(array)
    .filter((k) => !/^\d+$/.test(k))
    .map((k) => `${formatKey(k)}: ${inner((array as unknown as Record<string, unknown>)[k])}`);
}

/**
 * Node's layout (breakLength 80, compact 3): on one line when nothing inside nests three levels
 * deeper, the entries were not grouped into columns and the line fits in 80 characters;
 * otherwise one entry (or one row of columns) per line, indented by two spaces per level.
 */
function combine(
  context: Context,
  level: number,
  entries: string[],
  open: string,
  close: string,
  grouped = false,
): string {
  if (entries.length === 0) return `${open}${close}`;
  if (!grouped && context.currentDepth - level < 3) {
    const start = entries.length + context.indentation + open.length + 10;
    const total = entries.reduce((sum, e) => sum + e.length, entries.length + start);
    const fits = start + 2 * entries.length <= 80 && total <= 80;
    if (fits && !entries.some((e) => e.includes("\n"))) return `${open} ${entries.join(", ")} ${close}`;
  }
  const indent = `\n${" ".repeat(context.indentation)}`;
  return `${open}${indent}  ${entries.join(`,${indent}  `)}${indent}${close}`;
}

/**
 * Node's grouping of more than 6 short list entries into aligned columns (numbers right-aligned):
 * about √(2.5·width·count)/width columns, at most 15, and as many as fit in 80 characters.
 * Returns the entries unchanged, or the rows (then `combine` puts one row per line).
 */
function groupColumns(context: Context, entries: string[], values: unknown[], hasMore: boolean): string[] {
  const count = hasMore ? entries.length - 1 : entries.length;
  if (entries.length <= 6 || (count !== values.length && !hasMore)) return entries;
  const lengths = entries.slice(0, count).map((e) => e.length);
  const widest = Math.max(...lengths);
  const total = lengths.reduce((sum, n) => sum + n + 2, 0);
  const cell = widest + 2; // an entry and ", "
  if (!(cell * 3 + context.indentation < 80 && (total / cell > 5 || widest <= 6))) return entries;
  const bias = Math.sqrt(cell - total / entries.length);
  const biased = Math.max(cell - 3 - bias, 1);
  const columns = Math.min(
    Math.round(Math.sqrt(2.5 * biased * count) / biased),
    Math.floor((80 - context.indentation) / cell),
    12,
    15,
  );
  if (columns <= 1) return entries;
  const widths = Array.from({ length: columns }, (_, c) => {
    let width = 0;
    for (let j = c; j < count; j += columns) width = Math.max(width, lengths[j]);
    return width + 2;
  });
  const numeric = values.slice(0, count).every((v) => typeof v === "number" || typeof v === "bigint");
  const rows: string[] = [];
  for (let i = 0; i < count; i += columns) {
    const end = Math.min(i + columns, count);
    let row = "";
    for (let j = i; j < end - 1; j++)
      row += numeric ? `${entries[j]}, `.padStart(widths[j - i]) : `${entries[j]}, `.padEnd(widths[j - i]);
    row += numeric ? entries[end - 1].padStart(widths[end - 1 - i] - 2) : entries[end - 1];
    rows.push(row);
  }
  if (hasMore) rows.push(entries[count]);
  return rows;
}

function constructorName(object: object): string | null {
  const proto = Object.getPrototypeOf(object) as { constructor?: { name?: unknown } } | null;
  if (proto === null) return null;
  const name = proto.constructor?.name;
  return typeof name === "string" && name !== "" ? name : "Object";
}

function formatFunction(fn: { name: string }): string {
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
