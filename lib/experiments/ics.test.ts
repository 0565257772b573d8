import { test } from "node:test";
import assert from "node:assert/strict";
import { Matrix } from "../core/matrix";
import { softmaxCrossEntropy } from "../layers/losses";
import { gradientDifference, internalCovariateShift } from "./ics";
import { smallBatch, smallNet } from "./test-helpers";

test("gradientDifference: distance and cosine of known vectors", () => {
  const d = gradientDifference(Matrix.from([[1, 0]]), Matrix.from([[0, 2]]));
  assert.ok(Math.abs(d.distance - Math.sqrt(5)) < 1e-15);
  assert.equal(d.cosine, 0);
  assert.ok(Math.abs(gradientDifference(Matrix.from([[1, 2]]), Matrix.from([[2, 4]])).cosine - 1) < 1e-15);
  assert.throws(() => gradientDifference(Matrix.zeros(1, 2), Matrix.zeros(2, 1)), /same shape/);
});

test("internalCovariateShift matches a hand-written G, step, G′ and leaves the model unchanged", () => {
  const model = smallNet(5);
  const { x, y } = smallBatch(6);
  const before = model.parameters().map((p) => p.value.clone());
  const shift = internalCovariateShift(model, x, y, { layer: 3, learningRate: 0.5 });
  model.parameters().forEach((p, k) => assert.deepEqual(p.value.data, before[k].data));
  // the oracle: the layers' own forward/backward, written out
  const grads = () => {
    model.zeroGrad();
    model.backward(softmaxCrossEntropy(model.forward(x), y).dLogits);
    return model.parameters().map((p) => p.grad.clone());
  };
  const g = grads();
  const W0 = model.parameters()[0]; // layer 0's weight; layer 1 (BN) has gamma, beta
  const earlier = model.parameters().slice(0, 3);
  earlier.forEach((p, k) => p.value.data.set(p.value.data.map((v, i) => v - 0.5 * g[k].data[i])));
  const gPrime = grads();
  const G = g[3]; // "3.weight"
  const want = gradientDifference(G, gPrime[3]);
  assert.ok(W0.name.endsWith("weight"));
  assert.ok(Math.abs(shift.distance - want.distance) < 1e-12 * want.distance);
  assert.ok(Math.abs(shift.cosine - want.cosine) < 1e-12);
  assert.ok(shift.distance > 0 && shift.cosine < 1);
});

test("internalCovariateShift is 0 for the first layer and tends to 0 with the step size", () => {
  const model = smallNet(7);
  const { x, y } = smallBatch(8);
  assert.equal(internalCovariateShift(model, x, y, { layer: 0, learningRate: 1 }).distance, 0);
  const big = internalCovariateShift(model, x, y, { layer: 5, learningRate: 1e-1 }).relativeDistance;
  const small = internalCovariateShift(model, x, y, { layer: 5, learningRate: 1e-4 }).relativeDistance;
  assert.ok(small < big / 100, `${small} vs ${big}`);
  assert.throws(() => internalCovariateShift(model, x, y, { layer: 2, learningRate: 1 }), /no "weight"/);
});
