import { test } from "node:test";
import assert from "node:assert/strict";
import { differsBeyondNoise, seedSpread } from "./seeds";

// numpy: v = [0.1, 0.2, 0.4]; v.mean(), v.std(ddof=1), v.std(ddof=1)/sqrt(3) → 0.2333…, 0.15275…, 0.08819…
test("seedSpread gives mean, sample std (ddof 1) and standard error", () => {
  const s = seedSpread([0.1, 0.2, 0.4]);
  assert.ok(Math.abs(s.mean - 0.7 / 3) < 1e-15);
  assert.ok(Math.abs(s.std - 0.15275252316519466) < 1e-15);
  assert.ok(Math.abs(s.standardError - 0.15275252316519466 / Math.sqrt(3)) < 1e-15);
  assert.equal(s.count, 3);
});

test("seedSpread refuses one seed and non-finite values, naming the problem", () => {
  assert.throws(() => seedSpread([0.5]), /seedSpread: got 1 value\(s\); a spread needs at least 2 seeds/);
  assert.throws(() => seedSpread([0.5, NaN]), /seedSpread: value 1 is NaN/);
});

test("differsBeyondNoise compares the gap of the means with the standard error of the difference", () => {
  const a = seedSpread([1, 1.1, 0.9]); // SE = 0.0577
  assert.equal(differsBeyondNoise(a, seedSpread([1.05, 1.15, 0.95])), false); // 0.05 apart, 2·SE_diff = 0.163
  assert.equal(differsBeyondNoise(a, seedSpread([2, 2.1, 1.9])), true);
});
