import { test } from "node:test";
import assert from "node:assert/strict";
import { runSearch } from "./run";
import { mlpTrial, trialData } from "./trials";

test(
  "trialData: a fixed spiral split (450 / 150, 3 classes) " + "and an MNIST subset (2000 / 500, 784 features), cached",
  () => {
    const spiral = trialData("spiral");
    assert.deepEqual(
      [spiral.train.x.rows, spiral.train.x.cols, spiral.validation.x.rows, spiral.classes],
      [450, 2, 150, 3],
    );
    assert.equal(trialData("spiral"), spiral);
    const mnist = trialData("mnist");
    assert.deepEqual(
      [mnist.train.x.rows, mnist.train.x.cols, mnist.validation.x.rows, mnist.classes],
      [2000, 784, 500, 10],
    );
    assert.ok(Math.abs(mnist.train.x.meanRows().data[400]) < 1e-9, "standardized with the training statistics");
  },
);

test("mlpTrial learns the spiral with Adam and reports metrics and per-epoch curves", async () => {
  const [result] = await runSearch(
    [{ id: 0, seed: 1, round: 0, config: { learningRate: 0.01, optimizer: "adam", epochs: 6, hiddenSize: 32 } }],
    mlpTrial,
  );
  assert.equal(result.status, "ok", result.message);
  assert.ok(result.metrics.validationAccuracy > 0.8, `accuracy ${result.metrics.validationAccuracy}`);
  assert.equal(result.curves.validationCurve.length, 6);
  assert.equal(result.curves.lossCurve.length, 6);
  assert.ok(result.curves.lossCurve[5] < result.curves.lossCurve[0], "the mean loss fell");
  assert.equal(result.metrics.bestValidationAccuracy, Math.max(...result.curves.validationCurve));
});

test("mlpTrial rejects an unknown optimizer or data set and a missing learning rate (recorded as failed)", async () => {
  const results = await runSearch(
    [
      { id: 0, seed: 1, round: 0, config: { learningRate: 0.1, optimizer: "lbfgs", epochs: 1 } },
      { id: 1, seed: 1, round: 0, config: { learningRate: 0.1, dataset: "cifar", epochs: 1 } },
      { id: 2, seed: 1, round: 0, config: { epochs: 1 } },
    ],
    mlpTrial,
  );
  assert.match(results[0].message, /optimizer must be "sgd", "momentum", "rmsprop" or "adam"/);
  assert.match(results[1].message, /unknown dataset "cifar"/);
  assert.match(results[2].message, /needs a numeric learningRate/);
});
