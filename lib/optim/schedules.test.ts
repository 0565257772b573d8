import { test } from "node:test";
import assert from "node:assert/strict";
import { InputError } from "../core/checks";
import { exponentialDecay, inverseTimeDecay, stepDecay } from "./schedules";

const closeAll = (actual: number[], expected: number[]) =>
  expected.forEach((e, i) => assert.ok(Math.abs(actual[i] - e) < 1e-15, `epoch ${i}: ${actual[i]} vs ${e}`));
const epochs = (n: number) => [...Array(n).keys()];

test("stepDecay multiplies α by factor every dropEvery epochs", () => {
  const schedule = stepDecay({ initial: 0.1, dropEvery: 2, factor: 0.5 });
  closeAll(epochs(6).map(schedule), [0.1, 0.1, 0.05, 0.05, 0.025, 0.025]);
});

test("inverseTimeDecay gives α₀ / (1 + decayRate·epoch)", () => {
  const schedule = inverseTimeDecay({ initial: 0.2, decayRate: 1 });
  closeAll(epochs(4).map(schedule), [0.2, 0.1, 0.2 / 3, 0.05]);
});

test("exponentialDecay gives α₀·rate^epoch", () => {
  const schedule = exponentialDecay({ initial: 0.1, rate: 0.95 });
  closeAll(epochs(3).map(schedule), [0.1, 0.095, 0.09025]);
});

test("schedules reject bad options and epochs", () => {
  assert.throws(
    () => stepDecay({ initial: 0, dropEvery: 1, factor: 0.5 }),
    /stepDecay: initial must be a finite number > 0/,
  );
  assert.throws(
    () => stepDecay({ initial: 0.1, dropEvery: 0.5, factor: 0.5 }),
    /stepDecay: dropEvery must be a whole number ≥ 1/,
  );
  assert.throws(() => stepDecay({ initial: 0.1, dropEvery: 1, factor: 2 }), /stepDecay: factor must lie in \(0, 1\]/);
  assert.throws(
    () => inverseTimeDecay({ initial: 0.1, decayRate: -1 }),
    /inverseTimeDecay: decayRate must be a finite number ≥ 0/,
  );
  assert.throws(() => exponentialDecay({ initial: 0.1, rate: 0 }), /exponentialDecay: rate must lie in \(0, 1\]/);
  assert.throws(() => exponentialDecay({ initial: 0.1, rate: 0.9 })(-1), InputError);
  assert.throws(() => exponentialDecay({ initial: 0.1, rate: 0.9 })(1.5), /epoch must be a whole number ≥ 0, got 1.5/);
});
