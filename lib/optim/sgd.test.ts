import { test } from "node:test";
import assert from "node:assert/strict";
import { InputError } from "../core/checks";
import { SGD } from "./sgd";
import { close, param } from "./test-helpers";

test("plain SGD takes θ − α·g", () => {
  const p = param("weight", [1, -2]);
  const optimizer = new SGD([p], { learningRate: 0.1 });
  for (let t = 0; t < 2; t++) {
    p.zeroGrad();
    p.grad.data.set([0.5, -1]);
    optimizer.step();
  }
  close(p.value.data, [0.9, -1.8]); // 1 − 2·0.1·0.5, −2 + 2·0.1·1
});

test("momentum follows v = μv + g, θ = θ − αv (by hand on L = θ²/2)", () => {
  const p = param("weight", [1]);
  const optimizer = new SGD([p], { learningRate: 0.1, momentum: 0.9 });
  const expected = [0.9, 0.72, 0.486]; // v = 1, 1.8, 2.34 with g = θ
  for (const theta of expected) {
    optimizer.zeroGrad();
    p.grad.data[0] += p.value.data[0]; // ∇(θ²/2) = θ
    optimizer.step();
    close(p.value.data, [theta]);
  }
  close(optimizer.velocities[0].data, [2.34]);
});

test("equals cs231n's form v = μv − αg; θ = θ + v while α is constant", () => {
  const p = param("weight", [0.7, -1.3, 2.1]);
  const optimizer = new SGD([p], { learningRate: 0.05, momentum: 0.8 });
  const theta = [0.7, -1.3, 2.1];
  const v = [0, 0, 0];
  for (let t = 0; t < 4; t++) {
    const grads = theta.map((x) => 3 * x * x - 1); // any gradient that depends on θ
    optimizer.zeroGrad();
    p.grad.data.set(grads);
    optimizer.step();
    for (let i = 0; i < 3; i++) {
      v[i] = 0.8 * v[i] - 0.05 * grads[i];
      theta[i] += v[i];
    }
    close(p.value.data, theta, 1e-12);
  }
});

test("weight decay adds λθ to the gradient", () => {
  const p = param("weight", [1, -4]);
  const optimizer = new SGD([p], { learningRate: 0.1, weightDecay: 0.5 });
  optimizer.step(); // grad is 0: θ = θ − 0.1·0.5·θ = 0.95·θ
  close(p.value.data, [0.95, -3.8]);
  p.grad.data.set([1, 1]);
  optimizer.step(); // θ = 0.95·θ − 0.1·1
  close(p.value.data, [0.8025, -3.71]);
});

test("BatchNorm's gamma and beta are not decayed unless decayGammaBeta", () => {
  const make = () => [
    param("weight", [1]),
    param("gamma", [1]),
    param("beta", [1]),
    param("1.gamma", [1]),
    param("1.beta", [1]),
    param("2.betas", [1]),
  ];
  const defaults = make();
  new SGD(defaults, { learningRate: 0.1, weightDecay: 0.5 }).step();
  assert.deepEqual(
    defaults.map((p) => p.value.data[0]),
    [0.95, 1, 1, 1, 1, 0.95],
  );
  const all = make();
  new SGD(all, { learningRate: 0.1, weightDecay: 0.5, decayGammaBeta: true }).step();
  assert.deepEqual(
    all.map((p) => p.value.data[0]),
    [0.95, 0.95, 0.95, 0.95, 0.95, 0.95],
  );
});

test("zeroGrad clears every parameter's gradient", () => {
  const ps = [param("weight", [1, 2]), param("bias", [3])];
  ps.forEach((p) => p.grad.data.fill(7));
  new SGD(ps, { learningRate: 0.1 }).zeroGrad();
  assert.deepEqual(
    ps.map((p) => Array.from(p.grad.data)),
    [[0, 0], [0]],
  );
});

test("the learning rate can be changed between steps", () => {
  const p = param("weight", [1]);
  const optimizer = new SGD([p], { learningRate: 0.1 });
  optimizer.learningRate = 0.5;
  p.grad.data[0] = 1;
  optimizer.step();
  close(p.value.data, [0.5]);
});

test("rejects bad learning rates, momenta, decays and empty parameter lists", () => {
  const ps = [param("weight", [1])];
  for (const learningRate of [0, -0.1, NaN, Infinity]) {
    assert.throws(
      () => new SGD(ps, { learningRate }),
      (e: Error) => e instanceof InputError && /SGD: learningRate must be a finite number > 0/.test(e.message),
    );
  }
  assert.throws(() => new SGD(ps, { learningRate: 0.1, momentum: 1 }), /SGD: momentum must lie in \[0, 1\), got 1/);
  assert.throws(() => new SGD(ps, { learningRate: 0.1, momentum: -0.5 }), /momentum must lie in \[0, 1\)/);
  assert.throws(
    () => new SGD(ps, { learningRate: 0.1, weightDecay: -1 }),
    /SGD: weightDecay must be a finite number ≥ 0/,
  );
  assert.throws(() => new SGD([], { learningRate: 0.1 }), /SGD: got an empty parameter list/);
  const optimizer = new SGD(ps, { learningRate: 0.1 });
  assert.throws(() => (optimizer.learningRate = 0), InputError);
  assert.equal(optimizer.learningRate, 0.1);
});

test("plain SGD (μ = 0) keeps no velocity, as PyTorch: velocities stay 0 and θ = θ − α(∇L + λθ)", () => {
  const p = param("weight", [2, -1]);
  const optimizer = new SGD([p], { learningRate: 0.1, weightDecay: 0.5 });
  p.grad.data.set([1, 3]);
  optimizer.step();
  close(p.value.data, [2 - 0.1 * (1 + 0.5 * 2), -1 - 0.1 * (3 - 0.5)]);
  assert.deepEqual(Array.from(optimizer.velocities[0].data), [0, 0]);
});
