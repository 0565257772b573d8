import { test } from "node:test";
import assert from "node:assert/strict";
import { Matrix } from "../core/matrix";
import { Parameter } from "../core/parameter";
import { makeRng } from "../core/random";
import { Adam } from "./adam";
import { MomentumEWA } from "./momentum-ewa";
import type { Optimizer } from "./optimizer";
import { RMSprop } from "./rmsprop";
import { SGD } from "./sgd";
import { exponentialDecay } from "./schedules";

// An ill-conditioned quadratic L(θ) = ½ Σᵢ cᵢ (θᵢ − tᵢ)², curvatures cᵢ from 0.5 to 10.
function quadratic(seed: number) {
  const rng = makeRng(seed);
  const c = Float64Array.from({ length: 6 }, (_, i) => 0.5 + (9.5 * i) / 5);
  const target = rng.normalArray(6);
  const theta = new Parameter("weight", Matrix.row(rng.normalArray(6, 0, 3)));
  const loss = () => theta.value.data.reduce((s, x, i) => s + 0.5 * c[i] * (x - target[i]) ** 2, 0);
  const gradient = () => theta.value.data.forEach((x, i) => (theta.grad.data[i] += c[i] * (x - target[i])));
  return { theta, target, loss, gradient };
}

function minimize(seed: number, make: (p: Parameter[]) => Optimizer, steps: number, schedule?: (t: number) => number) {
  const problem = quadratic(seed);
  const optimizer = make([problem.theta]);
  const initialLoss = problem.loss();
  for (let t = 0; t < steps; t++) {
    if (schedule) optimizer.learningRate = schedule(t);
    optimizer.zeroGrad();
    problem.gradient();
    optimizer.step();
  }
  return {
    initialLoss,
    finalLoss: problem.loss(),
    distance: Math.max(...problem.theta.value.data.map((x, i) => Math.abs(x - problem.target[i]))),
  };
}

const cases: [string, (p: Parameter[]) => Optimizer, ((t: number) => number)?][] = [
  ["SGD", (p) => new SGD(p, { learningRate: 0.1 })],
  ["SGD with momentum", (p) => new SGD(p, { learningRate: 0.05, momentum: 0.9 })],
  ["MomentumEWA", (p) => new MomentumEWA(p, { learningRate: 0.5, beta: 0.9, biasCorrection: true })],
  ["RMSprop", (p) => new RMSprop(p, { learningRate: 0.01 }), exponentialDecay({ initial: 0.3, rate: 0.99 })],
  ["Adam", (p) => new Adam(p, { learningRate: 0.05 }), exponentialDecay({ initial: 0.3, rate: 0.99 })],
];

for (const [label, make, schedule] of cases) {
  test(`${label} converges to the minimum of a quadratic`, () => {
    const { initialLoss, finalLoss, distance } = minimize(11, make, 1000, schedule);
    assert.ok(initialLoss > 1, `initial loss ${initialLoss}`);
    assert.ok(finalLoss < 1e-8, `final loss ${finalLoss}`);
    assert.ok(distance < 1e-4, `max |θ − target| = ${distance}`);
  });
}

test("too large a learning rate makes SGD diverge on the same quadratic (α > 2/max c)", () => {
  const { initialLoss, finalLoss } = minimize(11, (p) => new SGD(p, { learningRate: 0.25 }), 50);
  assert.ok(finalLoss > 1e6 * initialLoss, `final loss ${finalLoss}`);
});
