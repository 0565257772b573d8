/**
 * `console.table` as Node 20 prints it: box-drawing borders, an "(index)" column, one column per
 * key in first-seen order (or "Values" for primitive rows), cells left-aligned and shown with
 * `inspect` (strings quoted). Only data (arrays and objects of rows) are supported, not the
 * `properties` filter argument.
 */
import { inspect } from "../twins/util";

export function formatTable(data: unknown): string {
  if (data === null || typeof data !== "object") return inspect(data);
  const rows = Object.entries(data as Record<string, unknown>);
  const keys: string[] = [];
  let hasValues = false;
  for (const [, row] of rows) {
    if (row !== null && typeof row === "object") {
      for (const key of Object.keys(row)) if (!keys.includes(key)) keys.push(key);
    } else {
      hasValues = true; // a primitive row: Node adds a "Values" column
    }
  }
  const header = ["(index)", ...keys, ...(hasValues ? ["Values"] : [])];
  const cell = (value: unknown) => (value === undefined ? "" : inspect(value, { depth: 0 }));
  const body = rows.map(([index, row]) => {
    const isObject = row !== null && typeof row === "object";
    const fields = keys.map((key) => (isObject && key in row ? cell((row as Record<string, unknown>)[key]) : ""));
    return [index, ...fields, ...(hasValues ? [isObject ? "" : cell(row)] : [])];
  });
  const widths = header.map((_, i) => Math.max(...[header, ...body].map((r) => [...r[i]].length)) + 2);
  const line = (left: string, middle: string, right: string) =>
    left + widths.map((w) => "─".repeat(w)).join(middle) + right;
  const row = (cells: string[]) =>
    `│${cells.map((c, i) => ` ${c}${" ".repeat(widths[i] - 1 - [...c].length)}`).join("│")}│`;
  return [line("┌", "┬", "┐"), row(header), line("├", "┼", "┤"), ...body.map(row), line("└", "┴", "┘")].join("\n");
}
