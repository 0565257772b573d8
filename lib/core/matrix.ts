/**
 * `Matrix`: a dense, row-major `[rows, cols]` block of float64 numbers.
 *
 * A batch is `[N, D]`: one row per example, one column per feature (the lecture
 * text writes the transpose, one column per example). A vector of per-feature
 * values such as γ or a bias is a `[1, D]` row.
 */
import { inspect } from "node:util";
import {
  assertFiniteNumber,
  assertFunction,
  assertIndices,
  assertMatrix,
  assertNumbers,
  assertSameShape,
  describeValue,
  InputError,
  formatShape,
  shown,
} from "./checks";
import { formatMatrix } from "./format";
import { kernels } from "./gemm";

export { formatMatrix };

/** A dense `[rows, cols]` matrix of float64 numbers, stored row after row in `data`. */
export class Matrix {
  /** The numbers, row after row: element (i, j) is `data[i * cols + j]`. */
  readonly data: Float64Array;

  constructor(
    readonly rows: number,
    readonly cols: number,
    data?: Float64Array,
  ) {
    if (!Number.isInteger(rows) || !Number.isInteger(cols) || rows < 0 || cols < 0) {
      throw new InputError(`Matrix: rows and cols must be whole numbers ≥ 0, got [${shown(rows)}, ${shown(cols)}].`);
    }
    if (data !== undefined && !(data instanceof Float64Array)) {
      throw new InputError(
        `Matrix: data must be a Float64Array, got ${describeValue(data)}; pass ` +
          `Float64Array.from(values), or use Matrix.from(rows) for nested arrays.`,
      );
    }
    if (data && data.length !== rows * cols) {
      throw new InputError(`Matrix: data holds ${data.length} numbers, but [${rows}, ${cols}] needs ${rows * cols}.`);
    }
    this.data = data ?? new Float64Array(rows * cols);
  }

  /**
   * Builds a matrix from nested arrays: `Matrix.from([[1, 2], [3, 4]])` is `[2, 2]`. Every entry
   * must be a number: nothing is converted (null is not 0, "a" is not NaN).
   */
  static from(rows: number[][]): Matrix {
    if (!Array.isArray(rows) || !rows.every((row) => Array.isArray(row) || ArrayBuffer.isView(row))) {
      const flat =
        Array.isArray(rows) && (rows as unknown[]).every((v) => typeof v === "number")
          ? ": for one row write Matrix.from([[1, 2, 3]]) or Matrix.row(values)"
          : "";
      throw new InputError(
        `Matrix.from rows: expected nested arrays, one array per row, ` +
          `e.g. [[1, 2], [3, 4]], got ${describeValue(rows)}${flat}.`,
      );
    }
    const cols = rows.length > 0 ? rows[0].length : 0;
    rows.forEach((row, i) => {
      if (row.length !== cols) {
        throw new InputError(
          `Matrix.from: row ${i} has ${row.length} numbers, row 0 has ${cols}; all rows must be equally long.`,
        );
      }
      assertNumbers(row, `Matrix.from row ${i}`);
    });
    const m = new Matrix(rows.length, cols);
    rows.forEach((row, i) => m.data.set(row, i * cols));
    return m;
  }

  /** A `[1, D]` row vector from D numbers (nothing is converted). */
  static row(values: ArrayLike<number>): Matrix {
    assertNumbers(values, "Matrix.row values");
    return new Matrix(1, values.length, Float64Array.from(values));
  }

  /** A `[rows, cols]` matrix of zeros. */
  static zeros(rows: number, cols: number): Matrix {
    return new Matrix(rows, cols);
  }

  /** A `[rows, cols]` matrix with every element equal to `value` (a number). */
  static full(rows: number, cols: number, value: number): Matrix {
    if (typeof value !== "number")
      throw new InputError(`Matrix.full value: expected a number, got ${describeValue(value)}.`);
    return new Matrix(rows, cols, new Float64Array(rows * cols).fill(value));
  }

  /** `[rows, cols]`. */
  get shape(): [number, number] {
    return [this.rows, this.cols];
  }

  /** rows · cols, the number of elements. */
  get size(): number {
    return this.data.length;
  }

  /** Element (i, j) = `data[i * cols + j]` (no bounds check). */
  get(i: number, j: number): number {
    return this.data[i * this.cols + j];
  }

  /** Sets element (i, j) (no bounds check). */
  set(i: number, j: number, value: number): void {
    this.data[i * this.cols + j] = value;
  }

  /** Row i as a `[1, D]` matrix (a copy); i a whole number in [0, rows). */
  rowAt(i: number): Matrix {
    assertIndices([i], this.rows, "Matrix.rowAt i");
    return new Matrix(1, this.cols, this.data.slice(i * this.cols, (i + 1) * this.cols));
  }

  /**
   * The rows listed in `indices`, in that order (a copy): picks a mini-batch. With `out`
   * ([indices.length, cols]) the rows are copied there instead of into a new matrix.
   * Each index must be a whole number in [0, rows) (checked before anything is copied).
   */
  selectRows(indices: ArrayLike<number>, out?: Matrix): Matrix {
    assertIndices(indices, this.rows, "Matrix.selectRows indices");
    if (out === undefined) out = new Matrix(indices.length, this.cols);
    assertMatrix(out, "Matrix.selectRows out");
    if (out.rows !== indices.length || out.cols !== this.cols) {
      throw new InputError(
        `Matrix.selectRows: out must be [${indices.length}, ${this.cols}], got ${formatShape(out)}.`,
      );
    }
    for (let r = 0; r < indices.length; r++) {
      const i = indices[r];
      out.data.set(this.data.subarray(i * this.cols, (i + 1) * this.cols), r * this.cols);
    }
    return out;
  }

  /** The rows as nested arrays: the inverse of `Matrix.from`. */
  toArray(): number[][] {
    const out: number[][] = [];
    for (let i = 0; i < this.rows; i++) out.push(Array.from(this.data.subarray(i * this.cols, (i + 1) * this.cols)));
    return out;
  }

  /** A copy with its own data. */
  clone(): Matrix {
    return new Matrix(this.rows, this.cols, this.data.slice());
  }

  /** The transpose, `[cols, rows]` (a copy; the multiplies below never need it). */
  transpose(): Matrix {
    const out = new Matrix(this.cols, this.rows);
    for (let i = 0; i < this.rows; i++)
      for (let j = 0; j < this.cols; j++) out.data[j * this.rows + i] = this.data[i * this.cols + j];
    return out;
  }

  /** Elementwise f(x) (a new matrix). */
  map(f: (value: number, i: number, j: number) => number): Matrix {
    assertFunction(f, "Matrix.map f");
    const out = new Matrix(this.rows, this.cols);
    for (let i = 0; i < this.rows; i++) {
      for (let j = 0; j < this.cols; j++) out.data[i * this.cols + j] = f(this.data[i * this.cols + j], i, j);
    }
    return out;
  }

  /** Elementwise f(a, b) of two same-shaped matrices (a new matrix). */
  zip(other: Matrix, f: (a: number, b: number) => number, where = "Matrix.zip"): Matrix {
    assertMatrix(other, `${where} other`);
    assertSameShape(this, other, where);
    const out = new Matrix(this.rows, this.cols);
    for (let i = 0; i < this.data.length; i++) out.data[i] = f(this.data[i], other.data[i]);
    return out;
  }

  /** Elementwise this + other (same shapes). */
  add(other: Matrix): Matrix {
    return this.zip(other, (a, b) => a + b, "Matrix.add");
  }

  /** Elementwise this − other (same shapes). */
  sub(other: Matrix): Matrix {
    return this.zip(other, (a, b) => a - b, "Matrix.sub");
  }

  /** Elementwise (Hadamard) product. */
  mul(other: Matrix): Matrix {
    return this.zip(other, (a, b) => a * b, "Matrix.mul");
  }

  /** factor · this. */
  scale(factor: number): Matrix {
    if (typeof factor !== "number") assertFiniteNumber(factor, "factor", "Matrix.scale");
    return this.map((v) => v * factor);
  }

  /** x + v for every row: broadcasts a `[1, D]` row over `[N, D]`. */
  addRow(v: Matrix): Matrix {
    checkRowVector(this, v, "Matrix.addRow");
    return this.map((x, _i, j) => x + v.data[j]);
  }

  /** x ⊙ v for every row: broadcasts a `[1, D]` row over `[N, D]`. */
  mulRow(v: Matrix): Matrix {
    checkRowVector(this, v, "Matrix.mulRow");
    return this.map((x, _i, j) => x * v.data[j]);
  }

  /** Σᵢ x[i][j]: the sum over the batch, `[1, D]`. */
  sumRows(): Matrix {
    const out = new Matrix(1, this.cols);
    for (let i = 0; i < this.rows; i++) for (let j = 0; j < this.cols; j++) out.data[j] += this.data[i * this.cols + j];
    return out;
  }

  /** (1/N) Σᵢ x[i][j]: the mean over the batch, `[1, D]`. */
  meanRows(): Matrix {
    return this.sumRows().scale(1 / this.rows);
  }

  /** Σⱼ x[i][j]: the sum over the features, `[N, 1]`. */
  sumCols(): Matrix {
    const out = new Matrix(this.rows, 1);
    for (let i = 0; i < this.rows; i++) for (let j = 0; j < this.cols; j++) out.data[i] += this.data[i * this.cols + j];
    return out;
  }

  /** (1/D) Σⱼ x[i][j]: the mean over the features, `[N, 1]`. */
  meanCols(): Matrix {
    return this.sumCols().scale(1 / this.cols);
  }

  /** Sum of all elements. */
  sum(): number {
    let s = 0;
    for (let i = 0; i < this.data.length; i++) s += this.data[i];
    return s;
  }

  /**
   * this · other: `[N, K] · [K, M] → [N, M]`. With `out`, writes the product there (no allocation);
   * with `out` and `accumulate`, adds it: out += this · other (e.g. a gradient: dW += xᵀ·dOut).
   */
  matmul(other: Matrix, out?: Matrix, accumulate = false): Matrix {
    return multiply(this, other, false, false, out, accumulate);
  }

  /** this · otherᵀ: `[N, K] · [M, K]ᵀ → [N, M]`, without building the transpose. `out`, `accumulate`: as `matmul`. */
  matmulTransposeB(other: Matrix, out?: Matrix, accumulate = false): Matrix {
    return multiply(this, other, false, true, out, accumulate);
  }

  /** thisᵀ · other: `[K, N]ᵀ · [K, M] → [N, M]`, without building the transpose. `out`, `accumulate`: as `matmul`. */
  matmulTransposeA(other: Matrix, out?: Matrix, accumulate = false): Matrix {
    return multiply(this, other, true, false, out, accumulate);
  }

  /** A short, readable print-out in notebooks and the REPL. */
  [inspect.custom](): string {
    return formatMatrix(this);
  }

  /** The same short table as the notebook print-out. */
  toString(): string {
    return formatMatrix(this);
  }
}

function checkRowVector(x: Matrix, v: Matrix, where: string): void {
  assertMatrix(v, `${where} v`);
  if (v.rows !== 1 || v.cols !== x.cols) {
    throw new InputError(`${where}: expected a row vector [1, ${x.cols}], got ${formatShape(v)}.`);
  }
}

/** op(a) · op(b) (added into `out` when `accumulate`) through the active kernel, with shape checks. */
function multiply(
  a: Matrix,
  b: Matrix,
  transposeA: boolean,
  transposeB: boolean,
  out?: Matrix,
  accumulate = false,
): Matrix {
  const name = `Matrix.matmul${transposeA ? "TransposeA" : transposeB ? "TransposeB" : ""}`;
  assertMatrix(b, `${name} other`);
  if (out !== undefined) assertMatrix(out, `${name} out`);
  const [m, k] = transposeA ? [a.cols, a.rows] : [a.rows, a.cols];
  const [kb, n] = transposeB ? [b.cols, b.rows] : [b.rows, b.cols];
  if (k !== kb) {
    throw new InputError(
      `${name}: inner sizes differ: ${formatShape(a)}${transposeA ? "ᵀ" : ""} ` +
        `· ${formatShape(b)}${transposeB ? "ᵀ" : ""} (${k} ≠ ${kb}).`,
    );
  }
  if (accumulate && !out) throw new InputError(`${name}: accumulate adds into out; pass the matrix to add to as out.`);
  const c = out ?? new Matrix(m, n);
  if (c.rows !== m || c.cols !== n) throw new InputError(`${name}: out must be [${m}, ${n}], got ${formatShape(c)}.`);
  if (sharesMemory(c.data, a.data) || sharesMemory(c.data, b.data)) {
    throw new InputError(
      `${name}: out shares memory with an operand; the product is written while ` +
        `the operands are read, so pass a separate out (e.g. a.matmul(b) then copy).`,
    );
  }
  kernels.gemm({ m, n, k, a: a.data, b: b.data, c: c.data, transposeA, transposeB, accumulate });
  return c;
}

/** True when two arrays overlap in memory (same buffer, intersecting byte ranges). */
function sharesMemory(x: Float64Array, y: Float64Array): boolean {
  return (
    x.buffer === y.buffer &&
    x.byteOffset < y.byteOffset + y.byteLength &&
    y.byteOffset < x.byteOffset + x.byteLength &&
    x.length > 0 &&
    y.length > 0
  );
}
