import { test } from "node:test";
import assert from "node:assert/strict";
import { Matrix } from "../core/matrix";
import { makeRng } from "../core/random";
import { softmaxCrossEntropy } from "../layers/losses";
import { mlp } from "../models/mlp";
import type { Sequential } from "../layers/sequential";
import { useFastKernels } from "../fast/kernels";
import { SGD } from "../optim/sgd";
import { trainStep } from "./step";
import { TinyLinear } from "./test-helpers";

// By hand, for logits = x·W + b with softmax cross-entropy:
//   p = softmax(logits),  L = −(1/N) Σᵢ log pᵢ,yᵢ,  dW = xᵀ(p − onehot)/N,  dB = Σᵢ (p − onehot)ᵢ/N
function handStep(x: number[][], y: number[], W: number[][], b: number[], alpha: number) {
  const [N, D, C] = [x.length, W.length, b.length];
  const dW = W.map((row) => row.map(() => 0));
  const dB = b.map(() => 0);
  let loss = 0;
  for (let i = 0; i < N; i++) {
    const z = b.map((bj, j) => bj + x[i].reduce((s, xk, k) => s + xk * W[k][j], 0));
    const e = z.map((v) => Math.exp(v));
    const total = e.reduce((s, v) => s + v, 0);
    loss -= Math.log(e[y[i]] / total) / N;
    for (let j = 0; j < C; j++) {
      const delta = (e[j] / total - (j === y[i] ? 1 : 0)) / N;
      dB[j] += delta;
      for (let k = 0; k < D; k++) dW[k][j] += x[i][k] * delta;
    }
  }
  return { loss, W: W.map((row, k) => row.map((w, j) => w - alpha * dW[k][j])), b: b.map((v, j) => v - alpha * dB[j]) };
}

test("returns the loss before the update and takes one gradient step", () => {
  const model = new TinyLinear(2, 3, makeRng(4));
  const x = [
    [0.5, -1.2],
    [2.0, 0.3],
    [-0.7, 0.9],
    [1.1, 1.1],
  ];
  const y = [2, 0, 1, 0];
  let W = model.weight.value.toArray();
  let b = Array.from(model.bias.value.data);
  const optimizer = new SGD(model.parameters(), { learningRate: 0.5 });
  for (let t = 0; t < 3; t++) {
    // three steps: the gradient must be zeroed in between
    const expected = handStep(x, y, W, b, 0.5);
    const loss = trainStep(model, optimizer, Matrix.from(x), Int32Array.from(y));
    assert.ok(Math.abs(loss - expected.loss) < 1e-14, `step ${t}: loss ${loss} vs ${expected.loss}`);
    model.weight.value.data.forEach((w, i) => assert.ok(Math.abs(w - expected.W.flat()[i]) < 1e-14));
    model.bias.value.data.forEach((v, j) => assert.ok(Math.abs(v - expected.b[j]) < 1e-14));
    [W, b] = [expected.W, expected.b];
  }
});

test("a non-finite loss leaves the parameters unchanged and is returned", () => {
  const model = new TinyLinear(2, 2, makeRng(5));
  const before = model.weight.value.clone();
  const optimizer = new SGD(model.parameters(), { learningRate: 0.1 });
  const loss = trainStep(model, optimizer, Matrix.from([[Infinity, 1]]), Int32Array.from([0]));
  assert.ok(!Number.isFinite(loss), `loss ${loss}`);
  assert.deepEqual(model.weight.value.data, before.data);
});

/**
 * An MLP with BatchNorm and γ, β, b ≠ 0, on the fast kernels (the fused BatchNorm passes), as after importing the
 * library.
 */
function batchNormMlp(seed: number): Sequential {
  useFastKernels();
  const rng = makeRng(seed);
  const net = mlp({
    inputSize: 6,
    hiddenSizes: [5, 4],
    outputSize: 3,
    activation: "sigmoid",
    batchNorm: true,
    rng,
    init: "xavier",
  });
  for (const p of net.parameters()) if (p.value.rows === 1) p.value.data.set(rng.normalArray(p.value.size, 0.2, 0.7));
  return net;
}

test("trainStep (layers reusing their buffers) gives exactly the parameters of the plain loop", () => {
  const [stepped, plain] = [batchNormMlp(6), batchNormMlp(6)];
  const [optimizer, plainOptimizer] = [stepped, plain].map(
    (net) => new SGD(net.parameters(), { learningRate: 0.3, momentum: 0.5 }),
  );
  const rng = makeRng(7);
  for (let t = 0; t < 4; t++) {
    const x = new Matrix(8, 6, rng.normalArray(48, 0.5, 1.5));
    const y = Int32Array.from({ length: 8 }, () => rng.int(3));
    const loss = trainStep(stepped, optimizer, x, y);
    plainOptimizer.zeroGrad(); // the loop written out with fresh matrices everywhere
    const { loss: plainLoss, dLogits } = softmaxCrossEntropy(plain.forward(x), y);
    plain.backward(dLogits);
    plainOptimizer.step();
    assert.equal(loss, plainLoss);
  }
  assert.deepEqual(
    stepped.parameters().map((p) => p.value.data),
    plain.parameters().map((p) => p.value.data),
  );
});

test("after the first two steps, a step allocates no arrays: layers and loss write into reused buffers", () => {
  const net = batchNormMlp(8);
  const optimizer = new SGD(net.parameters(), { learningRate: 0.1 });
  const rng = makeRng(9);
  const x = new Matrix(8, 6, rng.normalArray(48));
  const y = Int32Array.from({ length: 8 }, () => rng.int(3));
  // the first two steps make the buffers (each layer alternates between two sets, see Workspace.swapSides)
  trainStep(net, optimizer, x, y);
  trainStep(net, optimizer, x, y);
  const original = globalThis.Float64Array;
  const lengths: number[] = [];
  globalThis.Float64Array = new Proxy(original, {
    construct(target, args, newTarget) {
      const made = Reflect.construct(target, args, newTarget) as Float64Array;
      lengths.push(made.length);
      return made;
    },
  });
  try {
    trainStep(net, optimizer, x, y);
  } finally {
    globalThis.Float64Array = original;
  }
  assert.deepEqual(lengths, []);
  trainStep(net, optimizer, x.selectRows([0, 1, 2]), y.subarray(0, 3)); // a smaller last batch: buffers of its own size
  assert.ok(Number.isFinite(trainStep(net, optimizer, x, y)));
});
