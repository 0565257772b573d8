import { test } from "node:test";
import assert from "node:assert/strict";
import { RMSprop } from "./rmsprop";
import { close, param } from "./test-helpers";

test("follows s = βs + (1 − β)g², θ = θ − αg/(√s + ε) for three steps", () => {
  const p = param("weight", [1.2, -0.3, 0.05]);
  const optimizer = new RMSprop([p], { learningRate: 0.01, beta: 0.9 });
  const theta = [1.2, -0.3, 0.05];
  const s = [0, 0, 0];
  for (let t = 0; t < 3; t++) {
    const grads = theta.map((x) => 5 * x - 0.1);
    optimizer.zeroGrad();
    p.grad.data.set(grads);
    optimizer.step();
    for (let i = 0; i < 3; i++) {
      s[i] = 0.9 * s[i] + 0.1 * grads[i] ** 2;
      theta[i] -= (0.01 * grads[i]) / (Math.sqrt(s[i]) + 1e-8);
    }
    close(p.value.data, theta, 1e-15);
  }
});

test("the first step with β = 0 moves every coordinate by α·|g|/(|g| + ε): ε outside the root", () => {
  const p = param("weight", [0, 0]);
  const optimizer = new RMSprop([p], { learningRate: 0.1, beta: 0, eps: 1 });
  p.grad.data.set([1, -3]);
  optimizer.step(); // s = g²: step = 0.1·1/(1 + 1) and 0.1·3/(3 + 1); ε inside would give 0.1/√2
  close(p.value.data, [-0.05, 0.075]);
});

test("rejects a bad β, ε or learning rate", () => {
  const ps = [param("weight", [1])];
  assert.throws(() => new RMSprop(ps, { learningRate: 0.1, beta: 1.5 }), /RMSprop: beta must lie in \[0, 1\)/);
  assert.throws(() => new RMSprop(ps, { learningRate: 0.1, eps: 0 }), /RMSprop: eps must be a finite number > 0/);
  assert.throws(() => new RMSprop([], { learningRate: 0.1 }), /RMSprop: got an empty parameter list/);
  assert.throws(
    () => new RMSprop(ps, { learningRate: -0.01 }),
    /RMSprop: learningRate must be a finite number > 0, got -0.01/,
  );
});
