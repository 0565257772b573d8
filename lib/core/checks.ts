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

/** Formats a shape as `[rows, cols]`. */
export function formatShape(m: Shaped): string {
  return `[${m.rows}, ${m.cols}]`;
}

/**
 * Throws unless `m` has the expected shape. `null` in `expected` means "any size".
 * Example: `assertShape(x, [null, this.numFeatures], "BatchNorm1d.forward x", "features")`.
 */
export function assertShape(m: Shaped, expected: [number | null, number | null], where: string, hint = ""): void {
  const [rows, cols] = expected;
  if ((rows !== null && m.rows !== rows) || (cols !== null && m.cols !== cols)) {
    const want = `[${rows ?? "N"}, ${cols ?? "D"}]`;
    const extra = hint ? ` ${hint}` : "";
    throw new InputError(`${where}: expected shape ${want}, got ${formatShape(m)}.${extra}`);
  }
}

/** Throws unless `a` and `b` have the same shape. */
export function assertSameShape(a: Shaped, b: Shaped, where: string): void {
  if (a.rows !== b.rows || a.cols !== b.cols) {
    throw new InputError(`${where}: shapes must match, got ${formatShape(a)} and ${formatShape(b)}.`);
  }
}

/** Throws unless `value` is a whole number ≥ 1 (a size, a count). */
export function assertPositiveInteger(value: number, name: string, where: string): void {
  if (!Number.isInteger(value) || value < 1) {
    throw new InputError(`${where}: ${name} must be a whole number ≥ 1, got ${value}.`);
  }
}

/** Throws unless `value` is a finite number > 0 (a learning rate, an eps). */
export function assertPositive(value: number, name: string, where: string): void {
  if (!(Number.isFinite(value) && value > 0)) {
    throw new InputError(`${where}: ${name} must be a finite number > 0, got ${value}.`);
  }
}

/** Throws unless `value` is a finite number ≥ 0 (a weight decay, a noise scale, a standard deviation). */
export function assertNonNegative(value: number, name: string, where: string): void {
  if (!(Number.isFinite(value) && value >= 0)) {
    throw new InputError(`${where}: ${name} must be a finite number ≥ 0, got ${value}.`);
  }
}

/** Throws unless `low ≤ value ≤ high` (inclusive), e.g. a momentum in [0, 1]. */
export function assertInRange(value: number, low: number, high: number, name: string, where: string): void {
  if (!(Number.isFinite(value) && value >= low && value <= high)) {
    throw new InputError(`${where}: ${name} must lie in [${low}, ${high}], got ${value}.`);
  }
}

/** Throws unless the batch holds at least one example. */
export function assertNonEmpty(m: Shaped, where: string): void {
  if (m.rows === 0 || m.cols === 0) {
    throw new InputError(`${where}: got an empty batch ${formatShape(m)}; pass at least one example with at least one feature.`);
  }
}

/**
 * Throws unless `labels` holds N class indices, each a whole number in [0, C) (C classes,
 * the columns of logits [N, C]); the message names the first offender.
 */
export function assertLabels(labels: ArrayLike<number>, N: number, C: number, where: string): void {
  if (labels === null || labels === undefined || typeof labels.length !== "number") {
    throw new InputError(`${where}: expected an Int32Array or number[] of ${N} class indices, got ${String(labels)}.`);
  }
  if (labels.length !== N) {
    throw new InputError(`${where}: expected ${N} labels (one per row of logits [${N}, ${C}]), got ${labels.length}.`);
  }
  for (let i = 0; i < N; i++) {
    const y = labels[i];
    if (!Number.isInteger(y) || y < 0 || y >= C) {
      throw new InputError(`${where}: labels[${i}] = ${y}, but each label must be a whole number in [0, ${C}) for ${C} classes.`);
    }
  }
}

/** Throws at the first NaN or ±Infinity in `values`, naming its position. */
export function assertFinite(values: ArrayLike<number>, cols: number, where: string): void {
  for (let i = 0; i < values.length; i++) {
    if (!Number.isFinite(values[i])) {
      const row = Math.floor(i / cols);
      const col = i % cols;
      throw new InputError(`${where}: found ${values[i]} at row ${row}, column ${col}; clean or standardize the data first.`);
    }
  }
}

/** Throws with the standard message for `backward` called before `forward`. */
export function missingForward(where: string): never {
  throw new InputError(`${where}: backward called before forward; run forward on a batch first (the cache is empty).`);
}
