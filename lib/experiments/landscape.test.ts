import { test } from "node:test";
import assert from "node:assert/strict";
import { softmaxCrossEntropy } from "../layers/losses";
import { lossAlongGradient } from "./landscape";
import { smallBatch, smallNet } from "./test-helpers";

test("loss along −g falls at first order by η‖g‖² and the model is restored", () => {
  const model = smallNet(9);
  const { x, y } = smallBatch(10);
  const before = model.parameters().map((p) => p.value.clone());
  const profile = lossAlongGradient(model, x, y, [1e-5, 1e-4]);
  model.parameters().forEach((p, k) => assert.deepEqual(p.value.data, before[k].data));
  profile.stepSizes.forEach((eta, k) => {
    const firstOrder = profile.loss - eta * profile.gradientNorm ** 2; // Taylor: L(θ − ηg) ≈ L − η‖g‖²
    const drop = profile.loss - profile.losses[k];
    assert.ok(Math.abs(profile.losses[k] - firstOrder) < 0.01 * drop, `η = ${eta}`);
  });
  assert.ok(profile.gradientChanges[1] > profile.gradientChanges[0]);
  assert.ok(profile.smoothness > 0 && Number.isFinite(profile.smoothness));
});

test("lossAlongGradient's losses are the losses at θ − η·g", () => {
  const model = smallNet(11);
  const { x, y } = smallBatch(12);
  const profile = lossAlongGradient(model, x, y, [0.3]);
  model.zeroGrad();
  model.backward(softmaxCrossEntropy(model.forward(x), y).dLogits);
  for (const p of model.parameters()) p.value.data.set(p.value.data.map((v, i) => v - 0.3 * p.grad.data[i]));
  const want = softmaxCrossEntropy(model.forward(x), y).loss;
  assert.ok(Math.abs(profile.losses[0] - want) < 1e-12);
  assert.throws(() => lossAlongGradient(model, x, y, []), /step sizes/);
});
