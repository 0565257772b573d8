import { test } from "node:test";
import assert from "node:assert/strict";
import { Matrix } from "../core/matrix";
import { makeRng, type Rng } from "../core/random";
import { formatGradcheckReport, gradcheckParameters, numericalGradientOf, relError } from "../gradcheck";
import { BatchNorm1d } from "../normalization";
import { ReLU, Sigmoid } from "../layers/activations";
import { Linear } from "../layers/linear";
import { softmaxCrossEntropy } from "../layers/losses";
import { mlp } from "./mlp";
import { Sequential } from "../layers/sequential";
import { randomBatch } from "../layers/test-helpers";

const names = (model: Sequential) => model.layers.map((l) => l.name);

test("mlp without BatchNorm: Linear → activation per hidden size, then a Linear", () => {
  const model = mlp({ inputSize: 2, hiddenSizes: [5, 4], outputSize: 3, activation: "tanh", rng: makeRng(1) });
  assert.deepEqual(names(model), ["Linear(2→5)", "Tanh", "Linear(5→4)", "Tanh", "Linear(4→3)"]);
  assert.ok(model.layers.every((l) => !(l instanceof Linear) || l.hasBias));
});

test("mlp with BatchNorm: bias-free Linear → BatchNorm1d → activation; no BN on the output layer", () => {
  const model = mlp({ inputSize: 2, hiddenSizes: [5, 4], outputSize: 3, batchNorm: true, rng: makeRng(1) });
  assert.deepEqual(names(model), [
    "Linear(2→5)",
    "BatchNorm1d(5)",
    "ReLU",
    "Linear(5→4)",
    "BatchNorm1d(4)",
    "ReLU",
    "Linear(4→3)",
  ]);
  assert.deepEqual(
    model.parameters().map((p) => p.name),
    ["0.weight", "1.gamma", "1.beta", "3.weight", "4.gamma", "4.beta", "6.weight", "6.bias"],
  );
  const withBias = mlp({
    inputSize: 2,
    hiddenSizes: [5],
    outputSize: 3,
    batchNorm: true,
    biasBeforeBatchNorm: true,
    rng: makeRng(1),
  });
  assert.equal((withBias.layers[0] as Linear).hasBias, true);
});

test("mlp passes BatchNorm options through and picks the init from the activation", () => {
  const model = mlp({
    inputSize: 3,
    hiddenSizes: [4],
    outputSize: 2,
    activation: "sigmoid",
    batchNorm: { eps: 1e-8, momentum: 0.2 },
    rng: makeRng(2),
  });
  const norm = model.layers[1] as BatchNorm1d;
  assert.deepEqual([norm.eps, norm.momentum], [1e-8, 0.2]);
  const xavier = new Linear(3, 4, { rng: makeRng(2), init: "xavier", bias: false });
  assert.deepEqual((model.layers[0] as Linear).weight.value.data, xavier.weight.value.data);
  assert.equal(
    mlp({ inputSize: 3, hiddenSizes: [], outputSize: 2, rng: makeRng(2) }).summary(3).totalParameters,
    3 * 2 + 2,
  );
});

test("mlp with the same seed gives bit-identical models", () => {
  const make = () => mlp({ inputSize: 3, hiddenSizes: [8, 8], outputSize: 2, batchNorm: true, rng: makeRng(3) });
  const a = make().parameters();
  make()
    .parameters()
    .forEach((p, k) => assert.deepEqual(p.value.data, a[k].value.data));
});

test("mlp rejects bad sizes, activations and a missing rng", () => {
  const base = { inputSize: 2, hiddenSizes: [4], outputSize: 3, rng: makeRng(1) };
  assert.throws(() => mlp({ ...base, hiddenSizes: [4, 0] }), /mlp: hiddenSizes\[1\] must be a whole number ≥ 1, got 0/);
  assert.throws(() => mlp({ ...base, inputSize: -2 }), /mlp: inputSize must be a whole number ≥ 1, got -2/);
  assert.throws(
    () => mlp({ ...base, activation: "gelu" as "relu" }),
    /mlp: activation must be "relu", "sigmoid" or "tanh", got "gelu"/,
  );
  assert.throws(() => mlp({ ...base, rng: undefined as unknown as Rng }), /mlp: pass a seeded generator/);
});

/** Linear–BatchNorm1d–Sigmoid–Linear–BatchNorm1d–ReLU–Linear with random, non-trivial parameters. */
function batchNormNetwork(rng: Rng, biasBeforeBatchNorm = false): Sequential {
  const model = new Sequential([
    new Linear(4, 6, { rng, init: "xavier", bias: biasBeforeBatchNorm }),
    new BatchNorm1d(6),
    new Sigmoid(),
    new Linear(6, 5, { rng, bias: false }),
    new BatchNorm1d(5),
    new ReLU(),
    new Linear(5, 3, { rng }),
  ]);
  for (const p of model.parameters()) {
    if (p.name.endsWith("gamma")) p.value.data.set(rng.normalArray(p.value.size, 1, 0.4)); // γ ≠ 1
    // β, b ≠ 0
    if (p.name.endsWith("beta") || p.name.endsWith("bias")) p.value.data.set(rng.normalArray(p.value.size, 0.2, 0.5));
  }
  return model;
}

test("end to end: an MLP with BatchNorm and softmax cross-entropy passes the gradient check in training mode", () => {
  const rng = makeRng(1337);
  const model = batchNormNetwork(rng);
  const x = randomBatch(rng, 8, 4, 1.5, 2); // mean ≠ 0, varied column scales
  const labels = [0, 1, 2, 2, 1, 0, 1, 2];
  const loss = () => softmaxCrossEntropy(model.forward(x), labels).loss;
  let dX = new Matrix(0, 0);
  const rows = gradcheckParameters(model.parameters(), loss, () => {
    model.zeroGrad();
    dX = model.backward(softmaxCrossEntropy(model.forward(x), labels).dLogits);
  });
  assert.deepEqual(
    rows.map((r) => r.name),
    ["0.weight", "1.gamma", "1.beta", "3.weight", "4.gamma", "4.beta", "6.weight", "6.bias"],
  );
  assert.ok(
    rows.every((r) => r.passed),
    formatGradcheckReport(rows),
  );
  const err = relError(dX, numericalGradientOf(loss, x));
  assert.ok(err < 1e-7, `x: relError ${err}`);
});

test("a bias before BatchNorm gets no gradient: BN subtracts the batch mean, which removes it", () => {
  const rng = makeRng(7);
  const model = batchNormNetwork(rng, true);
  const x = randomBatch(rng, 8, 4, 1.5, 2);
  model.backward(softmaxCrossEntropy(model.forward(x), [0, 1, 2, 2, 1, 0, 1, 2]).dLogits);
  const [weight, bias] = model.parameters();
  assert.equal(bias.name, "0.bias");
  assert.ok(
    bias.grad.data.every((g) => Math.abs(g) < 1e-15),
    `0.bias grad ${bias.grad.toString()}`,
  );
  assert.ok(weight.grad.data.some((g) => Math.abs(g) > 1e-3)); // while the weight does learn
});
