import { test } from "node:test";
import assert from "node:assert/strict";
import type { Matrix } from "../core/matrix";
import { makeRng } from "../core/random";
import { initGaussian, initHe, initXavier } from "./init";

function sampleStd(m: Matrix): { mean: number; std: number } {
  const mean = m.sum() / m.size;
  const variance = m.data.reduce((s, v) => s + (v - mean) ** 2, 0) / m.size;
  return { mean, std: Math.sqrt(variance) };
}

test("initHe draws [fanIn, fanOut] with std √(2/fanIn)", () => {
  const w = initHe(makeRng(1), 200, 300);
  assert.deepEqual(w.shape, [200, 300]);
  const { mean, std } = sampleStd(w); // 60 000 draws: std of the estimate ≈ 0.3 %
  assert.ok(Math.abs(mean) < 0.01 * Math.sqrt(2 / 200) * 5, `mean ${mean}`);
  assert.ok(Math.abs(std / Math.sqrt(2 / 200) - 1) < 0.01, `std ${std}`);
});

test("initXavier draws [fanIn, fanOut] with std √(2/(fanIn + fanOut))", () => {
  const w = initXavier(makeRng(2), 100, 500);
  assert.deepEqual(w.shape, [100, 500]);
  const { std } = sampleStd(w);
  assert.ok(Math.abs(std / Math.sqrt(2 / 600) - 1) < 0.01, `std ${std}`);
});

test("initGaussian scales a standard normal draw by scale", () => {
  const unit = initGaussian(makeRng(3), 4, 5, 1);
  const scaled = initGaussian(makeRng(3), 4, 5, 0.01);
  unit.data.forEach((v, i) => assert.ok(Math.abs(scaled.data[i] - 0.01 * v) <= 1e-17));
  assert.ok(initGaussian(makeRng(3), 2, 2, 0).data.every((v) => v === 0));
});

test("the same seed gives bit-identical weights", () => {
  assert.deepEqual(initHe(makeRng(5), 3, 4).data, initHe(makeRng(5), 3, 4).data);
  assert.notDeepEqual(initHe(makeRng(5), 3, 4).data, initHe(makeRng(6), 3, 4).data);
});

test("bad sizes and scales are clear errors", () => {
  assert.throws(() => initHe(makeRng(1), 0, 4), /initHe: fanIn must be a whole number ≥ 1, got 0/);
  assert.throws(() => initXavier(makeRng(1), 3, -1), /initXavier: fanOut must be a whole number ≥ 1, got -1/);
  assert.throws(
    () => initGaussian(makeRng(1), 2, 2, -0.1),
    /initGaussian: scale must be a finite number ≥ 0, got -0.1/,
  );
  assert.throws(() => initGaussian(makeRng(1), 2, 2, NaN), /got NaN/);
});
