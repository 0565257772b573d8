import { test } from "node:test";
import assert from "node:assert/strict";
import { makeRng } from "../core/random";
import { choice, integer, logUniform, oneMinusLogUniform, uniform } from "./dimensions";

const close = (a: number, b: number, tol = 1e-12) =>
  assert.ok(Math.abs(a - b) <= tol * Math.max(1, Math.abs(b)), `${a} vs ${b}`);

test("logUniform draws α = 10^r with r ~ U[log₁₀ low, log₁₀ high]", () => {
  const [a, b] = [makeRng(1), makeRng(1)];
  const dimension = logUniform(1e-4, 1);
  for (let k = 0; k < 20; k++) close(dimension.sample(a), 10 ** b.uniform(-4, 0));
});

test("logUniform puts a quarter of the samples in each decade of [1e-4, 1]; uniform puts 90% in [0.1, 1]", () => {
  const rng = makeRng(2);
  const count = 4000;
  const decadeShare = (values: number[], d: number) =>
    values.filter((v) => v >= 10 ** (d - 1) && v < 10 ** d).length / count;
  const logs = Array.from({ length: count }, () => logUniform(1e-4, 1).sample(rng));
  const linear = Array.from({ length: count }, () => uniform(1e-4, 1).sample(rng));
  for (const d of [-3, -2, -1, 0])
    assert.ok(Math.abs(decadeShare(logs, d) - 0.25) < 0.03, `decade ${d}: ${decadeShare(logs, d)}`);
  assert.ok(Math.abs(decadeShare(linear, 0) - 0.9) < 0.02, `uniform [0.1, 1): ${decadeShare(linear, 0)}`);
  assert.ok(decadeShare(linear, -3) + decadeShare(linear, -2) < 0.02);
});

test("oneMinusLogUniform draws β = 1 − 10^r, as many in [0.9, 0.99] as in [0.99, 0.999]", () => {
  const [a, b] = [makeRng(3), makeRng(3)];
  const dimension = oneMinusLogUniform(0.9, 0.999);
  // r from log₁₀(1 − 0.9) = −1 to −3
  for (let k = 0; k < 20; k++) close(dimension.sample(a), 1 - 10 ** (-1 - 2 * b.uniform()));
  const rng = makeRng(4);
  const values = Array.from({ length: 4000 }, () => dimension.sample(rng));
  assert.ok(values.every((v) => v >= 0.9 && v <= 0.999));
  const low = values.filter((v) => v < 0.99).length / values.length;
  assert.ok(Math.abs(low - 0.5) < 0.03, `share in [0.9, 0.99): ${low}`);
});

test("grids are evenly spaced in the dimension's scale", () => {
  logUniform(1e-4, 1)
    .grid(5)
    .forEach((v, i) => close(v, 10 ** (i - 4)));
  oneMinusLogUniform(0.9, 0.999)
    .grid(3)
    .forEach((v, i) => close(v, [0.9, 0.99, 0.999][i]));
  assert.deepEqual(uniform(0, 1).grid(3), [0, 0.5, 1]);
  assert.deepEqual(integer(1, 4).grid(10), [1, 2, 3, 4]);
  assert.deepEqual(choice(["sgd", "adam"]).grid(7), ["sgd", "adam"]);
  assert.deepEqual(uniform(2, 4).grid(1), [3]);
});

test("integer draws every whole number of [low, high], ends included", () => {
  const rng = makeRng(5);
  const seen = new Set(Array.from({ length: 300 }, () => integer(3, 7).sample(rng)));
  assert.deepEqual([...seen].sort(), [3, 4, 5, 6, 7]);
});

test("narrow shrinks around the given values in the scale, padded and clipped; choice keeps the used values", () => {
  const learningRate = logUniform(1e-4, 1);
  const exact = learningRate.narrow([1e-3, 1e-2], 0);
  close(exact.position(10 ** -2.5), 0.5);
  assert.match(exact.describe(), /logUniform\(0\.001, 0\.01\)/);
  const padded = learningRate.narrow([1e-3, 1e-2], 0.1); // 0.1 × 4 decades = 0.4 decade each side
  close(padded.position(10 ** -3.4), 0);
  close(padded.position(10 ** -1.6), 1);
  const clipped = learningRate.narrow([0.5, 1], 0.5);
  close(clipped.position(1), 1);
  assert.match(clipped.describe(), /, 1\)$/);
  const beta = oneMinusLogUniform(0.9, 0.999).narrow([0.99, 0.999], 0);
  close(beta.position(1 - 10 ** -2.5), 0.5);
  assert.deepEqual(choice([16, 32, 64]).narrow([64, 16, 64], 0.1).grid(1), [16, 64]);
  assert.deepEqual(integer(0, 100).narrow([40, 50], 0.1).grid(100).length, 31); // [30, 60]
});

test("position is 0 at the lower edge and 1 at the upper edge", () => {
  const beta = oneMinusLogUniform(0.9, 0.999);
  close(beta.position(0.9), 0);
  close(beta.position(0.999), 1);
  close(beta.position(0.99), 0.5); // halfway in log₁₀(1 − β), not in β
  close(logUniform(1e-4, 1).position(1e-2), 0.5);
  assert.ok(Number.isNaN(choice(["a"]).position("a")));
});

test("bad ranges are rejected with a message that says what to do", () => {
  assert.throws(() => logUniform(0, 1), /low must be > 0/);
  assert.throws(() => oneMinusLogUniform(0.9, 1), /must lie in \[0, 1\)/);
  assert.throws(() => uniform(2, 1), /low ≤ high/);
  assert.throws(() => integer(1.5, 3), /whole numbers/);
  assert.throws(() => choice([]), /at least one value/);
});
