import { test } from "node:test";
import assert from "node:assert/strict";
import { Matrix } from "../core/matrix";
import { makeRng, type Rng } from "../core/random";
import { Linear } from "./linear";
import { layerGradientErrors, randomBatch } from "./test-helpers";

/** A Linear(3→2) with hand-set weights W = [[1, 2], [3, 4], [5, 6]] and b = [10, 20]. */
function handLinear(): Linear {
  const layer = new Linear(3, 2, { rng: makeRng(1) });
  layer.weight.value.data.set([1, 2, 3, 4, 5, 6]);
  if (layer.bias) layer.bias.value.data.set([10, 20]);
  return layer;
}

test("forward computes x·W + b as written by hand", () => {
  const out = handLinear().forward(
    Matrix.from([
      [1, 0, -1],
      [2, 1, 0],
    ]),
  );
  // row 0: [1−5, 2−6] + b = [6, 16]; row 1: [2+3, 4+4] + b = [15, 28]
  assert.deepEqual(out.toArray(), [
    [6, 16],
    [15, 28],
  ]);
});

test("backward gives dW = xᵀ·dOut, dB = Σ rows dOut, dX = dOut·Wᵀ (hand example)", () => {
  const layer = handLinear();
  layer.forward(
    Matrix.from([
      [1, 0, -1],
      [2, 1, 0],
    ]),
  );
  const dX = layer.backward(
    Matrix.from([
      [1, 0],
      [0, 2],
    ]),
  );
  assert.deepEqual(dX.toArray(), [
    [1, 3, 5],
    [4, 8, 12],
  ]);
  assert.deepEqual(layer.weight.grad.toArray(), [
    [1, 4],
    [0, 2],
    [-1, 0],
  ]);
  assert.deepEqual(layer.bias?.grad.toArray(), [[1, 2]]);
});

function randomLinear(rng: Rng, bias: boolean): Linear {
  const layer = new Linear(4, 3, { rng, bias, init: "xavier" });
  if (layer.bias) layer.bias.value.data.set(rng.normalArray(3, 0.5, 1)); // b ≠ 0
  return layer;
}

test("backward matches finite differences for x, weight and bias", () => {
  const rng = makeRng(7);
  const layer = randomLinear(rng, true);
  const errors = layerGradientErrors(layer, randomBatch(rng, 5, 4), randomBatch(rng, 5, 3, -0.2, 1));
  assert.deepEqual(Object.keys(errors), ["x", "weight", "bias"]);
  for (const [name, err] of Object.entries(errors)) assert.ok(err < 1e-7, `${name}: relError ${err}`);
});

test("without a bias: one parameter, no bias, and gradients still check", () => {
  const rng = makeRng(8);
  const layer = randomLinear(rng, false);
  assert.equal(layer.hasBias, false);
  assert.equal(layer.bias, undefined);
  assert.deepEqual(
    layer.parameters().map((p) => p.name),
    ["weight"],
  );
  const x = randomBatch(rng, 6, 4);
  assert.deepEqual(layer.forward(x).toArray(), x.matmul(layer.weight.value).toArray());
  const errors = layerGradientErrors(layer, x, randomBatch(rng, 6, 3));
  for (const [name, err] of Object.entries(errors)) assert.ok(err < 1e-7, `${name}: relError ${err}`);
});

test("gradients accumulate: two backward passes add up, zeroGrad clears them", () => {
  const rng = makeRng(9);
  const layer = randomLinear(rng, true);
  const x = randomBatch(rng, 5, 4);
  const dOut = randomBatch(rng, 5, 3);
  layer.forward(x);
  layer.backward(dOut);
  const once = layer.parameters().map((p) => p.grad.clone());
  layer.backward(dOut);
  layer.parameters().forEach((p, k) => assert.deepEqual(p.grad.toArray(), once[k].scale(2).toArray()));
  layer.zeroGrad();
  for (const p of layer.parameters())
    assert.equal(
      p.grad.data.every((v) => v === 0),
      true,
    );
});

test("the same seed gives bit-identical weights; another seed does not", () => {
  const a = new Linear(5, 4, { rng: makeRng(42) });
  const b = new Linear(5, 4, { rng: makeRng(42) });
  const c = new Linear(5, 4, { rng: makeRng(43) });
  assert.deepEqual(a.weight.value.data, b.weight.value.data);
  assert.notDeepEqual(a.weight.value.data, c.weight.value.data);
  assert.deepEqual(Array.from(a.bias?.value.data ?? []), [0, 0, 0, 0]);
});

test("init chooses the weight scale: { gaussian: 0 } gives zeros, gaussian scales the draw", () => {
  assert.ok(new Linear(3, 3, { rng: makeRng(1), init: { gaussian: 0 } }).weight.value.data.every((v) => v === 0));
  const unit = new Linear(3, 3, { rng: makeRng(1), init: { gaussian: 1 } }).weight.value;
  const small = new Linear(3, 3, { rng: makeRng(1), init: { gaussian: 0.01 } }).weight.value;
  small.data.forEach((v, i) => assert.ok(Math.abs(v - 0.01 * unit.data[i]) < 1e-15));
});

test("shape errors name the layer, the expected and the actual shape", () => {
  const layer = new Linear(3, 4, { rng: makeRng(1) });
  assert.equal(layer.name, "Linear(3→4)");
  assert.throws(() => layer.forward(Matrix.zeros(5, 2)), {
    name: "InputError",
    message:
      /^Linear\(3→4\)\.forward x: expected shape \[N, 3\], got \[5, 2\]\. Linear\(3→4\) takes 3 features per row\.$/,
  });
  layer.forward(Matrix.zeros(5, 3));
  assert.throws(
    () => layer.backward(Matrix.zeros(5, 3)),
    /Linear\(3→4\)\.backward dOut: expected shape \[5, 4\], got \[5, 3\]/,
  );
});

test("empty batches, backward before forward, bad sizes and a missing rng are clear errors", () => {
  const layer = new Linear(3, 4, { rng: makeRng(1) });
  assert.throws(() => layer.forward(Matrix.zeros(0, 3)), /Linear\(3→4\)\.forward x: got an empty batch \[0, 3\]/);
  assert.throws(() => layer.backward(Matrix.zeros(2, 4)), /Linear\(3→4\)\.backward: backward called before forward/);
  assert.throws(() => new Linear(0, 4, { rng: makeRng(1) }), /Linear: inFeatures must be a whole number ≥ 1, got 0/);
  assert.throws(
    () => new Linear(3, 2.5, { rng: makeRng(1) }),
    /Linear: outFeatures must be a whole number ≥ 1, got 2\.5/,
  );
  const untyped = Linear as unknown as new (a: number, b: number, options?: object) => Linear;
  assert.throws(() => new untyped(3, 4), /Linear\(3→4\): pass a seeded generator/);
  assert.throws(
    () => new untyped(3, 4, { rng: makeRng(1), init: "uniform" }),
    /init must be "he", "xavier" or \{ gaussian: scale \}, got "uniform"/,
  );
});

test("outputSize is outFeatures", () => {
  assert.equal(new Linear(3, 7, { rng: makeRng(1) }).outputSize(3), 7);
});
