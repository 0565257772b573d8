/**
 * Gradient checking: compare a backward pass with finite differences.
 *
 * Centered difference for one number θ of the input:
 *   ∂L/∂θ ≈ (L(θ + h) − L(θ − h)) / (2h)           error O(h²)
 * For a layer out = f(x) we contract with an upstream gradient dOut, i.e. take
 * L(x) = Σ f(x) ⊙ dOut, so the numerical ∂L/∂x is exactly what backward(dOut) returns
 * (cs231n's `eval_numerical_gradient_array`).
 *
 * Three ways to compare an analytic gradient a with a numerical one n:
 *   relError   max_i |aᵢ − nᵢ| / max(|aᵢ| + |nᵢ|, 1e-8)      (cs231n)
 *   normRatio  ‖a − n‖₂ / (‖a‖₂ + ‖n‖₂)                       (deeplearning.ai)
 *   allclose   |aᵢ − nᵢ| ≤ atol + rtol·|nᵢ| for every i         (PyTorch), with maxAbsDiff
 * Rules of thumb for float64: ≈1e-7 or less is good, ≈1e-5 look closer, ≥1e-3 a bug.
 */
import {
  assertFunction,
  assertMatrix,
  assertPositive,
  assertSameShape,
  describeValue,
  InputError,
} from "./core/checks";
import { Matrix } from "./core/matrix";
import type { Parameter } from "./core/parameter";

/**
 * Numerical gradient of L(x) = Σ f(x) ⊙ dOut with respect to x: [N, D], by centered differences
 * (dOut has the shape of f(x)). f is called on a private copy of x, perturbed one element at a
 * time; `x` itself is never changed. So f must compute from the matrix it is given: a closure that
 * reads the outer x sees no change, gets a zero gradient and fails the check (the old cs231n
 * pitfall of a checker that mutated its input in place, hiding such closures).
 */
export function numericalGradient(f: (x: Matrix) => Matrix, x: Matrix, dOut: Matrix, h = 1e-5): Matrix {
  assertFunction(f, "numericalGradient f");
  assertMatrix(x, "numericalGradient x");
  assertMatrix(dOut, "numericalGradient dOut");
  checkStep(h, "numericalGradient");
  const probe = x.clone(); // the only matrix that varies
  const contracted = () => {
    const out = f(probe);
    assertMatrix(out, "numericalGradient f(x)");
    assertSameShape(out, dOut, "numericalGradient f(x) and dOut");
    let s = 0;
    for (let i = 0; i < out.data.length; i++) s += out.data[i] * dOut.data[i];
    return s;
  };
  return numericalGradientOf(contracted, probe, h);
}

/**
 * Numerical gradient of a scalar function `loss()` with respect to the numbers of `values`,
 * which `loss` must read (a parameter's value, an input batch). Centered differences; h is a
 * finite number > 0. Each number is put back after its two evaluations, even when `loss` throws.
 */
export function numericalGradientOf(loss: () => number, values: Matrix, h = 1e-5): Matrix {
  assertFunction(loss, "numericalGradientOf loss");
  assertMatrix(values, "numericalGradientOf values");
  checkStep(h, "numericalGradientOf");
  const grad = new Matrix(values.rows, values.cols);
  const data = values.data;
  for (let i = 0; i < data.length; i++) {
    const saved = data[i];
    try {
      data[i] = saved + h;
      const plus = loss();
      data[i] = saved - h;
      const minus = loss();
      grad.data[i] = (plus - minus) / (2 * h);
    } finally {
      data[i] = saved; // restored whatever happens: a throwing loss leaves no number shifted by h
    }
  }
  return grad;
}

/**
 * Throws unless h is a usable finite-difference step: a finite number > 0 (h = 0 divides by 0, NaN poisons every
 * entry).
 */
function checkStep(h: number, where: string): void {
  assertPositive(h, "the step h", where);
}

/** cs231n's relative error: max over elements of |a − b| / max(|a| + |b|, 1e-8). */
export function relError(a: Matrix, b: Matrix): number {
  assertSameShape(a, b, "relError");
  let worst = 0;
  for (let i = 0; i < a.data.length; i++) {
    const err = Math.abs(a.data[i] - b.data[i]) / Math.max(Math.abs(a.data[i]) + Math.abs(b.data[i]), 1e-8);
    if (!(err <= worst)) worst = err; // also lets NaN through, so a NaN gradient never passes
  }
  return worst;
}

/** deeplearning.ai's difference: ‖a − b‖₂ / (‖a‖₂ + ‖b‖₂); 0 when both are zero. */
export function normRatio(a: Matrix, b: Matrix): number {
  assertSameShape(a, b, "normRatio");
  let diff = 0;
  let normA = 0;
  let normB = 0;
  for (let i = 0; i < a.data.length; i++) {
    diff += (a.data[i] - b.data[i]) ** 2;
    normA += a.data[i] ** 2;
    normB += b.data[i] ** 2;
  }
  const denominator = Math.sqrt(normA) + Math.sqrt(normB);
  return denominator === 0 ? 0 : Math.sqrt(diff) / denominator;
}

/** max |a − b| over the elements (NaN if any element is NaN). */
export function maxAbsDiff(a: Matrix, b: Matrix): number {
  assertSameShape(a, b, "maxAbsDiff");
  let worst = 0;
  for (let i = 0; i < a.data.length; i++) {
    const d = Math.abs(a.data[i] - b.data[i]);
    if (!(d <= worst)) worst = d;
  }
  return worst;
}

/** PyTorch's `allclose`: |actual − expected| ≤ atol + rtol·|expected| for every element. */
export function allclose(
  actual: Matrix,
  expected: Matrix,
  { rtol = 1e-5, atol = 1e-8 }: { rtol?: number; atol?: number } = {},
): boolean {
  assertSameShape(actual, expected, "allclose");
  for (let i = 0; i < actual.data.length; i++) {
    if (!(Math.abs(actual.data[i] - expected.data[i]) <= atol + rtol * Math.abs(expected.data[i]))) return false;
  }
  return true;
}

/** One row of a gradient-check report. */
export interface GradcheckRow {
  name: string;
  shape: [number, number];
  relError: number;
  normRatio: number;
  maxAbsDiff: number;
  passed: boolean;
}

/** Options of `gradcheckParameters`. */
export interface GradcheckOptions {
  h?: number;
  tolerance?: number; // a row passes when relError < tolerance
}

/**
 * Checks every parameter of a model. `computeGradients()` must zero the gradients and run
 * forward and backward once; `computeLoss()` must run forward only and return the scalar loss.
 * Both must read the parameters' current values. Returns one report row per parameter.
 */
export function gradcheckParameters(
  parameters: Parameter[],
  computeLoss: () => number,
  computeGradients: () => void,
  options: GradcheckOptions = {},
): GradcheckRow[] {
  const { h = 1e-5, tolerance = 1e-7 } = checkGradcheckInputs(parameters, computeLoss, computeGradients, options);
  const gradsBefore = parameters.map((p) => p.grad.data.slice()); // put back if a check throws
  try {
    computeGradients();
    return compareParameters(parameters, computeLoss, h, tolerance);
  } catch (error) {
    parameters.forEach((p, k) => p.grad.data.set(gradsBefore[k]));
    throw error;
  }
}

function checkGradcheckInputs(
  parameters: Parameter[],
  computeLoss: unknown,
  computeGradients: unknown,
  options: GradcheckOptions,
): GradcheckOptions {
  if (!Array.isArray(parameters))
    throw new InputError(
      `gradcheckParameters parameters: expected an array of Parameter, ` +
        `got ${describeValue(parameters)}; pass model.parameters().`,
    );
  parameters.forEach((p, k) => {
    assertMatrix(p?.value, `gradcheckParameters parameters[${k}].value`);
    assertMatrix(p?.grad, `gradcheckParameters parameters[${k}].grad`);
  });
  assertFunction(computeLoss, "gradcheckParameters computeLoss");
  assertFunction(computeGradients, "gradcheckParameters computeGradients");
  const { h = 1e-5, tolerance = 1e-7 } = options ?? {};
  checkStep(h, "gradcheckParameters");
  assertPositive(tolerance, "tolerance", "gradcheckParameters");
  return { h, tolerance };
}

/** One report row per parameter: its grad (just computed) against centered differences of computeLoss. */
function compareParameters(
  parameters: Parameter[],
  computeLoss: () => number,
  h: number,
  tolerance: number,
): GradcheckRow[] {
  const analytic = parameters.map((p) => p.grad.clone());
  return parameters.map((p, k) => {
    const numeric = numericalGradientOf(computeLoss, p.value, h);
    const err = relError(analytic[k], numeric);
    return {
      name: p.name,
      shape: p.value.shape,
      relError: err,
      normRatio: normRatio(analytic[k], numeric),
      maxAbsDiff: maxAbsDiff(analytic[k], numeric),
      passed: err < tolerance,
    };
  });
}

/** Formats a report as a fixed-width text table. */
export function formatGradcheckReport(rows: GradcheckRow[]): string {
  const header = "parameter              shape        relError   normRatio  maxAbsDiff  ok";
  const lines = rows.map((r) =>
    [
      r.name.padEnd(22),
      `[${r.shape[0]}, ${r.shape[1]}]`.padEnd(12),
      r.relError.toExponential(2).padStart(9),
      r.normRatio.toExponential(2).padStart(10),
      r.maxAbsDiff.toExponential(2).padStart(11),
      r.passed ? " ✓" : " ✗",
    ].join(" "),
  );
  return [header, ...lines].join("\n");
}
