import { test } from "node:test";
import assert from "node:assert/strict";
import { Matrix } from "../core/matrix";
import { makeRng } from "../core/random";
import { ReLU, Sigmoid, Tanh } from "./activations";
import type { Layer } from "./layer";
import { layerGradientErrors, randomBatch } from "./test-helpers";

test("ReLU keeps positives and zeroes the rest; its gradient passes only where x > 0", () => {
  const relu = new ReLU();
  assert.deepEqual(relu.forward(Matrix.from([[-2, 0, 3]])).toArray(), [[0, 0, 3]]);
  assert.deepEqual(relu.backward(Matrix.from([[5, 6, 7]])).toArray(), [[0, 0, 7]]);
});

test("Sigmoid: σ(0) = 1/2, σ(x) + σ(−x) = 1, and the textbook formula for moderate x", () => {
  const sigmoid = new Sigmoid();
  const xs = [-6, -1.5, -0.3, 0, 0.3, 1.5, 6];
  const out = sigmoid.forward(Matrix.row(xs));
  assert.equal(out.get(0, 3), 0.5);
  xs.forEach((x, j) => {
    assert.ok(Math.abs(out.get(0, j) - 1 / (1 + Math.exp(-x))) < 1e-15);
    assert.ok(Math.abs(out.get(0, j) + out.get(0, xs.length - 1 - j) - 1) < 1e-15);
  });
});

test("Sigmoid stays finite and accurate for large |x|", () => {
  const out = new Sigmoid().forward(Matrix.row([-1000, -40, 40, 1000]));
  assert.equal(out.get(0, 0), 0);
  assert.ok(Math.abs(out.get(0, 1) / Math.exp(-40) - 1) < 1e-12); // σ(−40) ≈ e⁻⁴⁰, not 0 or NaN
  assert.equal(out.get(0, 2), 1);
  assert.equal(out.get(0, 3), 1);
  assert.ok(out.data.every(Number.isFinite));
});

test("Tanh matches (eˣ − e⁻ˣ)/(eˣ + e⁻ˣ) and saturates at ±1", () => {
  const out = new Tanh().forward(Matrix.row([-0.7, 0.2, 1.1, -500, 500]));
  [-0.7, 0.2, 1.1].forEach((x, j) =>
    assert.ok(Math.abs(out.get(0, j) - (Math.exp(x) - Math.exp(-x)) / (Math.exp(x) + Math.exp(-x))) < 1e-15),
  );
  assert.deepEqual([out.get(0, 3), out.get(0, 4)], [-1, 1]);
});

test("Sigmoid and Tanh backward use the saved output: σ′ = σ(1 − σ), tanh′ = 1 − tanh² (hand values)", () => {
  // σ(0) = 1/2 → σ′ = 1/4; σ(ln 3) = 3/4 → σ′ = 3/16.   tanh(0) = 0 → 1; tanh(ln 2) = 3/5 → 1 − 9/25 = 16/25
  const sigmoid = new Sigmoid();
  sigmoid.forward(Matrix.row([0, Math.log(3)]));
  const dSigmoid = sigmoid.backward(Matrix.row([2, 1]));
  assert.ok(
    Math.abs(dSigmoid.get(0, 0) - 0.5) < 1e-15 && Math.abs(dSigmoid.get(0, 1) - 3 / 16) < 1e-15,
    `${dSigmoid.toString()}`,
  );
  const tanh = new Tanh();
  tanh.forward(Matrix.row([0, Math.log(2)]));
  const dTanh = tanh.backward(Matrix.row([3, 1]));
  assert.ok(
    Math.abs(dTanh.get(0, 0) - 3) < 1e-15 && Math.abs(dTanh.get(0, 1) - 16 / 25) < 1e-15,
    `${dTanh.toString()}`,
  );
});

const activations: [string, () => Layer][] = [
  ["ReLU", () => new ReLU()],
  ["Sigmoid", () => new Sigmoid()],
  ["Tanh", () => new Tanh()],
];

for (const [name, make] of activations) {
  test(`${name} backward matches finite differences`, () => {
    const rng = makeRng(21);
    // x in [−2.5, 3.5): both sides of 0, but not so saturated that f′ drowns in rounding error
    const x = new Matrix(6, 5).map(() => rng.uniform(-2.5, 3.5));
    assert.ok(
      x.data.every((v) => Math.abs(v) > 1e-3),
      "keep x away from ReLU's kink",
    );
    const errors = layerGradientErrors(make(), x, randomBatch(rng, 6, 5, 0.1, 1));
    assert.ok(errors.x < 1e-7, `relError ${errors.x}`);
  });

  test(`${name} has no parameters and clear errors`, () => {
    const layer = make();
    assert.equal(layer.name, name);
    assert.deepEqual(layer.parameters(), []);
    assert.throws(
      () => layer.backward(Matrix.zeros(2, 2)),
      new RegExp(`^InputError: ${name}\\.backward: backward called before forward`),
    );
    assert.throws(
      () => layer.forward(Matrix.zeros(0, 2)),
      new RegExp(`${name}\\.forward x: got an empty batch \\[0, 2\\]`),
    );
    layer.forward(Matrix.zeros(2, 3));
    assert.throws(
      () => layer.backward(Matrix.zeros(3, 2)),
      new RegExp(`${name}\\.backward dOut: expected shape \\[2, 3\\], got \\[3, 2\\]`),
    );
  });
}
