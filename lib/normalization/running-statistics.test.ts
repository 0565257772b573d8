import { test } from "node:test";
import assert from "node:assert/strict";
import { Matrix } from "../core/matrix";
import { runningAverage, runningAverageWeight, varianceForRunningAverage } from "./running-statistics";

test("runningAverage is (1 − w)·running + w·batch", () => {
  assert.deepEqual(runningAverage(Matrix.row([10, 0]), Matrix.row([20, 4]), 0.25).toArray(), [[12.5, 1]]);
});

test("the weight of the new batch under each convention, as in the table", () => {
  assert.equal(runningAverageWeight("pytorch", 0.1, 7), 0.1); // momentum weights the NEW batch
  assert.equal(runningAverageWeight("cs231n", 0.9, 7), 1 - 0.9); // momentum weights the OLD value
  assert.deepEqual(
    [1, 2, 4].map((n) => runningAverageWeight("pytorch", null, n)),
    [1, 0.5, 0.25],
  ); // cumulative: 1/numBatchesTracked
  assert.throws(() => runningAverageWeight("cs231n", null, 1), /only in the "pytorch" convention/);
});

test("PyTorch averages the unbiased variance, cs231n the one that normalized", () => {
  const biased = Matrix.row([2, 6]); // σ² = Σ(x − μ)²/N with N = 4
  assert.deepEqual(varianceForRunningAverage("pytorch", biased, 4, 4).toArray(), [[8 / 3, 8]]); // ·N/(N − 1)
  assert.deepEqual(varianceForRunningAverage("pytorch", Matrix.row([3]), 3, 4).toArray(), [[3]]); // already ÷(N − 1)
  assert.deepEqual(varianceForRunningAverage("cs231n", biased, 4, 4).toArray(), [[2, 6]]);
});

test("with out = running, the average updates in place (no new matrix); the variance goes into out", () => {
  const running = Matrix.row([10, 0]);
  assert.equal(runningAverage(running, Matrix.row([20, 4]), 0.25, running), running);
  assert.deepEqual(running.toArray(), [[12.5, 1]]);
  const out = Matrix.row([0, 0]);
  assert.equal(varianceForRunningAverage("pytorch", Matrix.row([2, 6]), 4, 4, out), out);
  assert.deepEqual(out.toArray(), [[8 / 3, 8]]);
  assert.throws(() => runningAverage(running, Matrix.row([1, 2, 3]), 0.5), /runningAverage/);
});
