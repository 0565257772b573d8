import { test } from "node:test";
import assert from "node:assert/strict";
import { Matrix } from "../core/matrix";
import { Workspace } from "../core/workspace";
import { makeRng } from "../core/random";
import { maxAbsDiff, numericalGradient, numericalGradientOf, relError } from "../gradcheck";
import {
  batchNormBackward,
  batchNormForward,
  batchNormInference,
  batchNormInferenceBackward,
} from "./batchnorm-functional";
import { batchNormBackwardStaged } from "./batchnorm-staged";
import { contract } from "../layers/test-helpers";
import { assertClose, goldenMatrix, goldenNumber, loadGolden, makeAffine, makeBatch } from "./golden-fixture";

// Golden values: /usr/bin/python3 scripts/golden/make_golden.py  (PyTorch 1.13, float64) → golden.json
//   batchNormTraining: torch.nn.BatchNorm1d in training;  batchNormUnbiased: autograd through x.var(0, unbiased=True)
for (const [key, unbiased] of [
  ["batchNormTraining", false],
  ["batchNormUnbiased", true],
] as const) {
  test(`forward and both backwards match PyTorch (${key})`, () => {
    const g = loadGolden(key);
    const { out, cache } = batchNormForward(
      goldenMatrix(g, "x"),
      goldenMatrix(g, "gamma"),
      goldenMatrix(g, "beta"),
      goldenNumber(g, "eps"),
      { unbiased },
    );
    assertClose(out, goldenMatrix(g, "out"), "out");
    for (const backward of [batchNormBackward, batchNormBackwardStaged]) {
      const { dX, dGamma, dBeta } = backward(goldenMatrix(g, "dOut"), cache);
      assertClose(dX, goldenMatrix(g, "dX"), `${backward.name} dX`);
      assertClose(dGamma, goldenMatrix(g, "dGamma"), `${backward.name} dGamma`);
      assertClose(dBeta, goldenMatrix(g, "dBeta"), `${backward.name} dBeta`);
    }
  });
}

for (const unbiased of [false, true]) {
  test(`dX, dGamma, dBeta agree with finite differences (unbiased: ${unbiased})`, () => {
    const rng = makeRng(7);
    const x = makeBatch(rng, 6, 4);
    const { gamma, beta } = makeAffine(rng, 4);
    const dOut = new Matrix(6, 4, rng.normalArray(24));
    const forward = () => batchNormForward(x, gamma, beta, 1e-5, { unbiased }).out;
    for (const backward of [batchNormBackward, batchNormBackwardStaged]) {
      const grads = backward(dOut, batchNormForward(x, gamma, beta, 1e-5, { unbiased }).cache);
      const dX = numericalGradient((v) => batchNormForward(v, gamma, beta, 1e-5, { unbiased }).out, x, dOut);
      const dGamma = numericalGradientOf(() => contract(forward(), dOut), gamma);
      const dBeta = numericalGradientOf(() => contract(forward(), dOut), beta);
      assert.ok(relError(grads.dX, dX) < 1e-7, `${backward.name} dX relError ${relError(grads.dX, dX)}`);
      assert.ok(
        relError(grads.dGamma, dGamma) < 1e-7,
        `${backward.name} dGamma relError ${relError(grads.dGamma, dGamma)}`,
      );
      assert.ok(relError(grads.dBeta, dBeta) < 1e-7, `${backward.name} dBeta relError ${relError(grads.dBeta, dBeta)}`);
    }
  });

  test(`the staged and compact backwards agree to 1e-12 (unbiased: ${unbiased})`, () => {
    const rng = makeRng(8);
    const x = makeBatch(rng, 10, 5);
    const { gamma, beta } = makeAffine(rng, 5);
    const dOut = new Matrix(10, 5, rng.normalArray(50, 0.3, 2));
    const { cache } = batchNormForward(x, gamma, beta, 1e-5, { unbiased });
    const staged = batchNormBackwardStaged(dOut, cache);
    const compact = batchNormBackward(dOut, cache);
    assertClose(compact.dX, staged.dX, "dX", 1e-12, 1e-12);
    assert.ok(maxAbsDiff(compact.dGamma, staged.dGamma) === 0 && maxAbsDiff(compact.dBeta, staged.dBeta) === 0);
  });
}

test("pins the documented formula out = γ·(x − μ)/√(σ² + ε) + β (ε inside the root, σ² ÷N)", () => {
  // column [1, 2, 3, 6]: μ = 3, σ² = (4 + 1 + 0 + 9)/4 = 3.5, √(σ² + 0.5) = 2; γ = 2, β = 1 → out = x − 2
  const { out, mean, variance } = batchNormForward(
    Matrix.from([[1], [2], [3], [6]]),
    Matrix.row([2]),
    Matrix.row([1]),
    0.5,
  );
  assert.deepEqual(mean.toArray(), [[3]]);
  assert.deepEqual(variance.toArray(), [[3.5]]);
  assert.deepEqual(out.toArray(), [[-1], [0], [1], [4]]);
  const unbiased = batchNormForward(Matrix.from([[1], [2], [3], [6]]), Matrix.row([1]), Matrix.row([0]), 1 / 3, {
    unbiased: true,
  });
  // ÷(N − 1) = 14/3, and √(14/3 + 1/3) = √5
  assertClose(unbiased.variance, Matrix.row([14 / 3]), "unbiased variance", 1e-15);
  assertClose(unbiased.out, Matrix.from([[-2], [-1], [0], [3]]).scale(1 / Math.sqrt(5)), "unbiased out", 1e-15);
});

test("normalizes each feature to mean 0, variance 1", () => {
  const rng = makeRng(9);
  const x = makeBatch(rng, 50, 4);
  const { out } = batchNormForward(x, Matrix.full(1, 4, 1), Matrix.zeros(1, 4), 1e-12);
  const mean = out.meanRows();
  const variance = out.map((v, _i, j) => (v - mean.data[j]) ** 2).meanRows();
  assertClose(mean, Matrix.zeros(1, 4), "mean", 0, 1e-12);
  assertClose(variance, Matrix.full(1, 4, 1), "variance", 1e-9);
});

test("γ = √(σ² + ε), β = μ undoes the normalization and recovers x", () => {
  const rng = makeRng(10);
  const x = makeBatch(rng, 8, 3);
  const first = batchNormForward(x, Matrix.full(1, 3, 1), Matrix.zeros(1, 3), 1e-5);
  const gamma = first.variance.map((v) => Math.sqrt(v + 1e-5));
  const { out } = batchNormForward(x, gamma, first.mean, 1e-5);
  assertClose(out, x, "out", 1e-12, 1e-12);
});

test("a batch of 2 normalizes to ±1 when ε is tiny", () => {
  const { out } = batchNormForward(
    Matrix.from([
      [5, -3],
      [7, 100],
    ]),
    Matrix.row([1, 1]),
    Matrix.row([0, 0]),
    1e-14,
  );
  assertClose(
    out,
    Matrix.from([
      [-1, -1],
      [1, 1],
    ]),
    "out",
    1e-12,
  );
});

test("inference uses the given statistics: (x − runningMean)/√(runningVar + ε)", () => {
  const x = Matrix.from([
    [1, 10],
    [3, -2],
  ]);
  const { out } = batchNormInference(
    x,
    Matrix.row([1, 4]),
    Matrix.row([3, 8]),
    Matrix.row([2, 1]),
    Matrix.row([1, -1]),
    1,
  );
  assertClose(
    out,
    Matrix.from([
      [1, 1],
      [3, -3],
    ]),
    "out",
    1e-15,
  ); // col 0: 2·(x − 1)/2 + 1; col 1: (x − 4)/3 − 1
});

test("inference backward agrees with finite differences", () => {
  const rng = makeRng(11);
  const x = makeBatch(rng, 5, 3);
  const { gamma, beta } = makeAffine(rng, 3);
  const runningMean = new Matrix(1, 3, rng.normalArray(3));
  const runningVar = new Matrix(1, 3).map(() => rng.uniform(0.5, 3));
  const dOut = new Matrix(5, 3, rng.normalArray(15));
  const forward = (v: Matrix) => batchNormInference(v, runningMean, runningVar, gamma, beta, 1e-5).out;
  const grads = batchNormInferenceBackward(
    dOut,
    batchNormInference(x, runningMean, runningVar, gamma, beta, 1e-5).cache,
  );
  assert.ok(relError(grads.dX, numericalGradient(forward, x, dOut)) < 1e-7);
  assert.ok(
    relError(
      grads.dGamma,
      numericalGradientOf(() => contract(forward(x), dOut), gamma),
    ) < 1e-7,
  );
  assert.ok(
    relError(
      grads.dBeta,
      numericalGradientOf(() => contract(forward(x), dOut), beta),
    ) < 1e-7,
  );
});

test("bad inputs are refused with a message that names the function and the fix", () => {
  const x = Matrix.zeros(3, 2);
  const [one, zero] = [Matrix.row([1, 1]), Matrix.row([0, 0])];
  assert.throws(
    () => batchNormForward(x, Matrix.row([1, 1, 1]), zero, 1e-5),
    /batchNormForward gamma: expected shape \[1, 2\], got \[1, 3\]/,
  );
  assert.throws(() => batchNormForward(x, one, zero, 0), /batchNormForward: eps must be a finite number > 0, got 0/);
  assert.throws(
    () => batchNormForward(Matrix.zeros(0, 2), one, zero, 1e-5),
    /batchNormForward x: got an empty batch \[0, 2\]/,
  );
  for (const unbiased of [false, true]) {
    assert.throws(
      () => batchNormForward(Matrix.zeros(1, 2), one, zero, 1e-5, { unbiased }),
      /batchNormForward: expected more than 1 value per feature when training, got input of shape \[1, 2\]/,
    );
  }
  const { cache } = batchNormForward(x, one, zero, 1e-5);
  assert.throws(
    () => batchNormBackward(Matrix.zeros(2, 2), cache),
    /batchNormBackward dOut: expected shape \[3, 2\], got \[2, 2\]/,
  );
  assert.throws(
    () => batchNormBackwardStaged(Matrix.zeros(3, 1), cache),
    /batchNormBackwardStaged dOut: expected shape \[3, 2\]/,
  );
  assert.throws(
    () => batchNormForward(x, one, Matrix.zeros(2, 2), 1e-5),
    /batchNormForward beta: expected shape \[1, 2\], got \[2, 2\]/,
  );
});

test("inference refuses running statistics, parameters and dOut of the wrong shape", () => {
  const x = Matrix.zeros(3, 2);
  const [one, zero, wrong] = [Matrix.row([1, 1]), Matrix.row([0, 0]), Matrix.row([1, 1, 1])];
  assert.throws(
    () => batchNormInference(x, wrong, one, one, zero, 1e-5),
    /^InputError: batchNormInference runningMean: expected shape \[1, 2\], got \[1, 3\]/,
  );
  assert.throws(
    () => batchNormInference(x, zero, wrong, one, zero, 1e-5),
    /batchNormInference runningVar: expected shape \[1, 2\], got \[1, 3\]/,
  );
  assert.throws(
    () => batchNormInference(x, zero, one, wrong, zero, 1e-5),
    /batchNormInference gamma: expected shape \[1, 2\]/,
  );
  assert.throws(
    () => batchNormInference(x, zero, one, one, zero, -1),
    /batchNormInference: eps must be a finite number > 0, got -1/,
  );
  const { cache } = batchNormInference(x, zero, one, one, zero, 1e-5);
  assert.throws(
    () => batchNormInferenceBackward(Matrix.zeros(3, 3), cache),
    /batchNormInferenceBackward dOut: expected shape \[3, 2\], got \[3, 3\]/,
  );
});

test("inference into a workspace gives the same x̂ and out bit for bit, in the same buffers call after call", () => {
  const rng = makeRng(12);
  const { gamma, beta } = makeAffine(rng, 4);
  const runningMean = new Matrix(1, 4, rng.normalArray(4));
  const runningVar = new Matrix(1, 4).map(() => rng.uniform(0.5, 3));
  const workspace = new Workspace();
  let first: Matrix | undefined;
  for (const rows of [7, 3, 7]) {
    const x = makeBatch(rng, rows, 4);
    const fresh = batchNormInference(x, runningMean, runningVar, gamma, beta, 1e-5);
    const kept = batchNormInference(x, runningMean, runningVar, gamma, beta, 1e-5, workspace);
    assert.deepEqual([...kept.out.data], [...fresh.out.data]);
    assert.deepEqual([...kept.cache.xHat.data], [...fresh.cache.xHat.data]);
    first ??= kept.out;
    assert.equal(kept.out.data.buffer, first.data.buffer, "out stays in the workspace's array");
  }
});
