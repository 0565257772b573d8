import { test } from "node:test";
import assert from "node:assert/strict";
import { Matrix } from "../core/matrix";
import { makeRng } from "../core/random";
import { numericalGradient, relError } from "../gradcheck";
import { Dropout } from "./dropout";
import { randomBatch } from "./test-helpers";

test("in training, about p of the units are dropped and the rest are scaled by 1/(1 − p)", () => {
  const p = 0.3;
  const x = Matrix.full(200, 100, 2);
  const out = new Dropout(p, { rng: makeRng(1) }).forward(x);
  const dropped = out.data.filter((v) => v === 0).length / out.size;
  assert.ok(Math.abs(dropped - p) < 0.01, `dropped fraction ${dropped}`); // 20 000 draws: std ≈ 0.003
  assert.ok(out.data.every((v) => v === 0 || v === 2 / (1 - p)));
  assert.ok(Math.abs(out.sum() / out.size - 2) < 0.03, "inverted dropout keeps the mean");
});

test("in eval mode dropout is the identity, forward and backward", () => {
  const rng = makeRng(2);
  const layer = new Dropout(0.5, { rng });
  layer.eval();
  const x = randomBatch(rng, 4, 3);
  assert.deepEqual(layer.forward(x).toArray(), x.toArray());
  const dOut = randomBatch(rng, 4, 3);
  assert.deepEqual(layer.backward(dOut).toArray(), dOut.toArray());
  layer.train();
  assert.notDeepEqual(layer.forward(x).toArray(), x.toArray());
});

test("backward multiplies by the mask of the last forward", () => {
  const rng = makeRng(3);
  const layer = new Dropout(0.4, { rng });
  const x = randomBatch(rng, 5, 6);
  const out = layer.forward(x);
  const dOut = randomBatch(rng, 5, 6);
  const dX = layer.backward(dOut);
  dX.data.forEach((g, k) => {
    const mask = out.data[k] / x.data[k]; // 0 or 1/(1 − p)
    assert.ok(Math.abs(g - dOut.data[k] * mask) < 1e-12);
  });
});

test("backward matches finite differences (the mask fixed by reseeding)", () => {
  const rng = makeRng(4);
  const x = randomBatch(rng, 5, 4);
  const dOut = randomBatch(rng, 5, 4);
  const fixedMask = (v: Matrix) => new Dropout(0.25, { rng: makeRng(99) }).forward(v); // same mask every call
  const layer = new Dropout(0.25, { rng: makeRng(99) });
  layer.forward(x);
  const err = relError(layer.backward(dOut), numericalGradient(fixedMask, x, dOut));
  assert.ok(err < 1e-7, `relError ${err}`);
});

test("p = 0 keeps everything; the same seed gives the same mask", () => {
  const x = randomBatch(makeRng(5), 3, 4);
  assert.deepEqual(new Dropout(0, { rng: makeRng(1) }).forward(x).toArray(), x.toArray());
  const a = new Dropout(0.5, { rng: makeRng(6) }).forward(x);
  const b = new Dropout(0.5, { rng: makeRng(6) }).forward(x);
  assert.deepEqual(a.data, b.data);
});

test("bad p, a missing rng, empty batches and backward before forward are clear errors", () => {
  assert.throws(
    () => new Dropout(1, { rng: makeRng(1) }),
    /Dropout: p is the probability of dropping a unit and must lie in \[0, 1\), got 1/,
  );
  assert.throws(() => new Dropout(-0.1, { rng: makeRng(1) }), /got -0.1/);
  const untyped = Dropout as unknown as new (p: number) => Dropout;
  assert.throws(() => new untyped(0.5), /Dropout\(p=0.5\): pass a seeded generator/);
  const layer = new Dropout(0.5, { rng: makeRng(1) });
  assert.throws(() => layer.backward(Matrix.zeros(2, 2)), /Dropout\(p=0.5\)\.backward: backward called before forward/);
  assert.throws(() => layer.forward(Matrix.zeros(0, 2)), /Dropout\(p=0.5\)\.forward x: got an empty batch/);
  layer.forward(Matrix.zeros(2, 2));
  assert.throws(
    () => layer.backward(Matrix.zeros(2, 3)),
    /Dropout\(p=0.5\)\.backward dOut: expected shape \[2, 2\], got \[2, 3\]/,
  );
});
