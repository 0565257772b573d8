import { test } from "node:test";
import assert from "node:assert/strict";
import { InputError } from "../core/checks";
import { makeRng } from "../core/random";
import type { Dataset } from "./dataset";
import { classCounts } from "./preprocess";
import { makeBlobs, makeCircles, makeMoons, makeSpiral } from "./synthetic";

const generators: [string, (seed: number) => Dataset, number, number][] = [
  ["makeSpiral", (seed) => makeSpiral({ pointsPerClass: 50, classes: 4, rng: makeRng(seed) }), 4, 50],
  ["makeMoons", (seed) => makeMoons({ pointsPerClass: 60, rng: makeRng(seed) }), 2, 60],
  ["makeCircles", (seed) => makeCircles({ pointsPerClass: 70, rng: makeRng(seed) }), 2, 70],
  ["makeBlobs", (seed) => makeBlobs({ centers: 5, dimensions: 3, pointsPerClass: 40, rng: makeRng(seed) }), 5, 40],
];

for (const [name, make, classes, perClass] of generators) {
  test(`${name}: shape, labels 0…C−1 sorted by class, exactly balanced`, () => {
    const { x, y } = make(1);
    assert.equal(x.rows, classes * perClass);
    assert.equal(x.cols, name === "makeBlobs" ? 3 : 2);
    assert.equal(y.length, x.rows);
    assert.deepEqual(classCounts(y), new Array(classes).fill(perClass));
    assert.ok(y.every((label, i) => label === Math.floor(i / perClass)));
    assert.ok(x.data.every(Number.isFinite));
  });

  test(`${name}: the same seed gives bit-identical data, another seed other data`, () => {
    assert.deepEqual(make(7).x.data, make(7).x.data);
    assert.notDeepEqual(make(7).x.data, make(8).x.data);
  });
}

test("makeSpiral without noise: point i of n has radius i/(n−1) and angle 4j + 4i/(n−1)", () => {
  const n = 11;
  const { x } = makeSpiral({ pointsPerClass: n, classes: 3, noise: 0, rng: makeRng(1) });
  for (let j = 0; j < 3; j++) {
    for (let i = 0; i < n; i++) {
      const [a, b] = [x.get(j * n + i, 0), x.get(j * n + i, 1)]; // a = r sin θ, b = r cos θ
      const r = i / (n - 1);
      assert.ok(Math.abs(Math.hypot(a, b) - r) < 1e-12);
      if (r > 0)
        assert.ok(
          Math.abs(a - r * Math.sin(4 * j + 4 * r)) < 1e-12 && Math.abs(b - r * Math.cos(4 * j + 4 * r)) < 1e-12,
        );
    }
  }
});

test("makeMoons without noise: class 0 on the upper unit half circle, class 1 on the shifted lower one", () => {
  const n = 25;
  const { x, y } = makeMoons({ pointsPerClass: n, noise: 0, rng: makeRng(2) });
  for (let i = 0; i < x.rows; i++) {
    const [a, b] = [x.get(i, 0), x.get(i, 1)];
    const [cx, cy, side] = y[i] === 0 ? [0, 0, 1] : [1, 0.5, -1]; // centre and which half
    assert.ok(Math.abs(Math.hypot(a - cx, b - cy) - 1) < 1e-12);
    assert.ok(side * (b - cy) >= -1e-12);
  }
});

test("makeCircles without noise: radius 1 for class 0 and `factor` for class 1", () => {
  const { x, y } = makeCircles({ pointsPerClass: 30, noise: 0, factor: 0.3, rng: makeRng(3) });
  for (let i = 0; i < x.rows; i++) {
    assert.ok(Math.abs(Math.hypot(x.get(i, 0), x.get(i, 1)) - (y[i] === 0 ? 1 : 0.3)) < 1e-12);
  }
});

test("makeBlobs: each class scatters around its centre with the given std", () => {
  const centers = [
    [-4, 2],
    [5, 5],
    [0, -7],
  ];
  const std = 0.5;
  const n = 4000;
  const data = makeBlobs({ centers, std, pointsPerClass: n, rng: makeRng(4) });
  assert.deepEqual(data.centers.toArray(), centers);
  centers.forEach((center, c) => {
    for (let d = 0; d < 2; d++) {
      const values = Array.from({ length: n }, (_, i) => data.x.get(c * n + i, d));
      const mean = values.reduce((s, v) => s + v, 0) / n;
      const sd = Math.sqrt(values.reduce((s, v) => s + (v - mean) ** 2, 0) / n);
      assert.ok(Math.abs(mean - center[d]) < 0.05, `class ${c} dim ${d} mean ${mean}`); // 4σ/√n ≈ 0.03
      assert.ok(Math.abs(sd - std) < 0.03, `class ${c} dim ${d} std ${sd}`);
    }
  });
});

test("makeBlobs: random centres lie in centerBox", () => {
  const { centers } = makeBlobs({ centers: 20, centerBox: [-2, 3], rng: makeRng(5) });
  assert.deepEqual(centers.shape, [20, 2]);
  assert.ok(centers.data.every((v) => v >= -2 && v < 3));
});

test("bad sizes and options are InputErrors that say what is wrong", () => {
  const rng = makeRng(6);
  assert.throws(
    () => makeSpiral({ pointsPerClass: 0, rng }),
    /makeSpiral: pointsPerClass must be a whole number ≥ 1, got 0/,
  );
  assert.throws(() => makeSpiral({ classes: 2.5, rng }), /classes must be a whole number ≥ 1/);
  assert.throws(() => makeMoons({ noise: -0.1, rng }), /makeMoons: noise must be a finite number ≥ 0, got -0.1/);
  assert.throws(() => makeCircles({ factor: 1.5, rng }), /makeCircles: factor must lie in \(0, 1\), got 1.5/);
  assert.throws(() => makeBlobs({ centers: [], rng }), /makeBlobs: centers must list at least one point/);
  assert.throws(() => makeBlobs({ std: NaN, rng }), /makeBlobs: std must be a finite number ≥ 0, got NaN/);
  assert.throws(() => makeBlobs({ centerBox: [1, -1], rng }), /centerBox must be \[low, high\] with low < high/);
  assert.throws(
    () => makeSpiral({} as never),
    (e: Error) => e instanceof InputError && /pass a seeded generator/.test(e.message),
  );
});
