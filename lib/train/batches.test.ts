import { test } from "node:test";
import assert from "node:assert/strict";
import { InputError } from "../core/checks";
import { Matrix } from "../core/matrix";
import { makeRng } from "../core/random";
import { batches } from "./batches";

// 10 examples, x row i = [i, 10·i], y[i] = i mod 3: each row says where it came from.
const dataset = () => ({
  x: Matrix.from([...Array(10).keys()].map((i) => [i, 10 * i])),
  y: Int32Array.from([...Array(10).keys()].map((i) => i % 3)),
});

test("every example appears exactly once per epoch, with its own x and y", () => {
  const data = dataset();
  const seen: number[] = [];
  for (const { x, y, indices } of batches(data, { batchSize: 4, rng: makeRng(1) })) {
    indices.forEach((i, r) => {
      assert.deepEqual([x.get(r, 0), x.get(r, 1), y[r]], [i, 10 * i, i % 3]);
      seen.push(i);
    });
  }
  assert.deepEqual(
    seen.slice().sort((a, b) => a - b),
    [...Array(10).keys()],
  );
  assert.notDeepEqual(seen, [...Array(10).keys()]); // shuffled
});

test("batch sizes are 4, 4, 2 for N = 10, B = 4; dropLast gives 4, 4", () => {
  const sizes = (dropLast: boolean) =>
    [...batches(dataset(), { batchSize: 4, rng: makeRng(2), dropLast })].map((b) => b.x.rows);
  assert.deepEqual(sizes(false), [4, 4, 2]);
  assert.deepEqual(sizes(true), [4, 4]);
  assert.deepEqual(
    [...batches(dataset(), { batchSize: 5, rng: makeRng(2), dropLast: true })].map((b) => b.y.length),
    [5, 5],
  );
});

test("shuffle: false keeps the order 0 … N−1 and needs no rng", () => {
  const order = [...batches(dataset(), { batchSize: 3, shuffle: false })].flatMap((b) => Array.from(b.indices));
  assert.deepEqual(order, [...Array(10).keys()]);
});

test("the same seed gives the same order; the next epoch gives a new one", () => {
  const orderOf = (rng: ReturnType<typeof makeRng>) => [...batches(dataset(), { batchSize: 10, rng })][0].indices;
  assert.deepEqual(orderOf(makeRng(3)), orderOf(makeRng(3)));
  const rng = makeRng(3);
  assert.notDeepEqual(orderOf(rng), orderOf(rng));
});

test("rejects a bad batchSize, mismatched labels and a shuffle without rng, at once", () => {
  assert.throws(
    () => batches(dataset(), { batchSize: 0, rng: makeRng(1) }),
    /batches: batchSize must be a whole number ≥ 1, got 0/,
  );
  assert.throws(() => batches(dataset(), { batchSize: 2.5, rng: makeRng(1) }), InputError);
  const bad = { x: Matrix.zeros(3, 2), y: new Int32Array(2) };
  assert.throws(() => batches(bad, { batchSize: 2, rng: makeRng(1) }), /x has 3 rows but y has 2 labels/);
  assert.throws(() => batches(dataset(), { batchSize: 2 }), /batches: shuffle needs an rng/);
});

test("reuse: the same batch object is refilled with exactly the rows a fresh batch would hold", () => {
  const fresh = [...batches(dataset(), { batchSize: 4, rng: makeRng(5) })].map(({ x, y, indices }) => [
    x.toArray(),
    Array.from(y),
    Array.from(indices),
  ]);
  const reused: unknown[] = [];
  const objects = new Set<unknown>();
  for (const batch of batches(dataset(), { batchSize: 4, rng: makeRng(5), reuse: true })) {
    objects.add(batch.x);
    reused.push([batch.x.toArray(), Array.from(batch.y), Array.from(batch.indices)]);
  }
  assert.deepEqual(reused, fresh);
  assert.equal(objects.size, 2); // one [4, 2] buffer for the two full batches, one [2, 2] for the last
});
