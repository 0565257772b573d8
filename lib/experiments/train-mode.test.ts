import { test } from "node:test";
import assert from "node:assert/strict";
import { Matrix } from "../core/matrix";
import { makeRng } from "../core/random";
import { smallNet } from "./test-helpers";
import { trainModeAccuracy } from "./train-mode";

function data(n: number) {
  const rng = makeRng(3);
  return { x: new Matrix(n, 4, rng.normalArray(n * 4, 0.5, 2)), y: Int32Array.from({ length: n }, (_, i) => i % 3) };
}

test("trainModeAccuracy equals the accuracy of consecutive train-mode batches, leaving out a partial batch", () => {
  const model = smallNet(1);
  const d = data(10); // batches of 4: rows 0–3 and 4–7; rows 8–9 left out
  const reference = smallNet(1);
  let correct = 0;
  for (const start of [0, 4]) {
    const rows = [start, start + 1, start + 2, start + 3];
    const logits = reference.forward(d.x.selectRows(rows)); // train mode: this batch's statistics
    rows.forEach((r, i) => {
      const row = Array.from({ length: logits.cols }, (_, j) => logits.get(i, j));
      if (row.indexOf(Math.max(...row)) === d.y[r]) correct++;
    });
  }
  assert.equal(trainModeAccuracy(model, d, 4), correct / 8);
});

test("trainModeAccuracy differs from eval mode and restores the running averages and the mode", () => {
  const model = smallNet(2);
  const d = data(40);
  model.eval();
  const bn = model.layers[1] as unknown as { runningMean: Matrix; runningVar: Matrix; numBatchesTracked: number };
  const before = {
    mean: bn.runningMean.data.slice(),
    variance: bn.runningVar.data.slice(),
    tracked: bn.numBatchesTracked,
  };
  const logitsBefore = model.forward(d.x);
  trainModeAccuracy(model, d, 8);
  assert.equal(model.training, false);
  assert.deepEqual(bn.runningMean.data, before.mean);
  assert.deepEqual(bn.runningVar.data, before.variance);
  assert.equal(bn.numBatchesTracked, before.tracked);
  assert.deepEqual(model.forward(d.x).data, logitsBefore.data);
  model.train();
  trainModeAccuracy(model, d, 8);
  assert.equal(model.training, true);
});

test("trainModeAccuracy refuses a batch of one or one larger than the data, naming the value", () => {
  const model = smallNet(3);
  assert.throws(
    () => trainModeAccuracy(model, data(10), 1),
    /trainModeAccuracy: batchSize is 1; use an integer from 2/,
  );
  assert.throws(() => trainModeAccuracy(model, data(10), 11), /batchSize is 11; .* the 10 examples/);
  assert.throws(() => trainModeAccuracy(model, undefined as never, 4), /trainModeAccuracy: data must be a Dataset/);
});
