/**
 * The values an exercise check compares: a number, a list of numbers, nested rows
 * or a `Matrix`, all seen as a `[rows, cols]` grid of float64 numbers.
 */
import { Matrix } from "../core/matrix";

/** Anything a check can compare with an expected value. */
export type CheckValue = number | ArrayLike<number> | readonly (readonly number[])[] | Matrix;

/** A value seen as a row-major grid (a number is `[1, 1]`, a list `[1, n]`). */
export interface Grid {
  rows: number;
  cols: number;
  data: Float64Array;
}

/** Turns any `CheckValue` into a `Grid`; returns a message instead when it cannot. */
export function toGrid(value: unknown): Grid | string {
  if (value instanceof Matrix) return { rows: value.rows, cols: value.cols, data: value.data };
  if (typeof value === "number") return { rows: 1, cols: 1, data: Float64Array.of(value) };
  if (Array.isArray(value) && value.length > 0 && value.every((row) => Array.isArray(row))) {
    const rows = value as number[][];
    const cols = rows[0].length;
    if (rows.some((row) => row.length !== cols)) return "rows of different lengths";
    return { rows: rows.length, cols, data: Float64Array.from(rows.flat()) };
  }
  if (isArrayLikeOfNumbers(value)) return { rows: 1, cols: value.length, data: Float64Array.from(value) };
  return `a value of type ${describeType(value)}, not a number, a list of numbers or a Matrix`;
}

function isArrayLikeOfNumbers(value: unknown): value is ArrayLike<number> {
  if (value === null || typeof value !== "object" || typeof (value as { length?: unknown }).length !== "number")
    return false;
  const list = value as ArrayLike<unknown>;
  for (let i = 0; i < list.length; i++) if (typeof list[i] !== "number") return false;
  return true;
}

/** "undefined", "string", "Promise", …: what came instead of numbers. */
export function describeType(value: unknown): string {
  if (value === null) return "null";
  if (typeof value !== "object") return typeof value;
  return value.constructor?.name ?? "object";
}

/** `[rows, cols]`. */
export function shapeText(grid: Grid): string {
  return `[${grid.rows}, ${grid.cols}]`;
}

/** A number in a message: 6 significant digits, no noise. */
export function formatNumber(v: number): string {
  if (!Number.isFinite(v)) return String(v);
  if (v === 0) return "0";
  const a = Math.abs(v);
  return a >= 1e-4 && a < 1e6 ? String(Number(v.toPrecision(6))) : v.toExponential(3);
}

/** Element k of a grid as "(i, j)" (or "[j]" for a single row). */
export function positionText(grid: Grid, k: number): string {
  const i = Math.floor(k / grid.cols);
  const j = k % grid.cols;
  return grid.rows === 1 ? `[${j}]` : `(${i}, ${j})`;
}

/** A short preview of the first few numbers, e.g. "[1, 2, 3, …]". */
export function previewText(grid: Grid, count = 4): string {
  const shown = Array.from(grid.data.subarray(0, count), formatNumber);
  return `[${shown.join(", ")}${grid.data.length > count ? ", …" : ""}]`;
}
