/**
 * Exercise checks for the notebooks: each one either returns a short success
 * message or throws an `ExerciseCheckError` saying what was expected, what came,
 * and a hint (a shape, a relative error, a sign, a missing factor).
 *
 * Pure functions, no tslab: a thrown error makes the notebook cell fail, which is
 * what the classroom runner and the student see.
 */
import type { Matrix } from "../core/matrix";
import { numericalGradient, relError } from "../gradcheck";
import { diagnoseShape, diagnoseValues } from "./diagnose";
import { expandPolynomial, formatPolynomial, isZeroPolynomial, type ExpressionNode } from "./polynomial";
import { formatNumber, positionText, previewText, shapeText, toGrid, type CheckValue, type Grid } from "./values";

/** A failed exercise check; the message is meant for the student. */
export class ExerciseCheckError extends Error {
  constructor(
    readonly checkName: string,
    detail: string,
    hint = "",
  ) {
    super(`✗ ${checkName}: ${detail}${hint ? `\n  Hint: ${hint}` : ""}`);
    this.name = "ExerciseCheckError";
  }
}

/** What a passing check returns: prints as its message in a notebook. */
export class CheckPassed {
  constructor(
    readonly checkName: string,
    readonly message: string,
  ) {}

  toString(): string {
    return this.message;
  }

  [Symbol.for("nodejs.util.inspect.custom")](): string {
    return this.message;
  }
}

/** Passes when `condition` is true; otherwise throws with `hint`. */
export function checkTrue(name: string, condition: boolean, hint = ""): CheckPassed {
  if (condition !== true)
    throw new ExerciseCheckError(name, `the condition is ${String(condition)}, expected true.`, hint);
  return new CheckPassed(name, `✓ ${name}`);
}

/** Passes when `actual` (a Matrix, a list, a number) has the shape `[rows, cols]`. */
export function checkShape(name: string, actual: CheckValue, expected: [number, number], hint = ""): CheckPassed {
  const grid = gridOrThrow(name, actual);
  const want: Grid = { rows: expected[0], cols: expected[1], data: new Float64Array(0) };
  if (grid.rows !== want.rows || grid.cols !== want.cols) {
    throw new ExerciseCheckError(
      name,
      `expected shape ${shapeText(want)}, got ${shapeText(grid)}.`,
      hint || diagnoseShape(grid, want),
    );
  }
  return new CheckPassed(name, `✓ ${name}: shape ${shapeText(grid)}`);
}

/** Options of `checkClose`: element k passes when |aₖ − eₖ| ≤ atol + tolerance·|eₖ|. */
export interface CheckCloseOptions {
  tolerance?: number;
  atol?: number;
  hint?: string;
}

/**
 * Passes when `actual` matches `expected` elementwise (PyTorch's allclose rule,
 * |a − e| ≤ atol + tolerance·|e|) and has the same shape.
 */
export function checkClose(
  name: string,
  actual: CheckValue,
  expected: CheckValue,
  options: CheckCloseOptions = {},
): CheckPassed {
  const { tolerance = 1e-6, atol = 1e-10, hint = "" } = options;
  const a = gridOrThrow(name, actual);
  const e = gridOrThrow(`${name} (expected value)`, expected);
  if (a.rows !== e.rows || a.cols !== e.cols) {
    throw new ExerciseCheckError(
      name,
      `expected shape ${shapeText(e)}, got ${shapeText(a)}.`,
      hint || diagnoseShape(a, e),
    );
  }
  const worst = worstElement(a, e, atol, tolerance);
  if (worst.index >= 0) {
    const k = worst.index;
    const where = a.data.length > 1 ? ` at ${positionText(a, k)}` : "";
    const detail =
      `expected ${formatNumber(e.data[k])}, got ${formatNumber(a.data[k])}${where}` +
      ` (relative error ${formatNumber(worst.relative)}, tolerance ${formatNumber(tolerance)}).` +
      (a.data.length > 1 ? `\n  Expected ${previewText(e)}\n  Got      ${previewText(a)}` : "");
    throw new ExerciseCheckError(name, detail, joinHints(diagnoseValues(a, e), hint));
  }
  return new CheckPassed(name, `✓ ${name}: matches (max relative error ${formatNumber(worst.maxRelative)})`);
}

/** The first element outside tolerance (index −1 if none) and the largest relative error seen. */
function worstElement(a: Grid, e: Grid, atol: number, tolerance: number) {
  let index = -1;
  let relative = 0;
  let maxRelative = 0;
  for (let k = 0; k < a.data.length; k++) {
    const diff = Math.abs(a.data[k] - e.data[k]);
    const rel = diff === 0 ? 0 : diff / Math.max(Math.abs(a.data[k]) + Math.abs(e.data[k]), 1e-300);
    if (!(rel <= maxRelative)) maxRelative = rel; // NaN propagates
    if (index < 0 && !(diff <= atol + tolerance * Math.abs(e.data[k]))) {
      index = k;
      relative = rel;
    }
  }
  return { index, relative, maxRelative };
}

/** Options of `checkGradient`. */
export interface CheckGradientOptions {
  /** The forward function out = f(x); it must read the `x` it is given. */
  f: (x: Matrix) => Matrix;
  /** The input at which to check (perturbed in place and restored). */
  x: Matrix;
  /** The upstream gradient: the checked loss is L(x) = Σ f(x) ⊙ dOut. */
  dOut: Matrix;
  h?: number;
  tolerance?: number;
  hint?: string;
}

/**
 * Passes when an analytic gradient `dX` agrees with centered finite differences of
 * L(x) = Σ f(x) ⊙ dOut: cs231n's relative error below `tolerance` (default 1e-6).
 */
export function checkGradient(name: string, dX: Matrix, options: CheckGradientOptions): CheckPassed {
  const { f, x, dOut, h = 1e-5, tolerance = 1e-6, hint = "" } = options;
  const analytic = gridOrThrow(name, dX);
  if (analytic.rows !== x.rows || analytic.cols !== x.cols) {
    throw new ExerciseCheckError(
      name,
      `a gradient has the shape of its input ${shapeText(x)}, got ${shapeText(analytic)}.`,
      hint,
    );
  }
  const numeric = numericalGradient(f, x, dOut, h);
  const err = relError(dX, numeric);
  if (!(err < tolerance)) {
    const detail =
      `relative error ${formatNumber(err)} between your gradient ` +
      `and finite differences (want < ${formatNumber(tolerance)}).` +
      `\n  Numerical ${previewText(numeric)}\n  Yours     ${previewText(analytic)}`;
    throw new ExerciseCheckError(name, detail, joinHints(diagnoseValues(analytic, numeric), hint));
  }
  return new CheckPassed(
    name,
    `✓ ${name}: gradient agrees with finite differences (relative error ${formatNumber(err)})`,
  );
}

/** Passes when `run()` throws (and, if given, its message contains `includes`). */
export function checkThrows(
  name: string,
  run: () => unknown,
  { includes = "", hint = "" }: { includes?: string; hint?: string } = {},
): CheckPassed {
  let message: string | null = null;
  try {
    run();
  } catch (error) {
    message = error instanceof Error ? error.message : String(error);
  }
  if (message === null)
    throw new ExerciseCheckError(name, "expected an error to be thrown, but the call returned normally.", hint);
  if (includes && !message.includes(includes)) {
    throw new ExerciseCheckError(
      name,
      `an error was thrown, but its message does not mention "${includes}": "${message}".`,
      hint,
    );
  }
  return new CheckPassed(name, `✓ ${name}: throws "${message.split("\n")[0]}"`);
}

/**
 * Passes when the expression (a mathjs node, e.g. `math.parse("a*b - b*a")`) is identically 0:
 * expanded exactly into monomials with rational coefficients, every coefficient is 0.
 * Replace functions (sqrt) by symbols first; divide only by single terms.
 */
export function checkIdenticallyZero(name: string, expression: ExpressionNode, hint = ""): CheckPassed {
  const poly = expandPolynomial(expression);
  if (!isZeroPolynomial(poly)) {
    throw new ExerciseCheckError(
      name,
      `the expression is not identically 0; expanded, it leaves ${formatPolynomial(poly)}.`,
      hint,
    );
  }
  return new CheckPassed(name, `✓ ${name}: identically 0 (expanded exactly into monomials)`);
}

function gridOrThrow(name: string, value: unknown): Grid {
  const grid = toGrid(value);
  if (typeof grid === "string")
    throw new ExerciseCheckError(name, `expected numbers, got ${grid}.`, "Did the cell above return its result?");
  return grid;
}

function joinHints(...hints: string[]): string {
  return hints.filter((h) => h !== "").join(" ");
}
