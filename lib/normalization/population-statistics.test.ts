import { test } from "node:test";
import assert from "node:assert/strict";
import { Matrix } from "../core/matrix";
import { makeRng } from "../core/random";
import { Linear } from "../layers/linear";
import { ReLU } from "../layers/activations";
import { Dropout } from "../layers/dropout";
import { Sequential } from "../layers/sequential";
import { batchNormForward } from "./batchnorm-functional";
import { BatchNorm1d } from "./batchnorm1d";
import { calibrateBatchNorm, calibrateBatchNormLayers, populationStatistics } from "./population-statistics";
import { assertClose, makeBatch } from "./golden-fixture";

test("pins Algorithm 2: E[x] = E_B[μ_B], Var[x] = m/(m − 1)·E_B[σ²_B]", () => {
  // batches [1, 3] and [2, 6]: μ_B = 2, 4 → E = 3; σ²_B = 1, 4 → E = 2.5, times m/(m − 1) = 2 → 5
  const { mean, variance, batchCount } = populationStatistics([Matrix.from([[1], [3]]), Matrix.from([[2], [6]])]);
  assert.deepEqual([mean.toArray(), variance.toArray(), batchCount], [[[3]], [[5]], 2]);
});

test("with equal batches it equals m/(m − 1)·E_B[σ²_B] computed with batchNormForward's variance", () => {
  const rng = makeRng(51);
  const batches = [0, 1, 2, 3].map(() => makeBatch(rng, 6, 3));
  const stats = batches.map((b) => batchNormForward(b, Matrix.full(1, 3, 1), Matrix.zeros(1, 3), 1e-5));
  const average = (ms: Matrix[]) => ms.reduce((a, b) => a.add(b)).scale(1 / ms.length);
  const { mean, variance } = populationStatistics(batches);
  assertClose(mean, average(stats.map((s) => s.mean)), "mean", 1e-14);
  assertClose(variance, average(stats.map((s) => s.variance)).scale(6 / 5), "variance", 1e-14);
});

test("on many batches it approaches the statistics of the distribution", () => {
  const rng = makeRng(52);
  const batches = Array.from({ length: 300 }, () =>
    new Matrix(16, 2).map((_, _i, j) => rng.normal(j === 0 ? 3 : -1, j === 0 ? 2 : 0.1)),
  );
  const { mean, variance } = populationStatistics(batches);
  assertClose(mean, Matrix.row([3, -1]), "mean", 0.03);
  assertClose(variance, Matrix.row([4, 0.01]), "variance", 0.05);
});

test("calibrateBatchNorm sets the running statistics that eval then uses", () => {
  const rng = makeRng(53);
  const layer = new BatchNorm1d(3);
  const batches = [0, 1, 2].map(() => makeBatch(rng, 5, 3));
  const { mean, variance } = calibrateBatchNorm(layer, batches);
  assert.deepEqual([layer.runningMean, layer.runningVar, layer.numBatchesTracked], [mean, variance, 3]);
  layer.eval();
  const x = makeBatch(rng, 2, 3);
  const expected = x.map((v, _i, j) => (v - mean.data[j]) / Math.sqrt(variance.data[j] + 1e-5));
  assertClose(layer.forward(x), expected, "eval out", 1e-12);
});

test("calibrateBatchNormLayers feeds each BatchNorm the input it sees in the training network", () => {
  const rng = makeRng(54);
  const [first, second] = [new Linear(3, 4, { rng, bias: false }), new Linear(4, 2, { rng, bias: false })];
  const [firstNorm, secondNorm] = [new BatchNorm1d(4), new BatchNorm1d(2)];
  firstNorm.gamma.value.data.set([0.5, 1.5, 2, 0.8]);
  firstNorm.beta.value.data.set([0.1, -0.4, 0.3, 1]);
  const dropout = new Dropout(0.5, { rng });
  const model = new Sequential([first, firstNorm, new ReLU(), dropout, second, secondNorm]);
  const xBatches = [0, 1, 2].map(() => makeBatch(rng, 8, 3));
  assert.deepEqual(calibrateBatchNormLayers(model, xBatches), [firstNorm, secondNorm]);
  // by hand: firstNorm sees x·W₁; secondNorm sees relu(firstNorm with batch statistics)·W₂ (dropout off)
  const inputs1 = xBatches.map((x) => first.forward(x));
  const inputs2 = inputs1.map((h) =>
    batchNormForward(h, firstNorm.gamma.value, firstNorm.beta.value, 1e-5)
      .out.map((v) => Math.max(v, 0))
      .matmul(second.weight.value),
  );
  const [expected1, expected2] = [populationStatistics(inputs1), populationStatistics(inputs2)];
  assertClose(firstNorm.runningMean, expected1.mean, "first BatchNorm mean", 1e-12);
  assertClose(firstNorm.runningVar, expected1.variance, "first BatchNorm variance", 1e-12);
  assertClose(secondNorm.runningMean, expected2.mean, "second BatchNorm mean", 1e-12);
  assertClose(secondNorm.runningVar, expected2.variance, "second BatchNorm variance", 1e-12);
  assert.deepEqual([firstNorm.training, dropout.training, secondNorm.training], [true, true, true]); // modes restored
});

test("calibrateBatchNormLayers opens nested Sequentials", () => {
  const rng = makeRng(55);
  const norm = new BatchNorm1d(2);
  const model = [new Sequential([new Linear(3, 2, { rng, bias: false }), new Sequential([norm, new ReLU()])])];
  const x = makeBatch(rng, 6, 3);
  assert.deepEqual(calibrateBatchNormLayers(model, [x]), [norm]);
  assert.equal(norm.numBatchesTracked, 1);
});

test("population statistics refuse empty input, single-example batches and mixed widths", () => {
  assert.throws(() => populationStatistics([]), /populationStatistics: got no batches/);
  assert.throws(() => populationStatistics([Matrix.from([[1, 2]])]), /batch 0 has 1 row; each batch needs m ≥ 2/);
  assert.throws(
    () => populationStatistics([Matrix.zeros(2, 2), Matrix.zeros(2, 3)]),
    /batch 1 has 3 features, the first batch had 2/,
  );
  assert.throws(
    () => calibrateBatchNorm(new BatchNorm1d(3), [Matrix.zeros(2, 2)]),
    /BatchNorm1d\(3\) has 3 features, the batches have 2/,
  );
  assert.throws(
    () => calibrateBatchNorm(new BatchNorm1d(2, { trackRunningStats: false }), [Matrix.zeros(2, 2)]),
    /^InputError: calibrateBatchNorm: BatchNorm1d\(2\) has trackRunningStats false/,
  );
  const untracked = new Sequential([
    new Linear(2, 2, { rng: makeRng(1), bias: false }),
    new BatchNorm1d(2, { trackRunningStats: false }),
  ]);
  assert.throws(
    () =>
      calibrateBatchNormLayers(untracked, [
        Matrix.from([
          [1, 2],
          [3, 5],
        ]),
      ]),
    /^InputError: calibrateBatchNormLayers: BatchNorm1d\(2\) has trackRunningStats false/,
  );
  assert.throws(() => calibrateBatchNormLayers([new ReLU()], [Matrix.zeros(2, 2)]), /no BatchNorm1d layer/);
});
