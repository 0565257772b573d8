/**
 * Printing a `Matrix`: a short table for notebooks and the REPL, never a wall of typed-array internals.
 */
import type { Shaped } from "./checks";

/** What `formatMatrix` reads: a shape and the element at row i, column j (a `Matrix`). */
export interface Readable extends Shaped {
  get(i: number, j: number): number;
}

/** Formats up to 8 rows × 8 columns with 4 significant digits, eliding the rest. */
export function formatMatrix(m: Readable, maxRows = 8, maxCols = 8): string {
  const fmt = (v: number) => (Number.isInteger(v) && Math.abs(v) < 1e6 ? String(v) : v.toPrecision(4));
  const pick = (count: number, max: number): (number | null)[] =>
    count <= max ? [...Array(count).keys()] : [...Array(max - 2).keys(), null, count - 1];
  const cols = pick(m.cols, maxCols);
  const lines = pick(m.rows, maxRows).map((i) =>
    i === null ? cols.map(() => "⋮") : cols.map((j) => (j === null ? "…" : fmt(m.get(i, j)))),
  );
  const widths = cols.map((_, c) => Math.max(...lines.map((line) => line[c].length)));
  const body = lines.map((line) => "  [" + line.map((s, c) => s.padStart(widths[c])).join("  ") + "]").join("\n");
  return `Matrix [${m.rows}, ${m.cols}]\n${body}`;
}
