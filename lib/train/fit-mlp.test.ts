// fit and the optimizers on the library's own models: mlp() with and without BatchNorm.
import { test } from "node:test";
import assert from "node:assert/strict";
import { makeRng } from "../core/random";
import { makeSpiral } from "../data/synthetic";
import { mlp } from "../models/mlp";
import { BatchNorm1d } from "../normalization/batchnorm1d";
import { Adam } from "../optim/adam";
import { SGD } from "../optim/sgd";
import { fit } from "./fit";
import { evaluate } from "./metrics";

test("an mlp with BatchNorm fits the 3-arm spiral to > 95% training accuracy", async () => {
  const rng = makeRng(1337);
  const train = makeSpiral({ pointsPerClass: 100, rng });
  const model = mlp({ inputSize: 2, hiddenSizes: [32, 32], outputSize: 3, batchNorm: true, rng });
  const optimizer = new Adam(model.parameters(), { learningRate: 0.01 });
  const history = await fit(model, train, { epochs: 20, batchSize: 32, optimizer, rng });
  assert.ok(history.trainAccuracy[19] > 0.95, `accuracy ${history.trainAccuracy.slice(-5).join(", ")}`);
  assert.equal(model.training, true);
  assert.equal(evaluate(model, train).accuracy, history.trainAccuracy[19]); // recorded in eval mode
});

test("BatchNorm's running statistics move during fit and the history repeats bit for bit", async () => {
  const run = async () => {
    const rng = makeRng(7);
    const train = makeSpiral({ pointsPerClass: 40, rng });
    const model = mlp({ inputSize: 2, hiddenSizes: [16], outputSize: 3, batchNorm: true, rng });
    const optimizer = new SGD(model.parameters(), { learningRate: 0.1, momentum: 0.9 });
    const history = await fit(model, train, { epochs: 3, batchSize: 20, optimizer, rng });
    const batchNorm = model.layers[1];
    assert.ok(batchNorm instanceof BatchNorm1d, batchNorm.name);
    return {
      ...history,
      seconds: 0,
      runningMean: Array.from(batchNorm.runningMean.data),
      tracked: batchNorm.numBatchesTracked,
    };
  };
  const [a, b] = [await run(), await run()];
  assert.deepEqual(a, b);
  assert.equal(a.tracked, 18); // 3 epochs × ⌈120 / 20⌉ batches
  assert.ok(a.runningMean.some((m) => m !== 0));
});

test("weight decay shrinks the weights of an mlp but not BatchNorm's γ and β", () => {
  const model = mlp({ inputSize: 3, hiddenSizes: [4], outputSize: 2, batchNorm: true, rng: makeRng(3) });
  const params = model.parameters();
  for (const p of params) p.value.data.fill(1); // grads are 0: only the decay acts
  new SGD(params, { learningRate: 0.1, weightDecay: 0.5 }).step();
  const after = Object.fromEntries(params.map((p) => [p.name, p.value.data[0]]));
  assert.deepEqual(after, { "0.weight": 0.95, "1.gamma": 1, "1.beta": 1, "3.weight": 0.95, "3.bias": 0.95 });
});
