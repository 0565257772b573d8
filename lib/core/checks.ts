/**
 * Friendly input checks shared by every layer, loss and optimizer.
 *
 * Every message is built here, from the caller's name (`where`, e.g.
 * "BatchNorm1d.forward x"), so that a message can never name the wrong layer.
 * Each says what was expected, what came, and what to do.
 */
/** An error raised by a bad input: its message names the layer, the value at fault and a fix. */
export class InputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "InputError";
  }
}

/** Anything with a shape, such as a `Matrix` (checks need only rows and cols, so they import nothing). */
export interface Shaped {
  readonly rows: number;
  readonly cols: number;
}

/** Throws the `assertMatrix` message unless `m` has whole-number rows and cols (a Matrix, or a bare shape). */
function assertShaped(m: Shaped, where: string): void {
  if (typeof m !== "object" || m === null || !Number.isInteger(m.rows) || !Number.isInteger(m.cols))
    assertMatrix(m, where);
}

/** Formats a shape as `[rows, cols]`. */
export function formatShape(m: Shaped): string {
  return `[${m.rows}, ${m.cols}]`;
}

/**
 * Throws unless `m` has the expected shape. `null` in `expected` means "any size".
 * Example: `assertShape(x, [null, this.numFeatures], "BatchNorm1d.forward x", "features")`.
 */
export function assertShape(m: Shaped, expected: [number | null, number | null], where: string, hint = ""): void {
  assertShaped(m, where);
  const [rows, cols] = expected;
  if ((rows !== null && m.rows !== rows) || (cols !== null && m.cols !== cols)) {
    const want = `[${rows ?? "N"}, ${cols ?? "D"}]`;
    const extra = hint ? ` ${hint}` : "";
    throw new InputError(`${where}: expected shape ${want}, got ${formatShape(m)}.${extra}`);
  }
}

/** Throws unless `a` and `b` have the same shape. */
export function assertSameShape(a: Shaped, b: Shaped, where: string): void {
  assertShaped(a, where);
  assertShaped(b, where);
  if (a.rows !== b.rows || a.cols !== b.cols) {
    throw new InputError(`${where}: shapes must match, got ${formatShape(a)} and ${formatShape(b)}.`);
  }
}

/** Throws unless `value` is a whole number ≥ 1 (a size, a count). */
export function assertPositiveInteger(value: number, name: string, where: string): void {
  if (!Number.isInteger(value) || value < 1) {
    throw new InputError(`${where}: ${name} must be a whole number ≥ 1, got ${shown(value)}.`);
  }
}

/** Throws unless `value` is a finite number > 0 (a learning rate, an eps). */
export function assertPositive(value: number, name: string, where: string): void {
  if (!(typeof value === "number" && Number.isFinite(value) && value > 0)) {
    throw new InputError(`${where}: ${name} must be a finite number > 0, got ${shown(value)}.`);
  }
}

/** Throws unless `value` is a finite number ≥ 0 (a weight decay, a noise scale, a standard deviation). */
export function assertNonNegative(value: number, name: string, where: string): void {
  if (!(typeof value === "number" && Number.isFinite(value) && value >= 0)) {
    throw new InputError(`${where}: ${name} must be a finite number ≥ 0, got ${shown(value)}.`);
  }
}

/** Throws unless `low ≤ value ≤ high` (inclusive), e.g. a momentum in [0, 1]. */
export function assertInRange(value: number, low: number, high: number, name: string, where: string): void {
  if (!(typeof value === "number" && Number.isFinite(value) && value >= low && value <= high)) {
    throw new InputError(`${where}: ${name} must lie in [${low}, ${high}], got ${shown(value)}.`);
  }
}

/** Throws unless the batch holds at least one example. */
export function assertNonEmpty(m: Shaped, where: string): void {
  assertShaped(m, where);
  if (m.rows === 0 || m.cols === 0) {
    throw new InputError(
      `${where}: got an empty batch ${formatShape(m)}; pass at least one example with at least one feature.`,
    );
  }
}

/**
 * Throws unless `labels` holds N class indices, each a whole number in [0, C) (C classes,
 * the columns of logits [N, C]); the message names the first offender.
 */
export function assertLabels(labels: ArrayLike<number>, N: number, C: number, where: string): void {
  if (!isNumberList(labels)) {
    throw new InputError(
      `${where}: expected an Int32Array or number[] of ${N} class indices, ` +
        `got ${describeValue(labels)}; build it with Int32Array.from(labels).`,
    );
  }
  if (labels.length !== N) {
    throw new InputError(`${where}: expected ${N} labels (one per row of logits [${N}, ${C}]), got ${labels.length}.`);
  }
  for (let i = 0; i < N; i++) {
    const y = labels[i];
    if (!Number.isInteger(y) || y < 0 || y >= C) {
      throw new InputError(
        `${where}: labels[${i}] = ${shown(y)}, but each label must be a whole number in [0, ${C}) for ${C} classes.`,
      );
    }
  }
}

/**
 * Throws at the first NaN or ±Infinity in `values` (row-major, `cols` per row), naming its row and column; `fix` says
 * what to do.
 */
export function assertFinite(
  values: ArrayLike<number>,
  cols: number,
  where: string,
  fix = "clean or standardize the data first",
): void {
  if (values instanceof Float64Array && allFinite(values)) return; // the common case, in one fast pass
  for (let i = 0; i < values.length; i++) {
    if (!Number.isFinite(values[i])) {
      const row = Math.floor(i / cols);
      const col = i % cols;
      throw new InputError(`${where}: found ${values[i]} at row ${row}, column ${col}; ${fix}.`);
    }
  }
}

/**
 * True when every number is finite: Σ vᵢ·0 is 0 exactly when no vᵢ is NaN or ±∞ (∞·0 and NaN·0 are NaN).
 * Four running sums, so the loop is not one long chain of dependent adds (about 2× a plain isFinite loop).
 */
function allFinite(values: Float64Array): boolean {
  let s0 = 0,
    s1 = 0,
    s2 = 0,
    s3 = 0;
  const n = values.length - (values.length % 4);
  for (let i = 0; i < n; i += 4) {
    s0 += values[i] * 0;
    s1 += values[i + 1] * 0;
    s2 += values[i + 2] * 0;
    s3 += values[i + 3] * 0;
  }
  for (let i = n; i < values.length; i++) s0 += values[i] * 0;
  return s0 + s1 + s2 + s3 === 0;
}

/** Throws with the standard message for `backward` called before `forward`. */
export function missingForward(where: string): never {
  throw new InputError(`${where}: backward called before forward; run forward on a batch first (the cache is empty).`);
}

// ── Kinds of argument ─────────────────────────────────────────────────────────────────────────
// Each public function checks the kind of every argument once, at the boundary, with these
// helpers: the message names the function and the argument (`where`), says what came
// (`describeValue`) and what to pass instead.

/** A number as itself ("NaN", "-3"), anything else described ("the string \"3\""): for "got …" after a numeric rule. */
export function shown(value: unknown): string {
  return typeof value === "number" ? String(value) : describeValue(value);
}

/** A short, human description of any value, for "got …" in a message: "the number 42", "nested arrays (2 rows)". */
export function describeValue(value: unknown): string {
  if (value === null || value === undefined) return String(value);
  if (typeof value === "number") return `the number ${value}`;
  if (typeof value === "string")
    return `the string ${JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value)}`;
  if (typeof value === "function")
    return isClass(value)
      ? `the class ${value.name} itself, not an instance of it`
      : `a function ${value.name || "(anonymous)"}`;
  if (typeof value !== "object") return `${typeof value} ${(value as bigint | boolean | symbol).toString()}`;
  if (isMatrix(value)) return `a Matrix [${value.rows}, ${value.cols}]`;
  if (Array.isArray(value)) return describeArray(value);
  if (ArrayBuffer.isView(value))
    return (
      `a ${value.constructor.name} of ` +
      `${(value as unknown as ArrayLike<number>).length ?? value.byteLength} numbers`
    );
  if (typeof (value as { forward?: unknown }).forward === "function")
    return `the layer ${String((value as { name?: unknown }).name)}`;
  const name = value.constructor?.name;
  return name && name !== "Object" ? `a ${name}` : `an object with keys {${Object.keys(value).slice(0, 6).join(", ")}}`;
}

function describeArray(value: unknown[]): string {
  if (value.length === 0) return "an empty array";
  if (value.every(Array.isArray)) return `nested arrays (${value.length} rows)`;
  if (value.every((v) => typeof v === "number")) return `an array of ${value.length} numbers`;
  return `an array of ${value.length} items (the first is ${describeValue(value[0])})`;
}

/** True for a class (`class Linear {…}`), which must be called with `new`. */
function isClass(value: object): boolean {
  return /^class[\s{]/.test(Function.prototype.toString.call(value));
}

/** What `isMatrix` recognises: a `Matrix`'s shape, numbers and methods (described here, so checks imports nothing). */
export interface MatrixLike extends Shaped {
  readonly data: Float64Array;
  matmul(other: never, out?: never, accumulate?: boolean): unknown;
}

/**
 * True for a `Matrix`: consistent rows, cols and Float64Array data, with the Matrix methods. (Structural, so a second
 * copy of the library still counts.)
 */
export function isMatrix(value: unknown): value is MatrixLike {
  if (typeof value !== "object" || value === null) return false;
  const m = value as MatrixLike;
  return (
    m.data instanceof Float64Array &&
    Number.isInteger(m.rows) &&
    Number.isInteger(m.cols) &&
    m.data.length === m.rows * m.cols &&
    typeof m.matmul === "function"
  );
}

/**
 * Throws unless `dOut` is a Matrix of the forward output's shape (`output`, e.g. the cached x̂): the check each
 * functional backward pass makes on the gradient it is handed.
 */
export function assertGradientOf(dOut: unknown, output: Shaped, where: string): asserts dOut is MatrixLike {
  assertMatrix(dOut, where);
  assertShape(dOut, [output.rows, output.cols], where, "dOut must have the shape of the forward output.");
}

/** Throws unless `value` is a `Matrix`; the message says how to make one from what came. */
export function assertMatrix(value: unknown, where: string): asserts value is MatrixLike {
  if (isMatrix(value)) return;
  throw new InputError(`${where}: expected a Matrix, got ${describeValue(value)}; ${matrixFix(value)}.`);
}

function matrixFix(value: unknown): string {
  if (Array.isArray(value) && value.length > 0 && value.every(Array.isArray))
    return "convert nested arrays with Matrix.from(rows)";
  if (Array.isArray(value) || ArrayBuffer.isView(value))
    return "make one row with Matrix.row(values), or a [rows, cols] matrix with Matrix.from([[…], […]])";
  return "pass a Matrix, e.g. Matrix.from([[1, 2], [3, 4]]) or an output of a layer";
}

/** True for an Array or a typed array (not a string, not a Matrix). */
export function isNumberList(value: unknown): value is ArrayLike<number> {
  return Array.isArray(value) || (ArrayBuffer.isView(value) && !(value instanceof DataView));
}

/** Throws unless `value` is a finite number (not a string, not NaN or ±Infinity). */
export function assertFiniteNumber(value: unknown, name: string, where: string): asserts value is number {
  if (typeof value !== "number" || !Number.isFinite(value)) {
    throw new InputError(`${where}: ${name} must be a finite number, got ${describeValue(value)}.`);
  }
}

/** Throws unless every entry of `values` is a number (NaN allowed: it is a number the caller chose). */
export function assertNumbers(values: unknown, where: string): asserts values is ArrayLike<number> {
  if (!isNumberList(values))
    throw new InputError(`${where}: expected an array of numbers, got ${describeValue(values)}.`);
  for (let i = 0; i < values.length; i++) {
    if (typeof values[i] !== "number") {
      throw new InputError(
        `${where}: entry ${i} is ${describeValue(values[i])}, not a number; ` +
          `convert it first (Number(v)), nothing is converted silently.`,
      );
    }
  }
}

/**
 * Throws unless `indices` is an Int32Array or number[] of whole numbers in [0, n) (rows of
 * something with n rows); the message names the first offender. No allocation.
 */
export function assertIndices(indices: unknown, n: number, where: string): asserts indices is ArrayLike<number> {
  if (!isNumberList(indices))
    throw new InputError(`${where}: expected an Int32Array or number[] of row indices, got ${describeValue(indices)}.`);
  for (let r = 0; r < indices.length; r++) {
    const i = indices[r];
    if (!Number.isInteger(i) || i < 0 || i >= n) {
      throw new InputError(
        `${where}: index ${shown(i)} (position ${r}) is outside ` +
          `0…${n - 1}; each index must be a whole number in [0, ${n}).`,
      );
    }
  }
}

/** The generator methods every random draw in the kit uses. */
const RNG_METHODS = ["uniform", "normal", "int", "shuffle", "normalArray", "getState", "setState"] as const;

/** Throws unless `value` is a generator from `makeRng(seed)` (not a seed number, not an unseeded random function). */
export function assertRng(value: unknown, where: string): void {
  const ok =
    typeof value === "object" &&
    value !== null &&
    RNG_METHODS.every((m) => typeof (value as Record<string, unknown>)[m] === "function");
  if (ok) return;
  const seed = typeof value === "number" && Number.isFinite(value) ? value : 1337;
  throw new InputError(
    `${where}: expected a generator from makeRng(seed), got ${describeValue(value)}; pass makeRng(${seed}).`,
  );
}

/**
 * Throws unless `value` is a layer instance (with forward, backward, parameters), e.g. `new ReLU()` rather than `ReLU`.
 */
export function assertLayer(value: unknown, where: string): void {
  const ok =
    typeof value === "object" &&
    value !== null &&
    ["forward", "backward", "parameters"].every((m) => typeof (value as Record<string, unknown>)[m] === "function");
  if (ok) return;
  const fix =
    typeof value === "function"
      ? `create one: new ${value.name}(…)`
      : "pass a layer such as new Linear(2, 8, { rng }) or new ReLU()";
  throw new InputError(`${where}: expected a layer, got ${describeValue(value)}; ${fix}.`);
}

/** Throws unless `value` is a function (a callback, a loss). */
export function assertFunction(value: unknown, where: string): void {
  if (typeof value !== "function") throw new InputError(`${where}: expected a function, got ${describeValue(value)}.`);
}

/** Throws unless `value` is an options object (not a number, a generator passed alone, …); `example` shows one. */
export function assertOptions(value: unknown, where: string, example: string): void {
  if (typeof value === "object" && value !== null && !Array.isArray(value)) return;
  throw new InputError(`${where}: expected an options object such as ${example}, got ${describeValue(value)}.`);
}
