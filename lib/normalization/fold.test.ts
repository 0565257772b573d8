import { test } from "node:test";
import assert from "node:assert/strict";
import { Matrix } from "../core/matrix";
import { makeRng, type Rng } from "../core/random";
import { Linear } from "../layers/linear";
import { BatchNorm1d } from "./batchnorm1d";
import { foldBatchNorm, foldBatchNormParameters } from "./fold";
import { assertClose, makeBatch } from "./golden-fixture";

/** A trained-looking pair: random γ, β ≠ 0 and running statistics from a few training batches. */
function trainedPair(rng: Rng, bias: boolean): { linear: Linear; batchNorm: BatchNorm1d } {
  const linear = new Linear(4, 3, { rng, bias, init: "xavier" });
  if (linear.bias) linear.bias.value.data.set(rng.normalArray(3, 1, 2));
  const batchNorm = new BatchNorm1d(3);
  batchNorm.gamma.value.data.set([0.5, 1.8, 1.1]);
  batchNorm.beta.value.data.set([-0.7, 0.2, 1.5]);
  for (let step = 0; step < 5; step++) batchNorm.forward(linear.forward(makeBatch(rng, 8, 4)));
  batchNorm.eval();
  return { linear, batchNorm };
}

for (const bias of [true, false]) {
  test(`the folded Linear gives the eval outputs of Linear then BatchNorm (bias: ${bias})`, () => {
    const rng = makeRng(41);
    const { linear, batchNorm } = trainedPair(rng, bias);
    const folded = foldBatchNorm(linear, batchNorm);
    const x = makeBatch(rng, 6, 4);
    assertClose(folded.forward(x), batchNorm.forward(linear.forward(x)), "folded out", 1e-12, 1e-12);
    assert.equal(folded.hasBias, true);
    assert.deepEqual(folded.weight.value.shape, [4, 3]);
  });
}

test("folding pins W' = W·diag(γ/√(runningVar + ε)), b' = (b − runningMean)·γ/√(runningVar + ε) + β", () => {
  // s = γ/√(runningVar + ε) = [2/√(15 + 1), 1/√(3 + 1)] = [0.5, 0.5]
  const folded = foldBatchNormParameters(
    Matrix.from([
      [1, 2],
      [3, 4],
    ]), // W
    Matrix.row([10, 20]), // b
    Matrix.row([4, 5]), // runningMean
    Matrix.row([15, 3]), // runningVar
    Matrix.row([2, 1]), // γ
    Matrix.row([1, -1]), // β
    1, // ε
  );
  assert.deepEqual(folded.weight.toArray(), [
    [0.5, 1],
    [1.5, 2],
  ]);
  assert.deepEqual(folded.bias.toArray(), [[4, 6.5]]); // (10 − 4)·0.5 + 1, (20 − 5)·0.5 − 1
});

test("folding leaves the original layers unchanged and refuses what cannot be folded", () => {
  const rng = makeRng(42);
  const { linear, batchNorm } = trainedPair(rng, true);
  const weight = linear.weight.value.clone();
  foldBatchNorm(linear, batchNorm);
  assert.deepEqual(linear.weight.value, weight);
  assert.throws(
    () => foldBatchNorm(linear, new BatchNorm1d(5)),
    /foldBatchNorm\(Linear\(4→3\), BatchNorm1d\(5\)\): the BatchNorm must normalize the Linear's 3 outputs, but has 5/,
  );
  assert.throws(
    () => foldBatchNorm(linear, new BatchNorm1d(3, { trackRunningStats: false })),
    /no running statistics \(trackRunningStats: false\)/,
  );
  const [row, wrong] = [Matrix.row([1, 1]), Matrix.row([1, 1, 1])];
  const W = Matrix.zeros(3, 2);
  assert.throws(
    () => foldBatchNormParameters(W, row, row, wrong, row, row, 1e-5),
    /^InputError: foldBatchNormParameters runningVar: expected shape \[1, 2\], got \[1, 3\]/,
  );
  assert.throws(
    () => foldBatchNormParameters(W, wrong, row, row, row, row, 1e-5),
    /foldBatchNormParameters bias: expected shape \[1, 2\]/,
  );
  assert.throws(
    () => foldBatchNormParameters(W, row, row, row, row, row, 0),
    /foldBatchNormParameters: eps must be a finite number > 0, got 0/,
  );
});
