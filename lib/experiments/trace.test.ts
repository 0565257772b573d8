import { test } from "node:test";
import assert from "node:assert/strict";
import { numericalGradientOf, relError } from "../gradcheck";
import { softmaxCrossEntropy } from "../layers/losses";
import { BatchNorm1d } from "../normalization/batchnorm1d";
import { smallBatch, smallNet } from "./test-helpers";
import { computeGradients, layerOutputs, saveState, traceStep } from "./trace";

test("traceStep's gradients agree with finite differences of the loss", () => {
  const model = smallNet(1);
  const { x, y } = smallBatch(2);
  const bn = model.layers[1] as BatchNorm1d;
  bn.gamma.value.data.set([1.2, 0.8, 1.1, 0.9, 1.3, 0.7]);
  bn.beta.value.data.set([0.1, -0.2, 0.3, 0, 0.2, -0.1]);
  const trace = traceStep(model, x, y);
  const lossOf = () => softmaxCrossEntropy(model.forward(x), y).loss;
  for (const p of model.parameters()) assert.ok(relError(p.grad, numericalGradientOf(lossOf, p.value)) < 1e-7, p.name);
  const hidden = trace.outputs[2]; // ∂L/∂(tanh output) by perturbing it and running the rest of the net
  const rest = () =>
    softmaxCrossEntropy(
      model.layers.slice(3).reduce((h, l) => l.forward(h), hidden),
      y,
    ).loss;
  assert.ok(relError(trace.outputGradients[2], numericalGradientOf(rest, hidden)) < 1e-7);
  assert.ok(Math.abs(trace.loss - softmaxCrossEntropy(trace.outputs[5], y).loss) < 1e-15);
});

test("layerOutputs returns one output per layer, the last being the logits", () => {
  const model = smallNet(1);
  const { x } = smallBatch(2);
  const outputs = layerOutputs(model, x);
  assert.equal(outputs.length, 6);
  assert.deepEqual(outputs[5].shape, [8, 3]);
});

test("saveState restores parameters and BatchNorm buffers", () => {
  const model = smallNet(3);
  const { x, y } = smallBatch(4);
  const bn = model.layers[1] as BatchNorm1d;
  const before = model.parameters().map((p) => p.value.clone());
  const restore = saveState(model);
  traceStep(model, x, y); // updates the running statistics
  for (const p of model.parameters()) p.value.data.fill(0.5);
  assert.equal(bn.numBatchesTracked, 1);
  restore();
  model.parameters().forEach((p, k) => assert.deepEqual(p.value.data, before[k].data));
  assert.equal(bn.numBatchesTracked, 0);
  assert.deepEqual(Array.from(bn.runningMean.data), [0, 0, 0, 0, 0, 0]);
  assert.deepEqual(Array.from(bn.runningVar.data), [1, 1, 1, 1, 1, 1]);
});

test("computeGradients gives traceStep's loss and gradients bit for bit, in training and with reused buffers", () => {
  for (const seed of [1, 2]) {
    const [traced, computed] = [smallNet(seed), smallNet(seed)];
    const { x, y } = smallBatch(seed + 10);
    for (let step = 0; step < 2; step++) {
      const trace = traceStep(traced, x, y);
      assert.equal(computeGradients(computed, x, y), trace.loss);
      const expected = traced.parameters().map((p) => [...p.grad.data]);
      assert.deepEqual(
        computed.parameters().map((p) => [...p.grad.data]),
        expected,
      );
      const [a, b] = [traced.layers[1] as BatchNorm1d, computed.layers[1] as BatchNorm1d];
      assert.deepEqual([...b.runningMean.data], [...a.runningMean.data]);
    }
  }
});

test("layerOutputs with { reuse: true } gives the same numbers as fresh outputs, in the layers' buffers", () => {
  const model = smallNet(5);
  const { x } = smallBatch(6);
  model.eval();
  const fresh = layerOutputs(model, x).map((h) => [...h.data]);
  const reused = layerOutputs(model, x, { reuse: true });
  assert.deepEqual(
    reused.map((h) => [...h.data]),
    fresh,
  );
  const again = layerOutputs(model, x, { reuse: true });
  again.forEach((h, k) => assert.equal(h, reused[k], `layer ${k}: the same buffer the second time`));
});
