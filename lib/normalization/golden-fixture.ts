/**
 * Test helpers for lib/normalization: the PyTorch golden values and non-trivial random inputs.
 * Not exported from the library. (The finite-difference helpers `contract` and
 * `layerGradientErrors` are shared with the layer tests, in lib/layers/test-helpers.ts.) The golden values come from
 *   /usr/bin/python3 scripts/golden/make_golden.py      (PyTorch 1.13, float64)
 * which writes lib/normalization/golden.json; the tests read it, they never need PyTorch.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import assert from "node:assert/strict";
import { Matrix } from "../core/matrix";
import type { Rng } from "../core/random";

/** Every value in golden.json is a number, a matrix (nested rows) or a list of matrices. */
export type GoldenCase = Record<string, number | null | number[][] | number[][][]>;

/** Reads one case of lib/normalization/golden.json (tests run from dist/lib/normalization). */
export function loadGolden(name: string): GoldenCase {
  const path = join(__dirname, "..", "..", "..", "lib", "normalization", "golden.json");
  const all = JSON.parse(readFileSync(path, "utf8")) as Record<string, GoldenCase>;
  if (!(name in all)) throw new Error(`golden.json has no case "${name}"; rerun scripts/golden/make_golden.py.`);
  return all[name];
}

/** A number of a golden case (eps, momentum, numBatchesTracked), checked to be one. */
export function goldenNumber(golden: GoldenCase, key: string): number {
  const value = golden[key];
  if (typeof value !== "number")
    throw new Error(`golden.json: "${key}" is not a number; rerun scripts/golden/make_golden.py.`);
  return value;
}

/** A matrix of a golden case. */
export function goldenMatrix(golden: GoldenCase, key: string): Matrix {
  return Matrix.from(golden[key] as number[][]);
}

/** The list of matrices of a golden case (e.g. the training batches). */
export function goldenMatrices(golden: GoldenCase, key: string): Matrix[] {
  return (golden[key] as number[][][]).map((rows) => Matrix.from(rows));
}

/** What `assertGoldenPass` runs: a layer with learned γ and β (BatchNorm1d, BatchNorm2d, LayerNorm). */
interface AffineLayer {
  forward(x: Matrix): Matrix;
  backward(dOut: Matrix): Matrix;
  gamma: { grad: Matrix };
  beta: { grad: Matrix };
}

/**
 * One forward and one backward of `layer` on a golden case, compared with PyTorch's out, dX, dGamma and dBeta
 * (keys "x", "out", "dOut", "dX", "dGamma", "dBeta"; with `prefix` "eval": "evalX", "evalOut", …).
 * `dXAtol`: an absolute tolerance for dX, for entries that are a rounding error away from 0.
 */
export function assertGoldenPass(layer: AffineLayer, golden: GoldenCase, prefix: "" | "eval" = "", dXAtol = 0): void {
  const key = (name: string) => (prefix ? prefix + name[0].toUpperCase() + name.slice(1) : name);
  const label = (name: string) => (prefix ? `${prefix} ${name}` : name);
  const expected = (name: string) => goldenMatrix(golden, key(name));
  assertClose(layer.forward(expected("x")), expected("out"), label("out"));
  assertClose(layer.backward(expected("dOut")), expected("dX"), label("dX"), 1e-10, dXAtol);
  assertClose(layer.gamma.grad, expected("dGamma"), label("dGamma"));
  assertClose(layer.beta.grad, expected("dBeta"), label("dBeta"));
}

/** Asserts |actual − expected| ≤ atol + rtol·|expected| elementwise, naming the worst element. */
export function assertClose(actual: Matrix, expected: Matrix, label: string, rtol = 1e-10, atol = 0): void {
  assert.deepEqual(actual.shape, expected.shape, `${label}: shape`);
  let worst = -1;
  let worstExcess = 0;
  for (let i = 0; i < actual.data.length; i++) {
    const excess = Math.abs(actual.data[i] - expected.data[i]) - (atol + rtol * Math.abs(expected.data[i]));
    if (!(excess <= worstExcess)) [worst, worstExcess] = [i, excess];
  }
  if (worst >= 0) {
    assert.fail(
      `${label}: element ${worst} is ${actual.data[worst]}, ` +
        `expected ${expected.data[worst]} (rtol ${rtol}, atol ${atol})`,
    );
  }
}

/**
 * A non-trivial batch [N, D]: feature j has mean 2j − 3 and standard deviation 0.1·4^j,
 * so means are far from 0 and scales differ by orders of magnitude.
 */
export function makeBatch(rng: Rng, N: number, D: number): Matrix {
  return new Matrix(N, D).map((_, _i, j) => rng.normal(2 * j - 3, 0.1 * 4 ** j));
}

/** Random γ in [0.5, 2) and β ~ N(0, 1), both [1, D]. */
export function makeAffine(rng: Rng, D: number): { gamma: Matrix; beta: Matrix } {
  const gamma = new Matrix(1, D).map(() => rng.uniform(0.5, 2));
  const beta = new Matrix(1, D, rng.normalArray(D));
  return { gamma, beta };
}
