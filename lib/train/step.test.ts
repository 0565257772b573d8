import { test } from "node:test";
import assert from "node:assert/strict";
import { Matrix } from "../core/matrix";
import { makeRng } from "../core/random";
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
  const x = [[0.5, -1.2], [2.0, 0.3], [-0.7, 0.9], [1.1, 1.1]];
  const y = [2, 0, 1, 0];
  let W = model.weight.value.toArray();
  let b = Array.from(model.bias.value.data);
  const optimizer = new SGD(model.parameters(), { learningRate: 0.5 });
  for (let t = 0; t < 3; t++) { // three steps: the gradient must be zeroed in between
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
