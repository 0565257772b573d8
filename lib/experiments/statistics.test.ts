import { test } from "node:test";
import assert from "node:assert/strict";
import { Matrix } from "../core/matrix";
import { makeRng } from "../core/random";
import {
  densityHistogram,
  frobeniusNorm,
  percentilesOf,
  saturationFraction,
  updateToDataRatio,
  valueStatistics,
} from "./statistics";

test("valueStatistics gives mean, population std, min and max", () => {
  const s = valueStatistics([1, 2, 3, 4]);
  assert.equal(s.mean, 2.5);
  assert.ok(Math.abs(s.std - Math.sqrt(1.25)) < 1e-15); // ((1.5² + 0.5²)·2)/4 = 1.25
  assert.deepEqual([s.min, s.max, s.count], [1, 4, 4]);
  assert.equal(
    valueStatistics(
      Matrix.from([
        [2, 2],
        [2, 2],
      ]),
    ).std,
    0,
  );
  assert.throws(() => valueStatistics([]), /no values/);
});

// numpy.percentile([5, 1, 4, 2, 3], [0, 15, 50, 85, 100]) → [1, 1.6, 3, 4.4, 5]
test("percentilesOf interpolates like numpy.percentile", () => {
  const got = percentilesOf([5, 1, 4, 2, 3], [0, 15, 50, 85, 100]);
  [1, 1.6, 3, 4.4, 5].forEach((want, k) => assert.ok(Math.abs(got[k] - want) < 1e-12, `p${k}: ${got[k]} vs ${want}`));
  assert.throws(() => percentilesOf([1], [101]), /\[0, 100\]/);
});

test("saturationFraction counts flat-region outputs per activation kind", () => {
  assert.equal(saturationFraction(Matrix.from([[0.99, -0.98, 0.5, 0]]), "tanh"), 0.5);
  assert.equal(saturationFraction(Matrix.from([[0.999, 0.001, 0.5, 0.9]]), "sigmoid"), 0.5); // |2a−1| > 0.97
  assert.equal(saturationFraction(Matrix.from([[0, 0, 0, 1.5]]), "relu"), 0.75);
  assert.equal(saturationFraction(Matrix.from([[0.9]]), "tanh", { threshold: 0.5 }), 1);
});

test("updateToDataRatio is std(update)/std(value) and scales with the step", () => {
  const rng = makeRng(3);
  const value = new Matrix(20, 10, rng.normalArray(200, 0.5, 2));
  const update = new Matrix(20, 10, rng.normalArray(200, 0, 1));
  const r = updateToDataRatio(update, value);
  assert.ok(Math.abs(r - valueStatistics(update).std / valueStatistics(value).std) < 1e-15);
  assert.ok(Math.abs(updateToDataRatio(update.scale(1e-3), value) - 1e-3 * r) < 1e-15);
  assert.throws(() => updateToDataRatio(Matrix.zeros(1, 2), value), /same shape/);
});

test("frobeniusNorm of a 3-4 matrix is 5", () => {
  assert.equal(frobeniusNorm(Matrix.from([[3], [4]])), 5);
});

test("densityHistogram counts into equal bins and integrates to the share inside the range", () => {
  // bins [0, 0.5), [0.5, 1]; 5 is outside
  const h = densityHistogram([0, 0.1, 0.6, 1, 5], { bins: 2, low: 0, high: 1 });
  assert.deepEqual(h.centers, [0.25, 0.75]);
  assert.deepEqual(h.density, [2 / (5 * 0.5), 2 / (5 * 0.5)]);
  const x = makeRng(4).normalArray(10000);
  const wide = densityHistogram(x, { bins: 50, low: -10, high: 10 });
  const area = wide.density.reduce((s, d) => s + d * (20 / 50), 0);
  assert.ok(Math.abs(area - 1) < 1e-12);
  assert.ok(Math.abs(wide.density[25] - 1 / Math.sqrt(2 * Math.PI)) < 0.05); // the normal density near 0 (bin [0, 0.4))
  assert.throws(() => densityHistogram([1], { low: 1, high: 1 }), /low < high/);
});
