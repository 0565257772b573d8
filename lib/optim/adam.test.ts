import { test } from "node:test";
import assert from "node:assert/strict";
import { Adam } from "./adam";
import { close, param } from "./test-helpers";

test("the first step moves each coordinate by α·|g|/(|g| + ε), whatever the scale of g", () => {
  const p = param("weight", [0, 0, 0]);
  const optimizer = new Adam([p], { learningRate: 0.01 });
  p.grad.data.set([1000, -0.001, 2]);
  optimizer.step(); // m̂ = g, v̂ = g²: α·g/(|g| + ε)
  close(p.value.data, [-0.01 * (1000 / (1000 + 1e-8)), 0.01 * (0.001 / (0.001 + 1e-8)), -0.01 * (2 / (2 + 1e-8))]);
});

test("follows the bias-corrected formula for three steps, with weight decay", () => {
  const p = param("weight", [0.8, -1.5]);
  const [alpha, beta1, beta2, eps, lambda] = [0.05, 0.8, 0.95, 1e-6, 0.2];
  const optimizer = new Adam([p], { learningRate: alpha, beta1, beta2, eps, weightDecay: lambda });
  const theta = [0.8, -1.5];
  const m = [0, 0];
  const v = [0, 0];
  for (let t = 1; t <= 3; t++) {
    const grads = theta.map((x) => x ** 3 - x);
    optimizer.zeroGrad();
    p.grad.data.set(grads);
    optimizer.step();
    for (let i = 0; i < 2; i++) {
      const g = grads[i] + lambda * theta[i];
      m[i] = beta1 * m[i] + (1 - beta1) * g;
      v[i] = beta2 * v[i] + (1 - beta2) * g * g;
      const mHat = m[i] / (1 - beta1 ** t);
      const vHat = v[i] / (1 - beta2 ** t);
      theta[i] -= (alpha * mHat) / (Math.sqrt(vHat) + eps);
    }
    close(p.value.data, theta, 1e-14);
  }
  assert.equal(optimizer.stepCount, 3);
});

test("defaults are α = 1e-3, β₁ = 0.9, β₂ = 0.999, ε = 1e-8", () => {
  const optimizer = new Adam([param("weight", [1])]);
  assert.deepEqual([optimizer.learningRate, optimizer.beta1, optimizer.beta2, optimizer.eps], [1e-3, 0.9, 0.999, 1e-8]);
});

test("rejects betas outside [0, 1) and a non-positive learning rate", () => {
  const ps = [param("weight", [1])];
  assert.throws(() => new Adam(ps, { beta1: 1 }), /Adam: beta1 must lie in \[0, 1\), got 1/);
  assert.throws(() => new Adam(ps, { beta2: -0.001 }), /Adam: beta2 must lie in \[0, 1\)/);
  assert.throws(() => new Adam(ps, { learningRate: 0 }), /Adam: learningRate must be a finite number > 0, got 0/);
  assert.throws(() => new Adam(ps, { eps: -1 }), /Adam: eps must be a finite number > 0/);
});
