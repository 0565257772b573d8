import { test } from "node:test";
import assert from "node:assert/strict";
import { Matrix } from "../core/matrix";
import { makeRng } from "../core/random";
import { BatchNorm1d } from "./batchnorm1d";
import type { BatchNormOptions } from "./batchnorm-options";
import { layerGradientErrors } from "../layers/test-helpers";
import {
  assertClose,
  assertGoldenPass,
  goldenMatrices,
  goldenMatrix,
  goldenNumber,
  loadGolden,
  makeBatch,
  type GoldenCase,
} from "./golden-fixture";

function goldenLayer(g: GoldenCase, options: BatchNormOptions = {}): BatchNorm1d {
  const gamma = goldenMatrix(g, "gamma");
  const layer = new BatchNorm1d(gamma.cols, { eps: goldenNumber(g, "eps"), ...options });
  layer.gamma.value.data.set(gamma.data);
  layer.beta.value.data.set(goldenMatrix(g, "beta").data);
  return layer;
}

// Golden values: /usr/bin/python3 scripts/golden/make_golden.py  (PyTorch 1.13, float64) → golden.json
test("training forward and backward match torch.nn.BatchNorm1d", () => {
  const g = loadGolden("batchNormTraining");
  const layer = goldenLayer(g);
  assertGoldenPass(layer, g);
});

// Golden values: /usr/bin/python3 scripts/golden/make_golden.py  (3 training steps, then eval)
for (const [key, momentum] of [
  ["runningStatsMomentum", 0.1],
  ["runningStatsCumulative", null],
] as const) {
  test(`running statistics, eval output and eval backward match PyTorch (momentum ${momentum})`, () => {
    const g = loadGolden(key);
    const layer = goldenLayer(g, { momentum });
    for (const batch of goldenMatrices(g, "batches")) layer.forward(batch);
    assertClose(layer.runningMean, goldenMatrix(g, "runningMean"), "runningMean");
    assertClose(layer.runningVar, goldenMatrix(g, "runningVar"), "runningVar");
    assert.equal(layer.numBatchesTracked, goldenNumber(g, "numBatchesTracked"));
    layer.eval();
    assertGoldenPass(layer, g, "eval");
  });
}

// Golden values: /usr/bin/python3 scripts/golden/make_golden.py  (track_running_stats=False)
test("without running statistics, eval normalizes with the batch statistics (as PyTorch)", () => {
  const g = loadGolden("noRunningStats");
  const layer = goldenLayer(g, { trackRunningStats: false });
  layer.eval();
  assertClose(layer.forward(goldenMatrix(g, "x")), goldenMatrix(g, "evalOut"), "eval out");
  assert.equal(layer.numBatchesTracked, 0);
});

// Golden values: /usr/bin/python3 scripts/golden/make_golden.py  (cs231n's update written with torch ops)
test('the "cs231n" convention reproduces cs231n\'s running averages (momentum 0.9 on the old value)', () => {
  const g = loadGolden("cs231nRunningStats");
  const layer = new BatchNorm1d(4, { convention: "cs231n" });
  assert.equal(layer.momentum, 0.9);
  for (const batch of goldenMatrices(g, "batches")) layer.forward(batch);
  assertClose(layer.runningMean, goldenMatrix(g, "runningMean"), "runningMean");
  assertClose(layer.runningVar, goldenMatrix(g, "runningVar"), "runningVar");
});

test("one step by hand: PyTorch, cs231n and Karpathy's unbiased variant", () => {
  const x = Matrix.from([[1], [3]]); // μ = 2, biased σ² = 1, unbiased 2
  const pytorch = new BatchNorm1d(1, { eps: 1e-12 });
  assertClose(pytorch.forward(x), Matrix.from([[-1], [1]]), "pytorch out", 1e-10);
  assertClose(pytorch.runningMean, Matrix.row([0.2]), "pytorch runningMean", 1e-15); // 0.9·0 + 0.1·2
  assertClose(pytorch.runningVar, Matrix.row([1.1]), "pytorch runningVar", 1e-15); // 0.9·1 + 0.1·2 (unbiased)
  const cs231n = new BatchNorm1d(1, { eps: 1e-12, convention: "cs231n" });
  assertClose(cs231n.forward(x), Matrix.from([[-1], [1]]), "cs231n out", 1e-10);
  assertClose(cs231n.runningMean, Matrix.row([0.2]), "cs231n runningMean", 1e-15); // 0.9·0 + 0.1·2
  assertClose(cs231n.runningVar, Matrix.row([0.1]), "cs231n runningVar", 1e-15); // 0.9·0 + 0.1·1 (biased)
  const karpathy = new BatchNorm1d(1, { eps: 1e-12, trainingVariance: "unbiased" });
  assertClose(karpathy.forward(x), Matrix.from([[-1], [1]]).scale(Math.SQRT1_2), "karpathy out", 1e-10); // (x − 2)/√2
  assertClose(karpathy.runningVar, Matrix.row([1.1]), "karpathy runningVar", 1e-15);
});

test("momentum null averages all batches equally (cumulative moving average)", () => {
  const rng = makeRng(21);
  const layer = new BatchNorm1d(3, { momentum: null });
  const batches = [4, 7, 5].map((N) => makeBatch(rng, N, 3));
  batches.forEach((b) => layer.forward(b));
  const unbiasedVariance = (b: Matrix) =>
    b
      .map((v, _i, j) => (v - b.meanRows().data[j]) ** 2)
      .sumRows()
      .scale(1 / (b.rows - 1));
  const average = (ms: Matrix[]) => ms.reduce((a, b) => a.add(b)).scale(1 / ms.length);
  assertClose(layer.runningMean, average(batches.map((b) => b.meanRows())), "runningMean", 1e-12);
  assertClose(layer.runningVar, average(batches.map(unbiasedVariance)), "runningVar", 1e-12);
});

for (const options of [{}, { trainingVariance: "unbiased" }, { convention: "cs231n" }] as BatchNormOptions[]) {
  test(`gradients agree with finite differences in training (${JSON.stringify(options)})`, () => {
    const rng = makeRng(22);
    const layer = new BatchNorm1d(4, options);
    layer.gamma.value.data.set([0.6, 1.7, 1.2, 0.9]);
    layer.beta.value.data.set([0.3, -1.1, 0.8, 2]);
    const errors = layerGradientErrors(layer, makeBatch(rng, 7, 4), new Matrix(7, 4, rng.normalArray(28)));
    assert.deepEqual(Object.keys(errors), ["x", "gamma", "beta"]);
    for (const [name, err] of Object.entries(errors)) assert.ok(err < 1e-7, `${name}: relError ${err}`);
  });
}

test("gradients agree with finite differences in eval mode", () => {
  const rng = makeRng(23);
  const layer = new BatchNorm1d(3);
  layer.gamma.value.data.set([0.6, 1.7, 1.2]);
  layer.beta.value.data.set([0.3, -1.1, 0.8]);
  for (let step = 0; step < 4; step++) layer.forward(makeBatch(rng, 6, 3));
  layer.eval();
  const errors = layerGradientErrors(layer, makeBatch(rng, 5, 3), new Matrix(5, 3, rng.normalArray(15)));
  assert.deepEqual(Object.keys(errors), ["x", "gamma", "beta"]);
  for (const [name, err] of Object.entries(errors)) assert.ok(err < 1e-7, `${name}: relError ${err}`);
});
