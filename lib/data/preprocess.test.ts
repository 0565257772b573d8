import { test } from "node:test";
import assert from "node:assert/strict";
import { Matrix } from "../core/matrix";
import { makeRng } from "../core/random";
import type { Dataset } from "./dataset";
import {
  assertDataset,
  classCounts,
  shuffleDataset,
  standardize,
  subsetDataset,
  trainValidationSplit,
} from "./preprocess";

/** N examples whose column 0 is the example's id and whose label is id mod 3, so rows can be traced. */
function tracedDataset(n: number): Dataset {
  const x = new Matrix(n, 2);
  for (let i = 0; i < n; i++) x.data.set([i, 10 * i], 2 * i);
  return { x, y: Int32Array.from({ length: n }, (_, i) => i % 3) };
}

/** Checks that every row still carries its own label (row id in column 0). */
function assertPairsKept(d: Dataset): void {
  for (let r = 0; r < d.y.length; r++) assert.equal(d.y[r], d.x.get(r, 0) % 3);
}

test("standardize: the training features get mean 0 and std 1", () => {
  const rng = makeRng(11);
  const scales = [0.01, 1, 300, 5];
  const means = [-3, 0.5, 1000, 7];
  const x = new Matrix(500, 4).map((_, _i, j) => means[j] + scales[j] * rng.normal());
  const s = standardize(x);
  const z = s.apply(x);
  const zMean = z.meanRows();
  const zStd = z
    .map((v, _i, j) => (v - zMean.data[j]) ** 2)
    .meanRows()
    .map(Math.sqrt);
  for (let j = 0; j < 4; j++) {
    assert.ok(Math.abs(zMean.data[j]) < 1e-12, `mean ${zMean.data[j]}`);
    assert.ok(Math.abs(zStd.data[j] - 1) < 1e-12, `std ${zStd.data[j]}`);
  }
});

test("standardize uses the biased std (÷N) and applies the TRAINING statistics to other data", () => {
  const train = Matrix.from([
    [1, 10],
    [3, 10],
    [5, 10],
    [7, 10],
  ]); // column 0: mean 4, std √5; column 1 constant
  const s = standardize(train);
  assert.deepEqual(s.mean.toArray(), [[4, 10]]);
  assert.deepEqual(s.std.toArray(), [[Math.sqrt(5), 1]]); // constant feature: std 0 → 1
  const test = Matrix.from([[9, 12]]);
  assert.deepEqual(s.apply(test).toArray(), [[5 / Math.sqrt(5), 2]]);
  assert.ok(s.apply(train).data.every(Number.isFinite)); // no NaN from the constant column
});

test("standardize accepts a Dataset and keeps the labels", () => {
  const data = tracedDataset(6);
  const s = standardize(data);
  const out = s.apply(data);
  assert.equal(out.y, data.y);
  assert.deepEqual(out.x.shape, [6, 2]);
  assert.throws(() => s.apply(new Matrix(2, 3)), /Standardizer\.apply: expected inputs with 2 features .*got 3/);
  assert.throws(() => standardize(new Matrix(0, 3)), /standardize train: got an empty batch \[0, 3\]/);
});

test("trainValidationSplit: sizes, no overlap, nothing lost, labels kept with their rows", () => {
  const data = tracedDataset(103);
  const { train, validation } = trainValidationSplit(data, { validationFraction: 0.3, rng: makeRng(12) });
  assert.equal(validation.y.length, 31); // round(103 · 0.3) = round(30.9)
  assert.equal(train.y.length, 72);
  const ids = [...train.x.toArray(), ...validation.x.toArray()].map((row) => row[0]).sort((a, b) => a - b);
  assert.deepEqual(ids, [...Array(103).keys()]);
  assertPairsKept(train);
  assertPairsKept(validation);
  assert.notDeepEqual(
    validation.x.toArray().map((row) => row[0]),
    [...Array(31).keys()],
  ); // shuffled, not the first rows
});

test("trainValidationSplit: the same seed gives the same split", () => {
  const data = tracedDataset(50);
  const a = trainValidationSplit(data, { rng: makeRng(13) });
  const b = trainValidationSplit(data, { rng: makeRng(13) });
  assert.deepEqual(a.validation.x.data, b.validation.x.data);
  assert.equal(a.validation.y.length, 10); // default fraction 0.2
});

test("trainValidationSplit: bad fractions and too little data are InputErrors", () => {
  const rng = makeRng(14);
  for (const validationFraction of [0, 1, -0.1, 1.5, NaN]) {
    assert.throws(
      () => trainValidationSplit(tracedDataset(10), { validationFraction, rng }),
      /validationFraction must lie strictly between 0 and 1/,
    );
  }
  assert.throws(
    () => trainValidationSplit(tracedDataset(2), { validationFraction: 0.1, rng }),
    /leaves 0 for validation and 2 for training; both need at least 1/,
  );
});

test("shuffleDataset permutes the examples and keeps each label with its row", () => {
  const data = tracedDataset(40);
  const shuffled = shuffleDataset(data, makeRng(15));
  const ids = shuffled.x.toArray().map((row) => row[0]);
  assert.notDeepEqual(ids, [...Array(40).keys()]);
  assert.deepEqual(
    ids.slice().sort((a, b) => a - b),
    [...Array(40).keys()],
  );
  assertPairsKept(shuffled);
  assert.equal(data.x.get(5, 0), 5); // input unchanged
});

test("subsetDataset picks rows in order and rejects indices out of range", () => {
  const picked = subsetDataset(tracedDataset(10), [7, 2, 7]);
  assert.deepEqual(picked.x.toArray(), [
    [7, 70],
    [2, 20],
    [7, 70],
  ]);
  assert.deepEqual(Array.from(picked.y), [1, 2, 1]);
  assert.throws(() => subsetDataset(tracedDataset(10), [3, 10]), /index 10 \(position 1\) is outside 0…9/);
});

test("assertDataset and classCounts", () => {
  assert.throws(
    () => assertDataset({ x: new Matrix(3, 2), y: new Int32Array(2) }, "fit train"),
    /fit train: x has 3 rows but y has 2 labels/,
  );
  assert.throws(() => assertDataset({ x: new Matrix(1, 2), y: Int32Array.from([-1]) }, "f"), /label y\[0\] = -1/);
  assert.deepEqual(classCounts(Int32Array.from([2, 0, 2, 2])), [1, 0, 3]);
  assert.deepEqual(classCounts(Int32Array.from([1]), 4), [0, 1, 0, 0]);
  assert.throws(() => classCounts(Int32Array.from([5]), 3), /label 5 at 0 is ≥ classes = 3/);
});
