import { test } from "node:test";
import assert from "node:assert/strict";
import { Matrix } from "../core/matrix";
import { makeRng } from "../core/random";
import { softmaxCrossEntropy } from "../layers/losses";
import { mlp } from "../models/mlp";
import { SGD } from "../optim/sgd";
import { accuracy, evaluate, EVALUATE_REUSE_ROWS } from "./metrics";
import { trainStep } from "./step";
import { TinyLinear } from "./test-helpers";

test("accuracy counts rows whose largest logit is the label", () => {
  const logits = Matrix.from([
    [2, 1, 0], // → 0
    [0, 3, 1], // → 1
    [5, 5, 1], // tie → first, 0
    [0, 0, -1], // tie → first, 0
  ]);
  assert.equal(accuracy(logits, [0, 1, 1, 0]), 0.75);
  assert.equal(accuracy(logits, Int32Array.from([2, 2, 2, 2])), 0);
});

test("accuracy rejects labels that do not match the rows, are out of range or not integers, and empty logits", () => {
  assert.throws(() => accuracy(Matrix.zeros(3, 2), [0, 1]), /accuracy labels: expected 3 labels .* got 2/);
  assert.throws(
    () => accuracy(Matrix.zeros(2, 3), [0, 3]),
    /^InputError: accuracy labels: labels\[1\] = 3, but each label must be a whole number in \[0, 3\)/,
  );
  assert.throws(() => accuracy(Matrix.zeros(2, 3), [0, 1.5]), /accuracy labels: labels\[1\] = 1.5/);
  assert.throws(() => accuracy(Matrix.zeros(0, 3), []), /accuracy: got no examples/);
});

test("evaluate runs in eval mode and restores the mode it found", () => {
  const model = new TinyLinear(2, 3, makeRng(1));
  const data = {
    x: Matrix.from([
      [1, 2],
      [3, 4],
    ]),
    y: Int32Array.from([0, 2]),
  };
  evaluate(model, data);
  assert.deepEqual(model.modesSeen, [false]);
  assert.equal(model.training, true);
  model.eval();
  evaluate(model, data);
  assert.equal(model.training, false);
});

test("evaluate returns the mean cross-entropy and the accuracy", () => {
  const model = new TinyLinear(2, 2, makeRng(1));
  model.weight.value.data.set([1, 0, 0, 1]); // logits = x
  const data = {
    x: Matrix.from([
      [0, Math.log(3)],
      [0, 0],
    ]),
    y: Int32Array.from([1, 1]),
  };
  const { loss, accuracy: acc } = evaluate(model, data);
  // row 0: p(1) = 3/4; row 1: p(1) = 1/2 → loss = (−log 3/4 − log 1/2) / 2
  assert.ok(Math.abs(loss - (-Math.log(0.75) - Math.log(0.5)) / 2) < 1e-15);
  assert.equal(acc, 0.5); // row 0 → class 1, right; row 1 is a tie → class 0, wrong
});

test("evaluate through the layers' reused buffers gives the numbers of a fresh forward and keeps no new arrays", () => {
  const rng = makeRng(3);
  const model = mlp({ inputSize: 5, hiddenSizes: [7, 6], outputSize: 4, batchNorm: true, rng });
  const batch = new Matrix(8, 5, rng.normalArray(40, 1, 2));
  const optimizer = new SGD(model.parameters(), { learningRate: 0.1 });
  const step = () => trainStep(model, optimizer, batch, Int32Array.from([0, 1, 2, 3, 3, 2, 1, 0]));
  for (let k = 0; k < 3; k++) step(); // running statistics away from 0 and 1
  const data = {
    x: new Matrix(20, 5, rng.normalArray(100, 1, 2)),
    y: Int32Array.from({ length: 20 }, (_, i) => i % 4),
  };
  model.eval();
  const logits = model.forward(data.x); // fresh matrices
  const expected = { loss: softmaxCrossEntropy(logits, data.y).loss, accuracy: accuracy(logits, data.y) };
  model.train();
  assert.deepEqual(evaluate(model, data), expected);
  const arrays = new Set<ArrayBufferLike>(); // the arrays behind the last layer's reused output
  const round = () => {
    evaluate(model, data);
    step();
    arrays.add(model.forward(batch, { reuse: true }).data.buffer);
  };
  for (let k = 0; k < 4; k++) round(); // both sets of buffers (see Workspace) have seen both shapes
  const warm = arrays.size;
  for (let k = 0; k < 4; k++) round();
  assert.equal(arrays.size, warm, "after warm-up, training and evaluation share the arrays: none is made");
  const reuseSeen: unknown[] = [];
  const forward = model.forward.bind(model);
  model.forward = (x, options) => (reuseSeen.push(options?.reuse), forward(x, options));
  const large = { x: new Matrix(EVALUATE_REUSE_ROWS + 1, 5), y: new Int32Array(EVALUATE_REUSE_ROWS + 1) };
  evaluate(model, data);
  evaluate(model, large);
  assert.deepEqual(reuseSeen, [true, false], "up to EVALUATE_REUSE_ROWS rows in reused buffers, more in fresh ones");
});
