import { test } from "node:test";
import assert from "node:assert/strict";
import { Matrix } from "../core/matrix";
import { makeRng } from "../core/random";
import { BatchNorm1d } from "./batchnorm1d";
import { assertClose, makeBatch } from "./golden-fixture";

test("training normalizes each feature of the batch to mean 0, variance 1", () => {
  const rng = makeRng(31);
  const out = new BatchNorm1d(4, { eps: 1e-12 }).forward(makeBatch(rng, 64, 4));
  const mean = out.meanRows();
  assertClose(mean, Matrix.zeros(1, 4), "mean", 0, 1e-12);
  assertClose(out.map((v, _i, j) => (v - mean.data[j]) ** 2).meanRows(), Matrix.full(1, 4, 1), "variance", 1e-9);
});

test("eval uses the running statistics, even for a single example; train() switches back", () => {
  const layer = new BatchNorm1d(2, { eps: 1e-12 });
  layer.runningMean.data.set([1, -2]);
  layer.runningVar.data.set([4, 0.25]);
  layer.eval();
  assert.equal(layer.training, false);
  // (3 − 1)/2, (−1 + 2)/0.5
  assertClose(layer.forward(Matrix.from([[3, -1]])), Matrix.from([[1, 2]]), "eval out", 1e-10);
  layer.train();
  assertClose(
    layer.forward(
      Matrix.from([
        [3, -1],
        [5, 0],
      ]),
    ),
    Matrix.from([
      [-1, -1],
      [1, 1],
    ]),
    "train out",
    1e-10,
  );
});

test(
  "the layer computes the documented formulas: ε inside the " +
    "root, biased σ² in training, running statistics in eval",
  () => {
    // column [1, 2, 3, 6]: μ = 3, σ² = 3.5 (÷N), √(σ² + 0.5) = 2; γ = 2, β = 1 → out = x − 2.  ((x − μ)/(√σ² + ε) would
    // not give this.)
    const layer = new BatchNorm1d(1, { eps: 0.5 });
    layer.gamma.value.data.set([2]);
    layer.beta.value.data.set([1]);
    assertClose(
      layer.forward(Matrix.from([[1], [2], [3], [6]])),
      Matrix.from([[-1], [0], [1], [4]]),
      "train out",
      1e-15,
    );
    // runningMean = 0.1·3 = 0.3, runningVar = 0.9·1 + 0.1·(14/3) (÷(N − 1)) = 1.3666…;
    // eval: 2·(x − 0.3)/√(1.3666… + 0.5) + 1
    layer.eval();
    const runningVar = 0.9 + 0.1 * (14 / 3);
    const expected = Matrix.from([[0.3], [2]]).map((v) => (2 * (v - 0.3)) / Math.sqrt(runningVar + 0.5) + 1);
    assertClose(layer.forward(Matrix.from([[0.3], [2]])), expected, "eval out", 1e-15);
  },
);

test("eval leaves the running statistics alone; training steps move them", () => {
  const rng = makeRng(32);
  const layer = new BatchNorm1d(3);
  layer.forward(makeBatch(rng, 5, 3));
  const [mean, variance] = [layer.runningMean.clone(), layer.runningVar.clone()];
  layer.eval();
  layer.forward(makeBatch(rng, 5, 3));
  assert.deepEqual([layer.runningMean, layer.runningVar, layer.numBatchesTracked], [mean, variance, 1]);
  layer.train();
  layer.forward(makeBatch(rng, 5, 3));
  assert.notDeepEqual(layer.runningMean, mean);
  assert.equal(layer.numBatchesTracked, 2);
});

test("running statistics approach the population statistics after many batches", () => {
  const rng = makeRng(33);
  const layer = new BatchNorm1d(2, { momentum: 0.05 });
  for (let step = 0; step < 400; step++)
    layer.forward(new Matrix(32, 2).map((_, _i, j) => rng.normal(j === 0 ? 5 : -1, j === 0 ? 2 : 0.5)));
  assertClose(layer.runningMean, Matrix.row([5, -1]), "runningMean", 0.05);
  assertClose(layer.runningVar, Matrix.row([4, 0.25]), "runningVar", 0.15);
});

test("parameters are gamma (ones) and beta (zeros); the buffers are kept apart", () => {
  const layer = new BatchNorm1d(3);
  assert.deepEqual(
    layer.parameters().map((p) => [p.name, p.value.toArray()]),
    [
      ["gamma", [[1, 1, 1]]],
      ["beta", [[0, 0, 0]]],
    ],
  );
  assert.deepEqual(
    [layer.runningMean.toArray(), layer.runningVar.toArray(), layer.numBatchesTracked],
    [[[0, 0, 0]], [[1, 1, 1]], 0],
  );
  assert.deepEqual(new BatchNorm1d(3, { convention: "cs231n" }).runningVar.toArray(), [[0, 0, 0]]); // cs231n's np.zeros
  assert.equal(layer.name, "BatchNorm1d(3)");
});

test("gradients accumulate over backward calls until zeroGrad", () => {
  const rng = makeRng(34);
  const layer = new BatchNorm1d(2);
  const [x, dOut] = [makeBatch(rng, 4, 2), new Matrix(4, 2, rng.normalArray(8))];
  layer.forward(x);
  layer.backward(dOut);
  const once = layer.gamma.grad.clone();
  layer.backward(dOut);
  assertClose(layer.gamma.grad, once.scale(2), "twice", 1e-15);
  layer.zeroGrad();
  assert.deepEqual(layer.gamma.grad.toArray(), [[0, 0]]);
});

test("affine: false has no parameters and outputs the plain x̂", () => {
  const layer = new BatchNorm1d(1, { affine: false, eps: 1e-12 });
  assert.deepEqual(layer.parameters(), []);
  assertClose(layer.forward(Matrix.from([[2], [4]])), Matrix.from([[-1], [1]]), "out", 1e-10);
  layer.backward(Matrix.from([[1], [1]]));
  assert.deepEqual(layer.gamma.grad.toArray(), [[0]]);
});

test("resetRunningStats restarts the buffers", () => {
  const layer = new BatchNorm1d(2);
  layer.forward(
    Matrix.from([
      [1, 2],
      [3, 5],
    ]),
  );
  layer.resetRunningStats();
  assert.deepEqual(
    [layer.runningMean.toArray(), layer.runningVar.toArray(), layer.numBatchesTracked],
    [[[0, 0]], [[1, 1]], 0],
  );
});

test("a training batch of one example is refused, as PyTorch, with what to do", () => {
  const layer = new BatchNorm1d(3);
  assert.throws(
    () => layer.forward(Matrix.from([[1, 2, 3]])),
    new RegExp(
      /^InputError: BatchNorm1d\(3\)\.forward: expected more than 1 value per feature when training, /.source +
        /got input of shape \[1, 3\].*use a batch of at least 2 examples, or call eval\(\)/.source,
    ),
  );
  assert.equal(layer.numBatchesTracked, 0);
  const untracked = new BatchNorm1d(3, { trackRunningStats: false });
  untracked.eval();
  assert.throws(
    () => untracked.forward(Matrix.from([[1, 2, 3]])),
    /eval\(\) does not help: with trackRunningStats false/,
  );
});

test("bad inputs and options are refused with messages that name the layer", () => {
  const layer = new BatchNorm1d(3);
  assert.throws(() => layer.forward(Matrix.zeros(0, 3)), /BatchNorm1d\(3\)\.forward x: got an empty batch \[0, 3\]/);
  assert.throws(
    () => layer.forward(Matrix.zeros(4, 2)),
    /BatchNorm1d\(3\)\.forward x: expected shape \[N, 3\], got \[4, 2\]\. x needs one column per feature/,
  );
  assert.throws(
    () => new BatchNorm1d(3).backward(Matrix.zeros(2, 3)),
    /BatchNorm1d\(3\)\.backward: backward called before forward/,
  );
  layer.forward(
    Matrix.from([
      [1, 2, 3],
      [4, 5, 7],
    ]),
  );
  assert.throws(
    () => layer.backward(Matrix.zeros(3, 3)),
    /BatchNorm1d\(3\)\.backward dOut: expected shape \[2, 3\], got \[3, 3\]/,
  );
  assert.throws(() => new BatchNorm1d(3, { eps: 0 }), /BatchNorm1d\(3\): eps must be a finite number > 0, got 0/);
  assert.throws(() => new BatchNorm1d(3, { eps: -1e-5 }), /eps must be a finite number > 0/);
  assert.throws(
    () => new BatchNorm1d(3, { momentum: 1.5 }),
    /BatchNorm1d\(3\): momentum must lie in \[0, 1\], got 1.5/,
  );
  assert.throws(() => new BatchNorm1d(3, { momentum: -0.1 }), /momentum must lie in \[0, 1\]/);
  assert.throws(
    () => new BatchNorm1d(3, { convention: "cs231n", momentum: null }),
    /momentum null .* only in the "pytorch" convention/,
  );
  assert.throws(
    () => new BatchNorm1d(3, { convention: "keras" as "pytorch" }),
    /convention must be one of "pytorch", "cs231n", got "keras"/,
  );
  assert.throws(() => new BatchNorm1d(2.5), /BatchNorm1d: numFeatures must be a whole number ≥ 1, got 2.5/);
});
