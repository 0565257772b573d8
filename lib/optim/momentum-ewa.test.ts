import { test } from "node:test";
import assert from "node:assert/strict";
import { MomentumEWA } from "./momentum-ewa";
import { SGD } from "./sgd";
import { close, param } from "./test-helpers";

test("averages v = βv + (1 − β)g and steps θ − αv (by hand, constant g = 1)", () => {
  const p = param("weight", [1]);
  const optimizer = new MomentumEWA([p], { learningRate: 0.1, beta: 0.9 });
  for (const [v, theta] of [
    [0.1, 0.99],
    [0.19, 0.971],
    [0.271, 0.9439],
  ]) {
    p.grad.data[0] = 1;
    optimizer.step();
    close(optimizer.velocities[0].data, [v]);
    close(p.value.data, [theta]);
  }
});

test("bias correction divides v by 1 − βᵗ, so a constant gradient gives full steps at once", () => {
  const p = param("weight", [1]);
  const optimizer = new MomentumEWA([p], { learningRate: 0.1, beta: 0.9, biasCorrection: true });
  for (const theta of [0.9, 0.8, 0.7]) {
    p.grad.data[0] = 1;
    optimizer.step();
    close(p.value.data, [theta], 1e-15);
  }
});

test("matches the formula for several steps with a θ-dependent gradient and weight decay", () => {
  const p = param("weight", [0.4, -1.1]);
  const optimizer = new MomentumEWA([p], { learningRate: 0.2, beta: 0.7, biasCorrection: true, weightDecay: 0.3 });
  const theta = [0.4, -1.1];
  const v = [0, 0];
  for (let t = 1; t <= 3; t++) {
    const grads = theta.map((x) => Math.sin(3 * x));
    optimizer.zeroGrad();
    p.grad.data.set(grads);
    optimizer.step();
    for (let i = 0; i < 2; i++) {
      const g = grads[i] + 0.3 * theta[i];
      v[i] = 0.7 * v[i] + 0.3 * g;
      theta[i] -= (0.2 * v[i]) / (1 - 0.7 ** t);
    }
    close(p.value.data, theta, 1e-14);
  }
});

test("with α_EWA = α/(1 − β) it takes the same steps as SGD with momentum μ = β", () => {
  const a = param("weight", [1.5, -0.5]);
  const b = param("weight", [1.5, -0.5]);
  const ewa = new MomentumEWA([a], { learningRate: 0.01 / (1 - 0.9), beta: 0.9 });
  const sgd = new SGD([b], { learningRate: 0.01, momentum: 0.9 });
  for (let t = 0; t < 20; t++) {
    for (const [p, optimizer] of [
      [a, ewa],
      [b, sgd],
    ] as const) {
      optimizer.zeroGrad();
      p.grad.data.set(p.value.data.map((x) => 4 * x)); // L = 2θ²
      optimizer.step();
    }
  }
  close(a.value.data, Array.from(b.value.data), 1e-12);
});

test("rejects β outside [0, 1)", () => {
  const ps = [param("weight", [1])];
  assert.throws(
    () => new MomentumEWA(ps, { learningRate: 0.1, beta: 1 }),
    /MomentumEWA: beta must lie in \[0, 1\), got 1/,
  );
  assert.throws(() => new MomentumEWA(ps, { learningRate: 0.1, beta: -0.1 }), /beta must lie in \[0, 1\)/);
  assert.throws(
    () => new MomentumEWA(ps, { learningRate: -1 }),
    /MomentumEWA: learningRate must be a finite number > 0/,
  );
});
