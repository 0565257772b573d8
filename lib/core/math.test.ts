import { test } from "node:test";
import assert from "node:assert/strict";
import { cosSinTurns, exp, exp10, log, tanh } from "./math";
import { makeRng } from "./random";

/** Distance in units in the last place between two finite doubles of the same sign. */
function ulps(a: number, b: number): number {
  if (a === b) return 0;
  const view = new DataView(new ArrayBuffer(16));
  view.setFloat64(0, a);
  view.setFloat64(8, b);
  return Math.abs(Number(view.getBigInt64(0) - view.getBigInt64(8)));
}

/** The largest ulp distance of f from reference over the inputs (tiny results compared absolutely). */
function worst(f: (x: number) => number, reference: (x: number) => number, inputs: number[]): number {
  return Math.max(...inputs.map((x) => ulps(f(x), reference(x))));
}

const rng = makeRng(11);
const draws = (n: number, low: number, high: number) => Array.from({ length: n }, () => rng.uniform(low, high));

test("exp within 1 ulp of Math.exp over [-700, 700] and where softmax and tanh use it", () => {
  assert.ok(worst(exp, Math.exp, [...draws(20000, -50, 10), ...draws(5000, -700, 700)]) <= 1);
  assert.ok(ulps(exp(1), Math.E) <= 1);
  assert.deepEqual([exp(0), exp(-Infinity), exp(Infinity), exp(800), exp(-800)], [1, 0, Infinity, Infinity, 0]);
  assert.ok(Number.isNaN(exp(NaN)));
});

test("log within 1 ulp of Math.log, including subnormal and huge inputs", () => {
  const inputs = [...draws(20000, 0, 1), ...draws(5000, 1, 1e6), ...draws(100, 0, 1e-310), 1e300, 5e-324];
  assert.ok(worst(log, Math.log, inputs) <= 1);
  assert.deepEqual([log(1), log(0), log(Infinity)], [0, -Infinity, Infinity]);
  assert.ok(Number.isNaN(log(-1)) && Number.isNaN(log(NaN)));
});

test("tanh within 3 ulp of Math.tanh, odd, ±1 in the tails, keeps -0", () => {
  const inputs = [...draws(20000, -10, 10), ...draws(5000, -1e-3, 1e-3), ...draws(2000, -30, 30)];
  assert.ok(worst(tanh, Math.tanh, inputs) <= 3);
  assert.deepEqual([tanh(40), tanh(-40), tanh(Infinity), Object.is(tanh(-0), -0)], [1, -1, 1, true]);
  assert.ok(Number.isNaN(tanh(NaN)));
});

test("exp10 within 4 ulp of 10 ** x, exact at whole x (10⁻⁴ is 1e-4)", () => {
  assert.ok(worst(exp10, (x) => 10 ** x, draws(20000, -12, 2)) <= 4);
  assert.deepEqual([exp10(-4), exp10(-17), exp10(0), exp10(3)], [1e-4, 1e-17, 1, 1000]);
});

// Rounding 2πu ∈ [0, 2π) alone moves Math.cos and Math.sin by up to 4.4e-16.
test("cosSinTurns(u) within 1e-15 of Math.cos and Math.sin of 2πu", () => {
  for (const u of [...draws(20000, 0, 1), 0, 0.25, 0.5, 0.75, 0.125]) {
    const [c, s] = cosSinTurns(u);
    for (const [mine, theirs] of [
      [c, Math.cos(2 * Math.PI * u)],
      [s, Math.sin(2 * Math.PI * u)],
    ])
      assert.ok(Math.abs(mine - theirs) <= 1e-15, `u = ${u}: ${mine} vs ${theirs}`);
  }
  assert.deepEqual(cosSinTurns(0), [1, 0]);
});
