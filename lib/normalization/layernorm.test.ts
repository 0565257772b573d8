import { test } from "node:test";
import assert from "node:assert/strict";
import { Matrix } from "../core/matrix";
import { makeRng } from "../core/random";
import { numericalGradient, numericalGradientOf, relError } from "../gradcheck";
import { contract, layerGradientErrors } from "../layers/test-helpers";
import { batchNormForward } from "./batchnorm-functional";
import { LayerNorm } from "./layernorm";
import { layerNormBackward, layerNormForward } from "./layernorm-functional";
import {
  assertClose,
  assertGoldenPass,
  goldenMatrix,
  goldenNumber,
  loadGolden,
  makeAffine,
  makeBatch,
} from "./golden-fixture";

// Golden values: /usr/bin/python3 scripts/golden/make_golden.py  (torch.nn.LayerNorm(5), float64) → golden.json
test("forward and backward match torch.nn.LayerNorm", () => {
  const g = loadGolden("layerNorm");
  const layer = new LayerNorm(5, { eps: goldenNumber(g, "eps") });
  layer.gamma.value.data.set(goldenMatrix(g, "gamma").data);
  layer.beta.value.data.set(goldenMatrix(g, "beta").data);
  assertGoldenPass(layer, g);
});

test("dX, dGamma, dBeta agree with finite differences", () => {
  const rng = makeRng(61);
  const x = makeBatch(rng, 5, 4).map((v, i) => v + 3 * i); // rows with different means too
  const { gamma, beta } = makeAffine(rng, 4);
  const dOut = new Matrix(5, 4, rng.normalArray(20));
  const grads = layerNormBackward(dOut, layerNormForward(x, gamma, beta, 1e-5).cache);
  const forward = () => layerNormForward(x, gamma, beta, 1e-5).out;
  assert.ok(
    relError(
      grads.dX,
      numericalGradient((v) => layerNormForward(v, gamma, beta, 1e-5).out, x, dOut),
    ) < 1e-7,
    "dX",
  );
  assert.ok(
    relError(
      grads.dGamma,
      numericalGradientOf(() => contract(forward(), dOut), gamma),
    ) < 1e-7,
    "dGamma",
  );
  assert.ok(
    relError(
      grads.dBeta,
      numericalGradientOf(() => contract(forward(), dOut), beta),
    ) < 1e-7,
    "dBeta",
  );
});

test("the layer's gradients agree with finite differences", () => {
  const rng = makeRng(62);
  const layer = new LayerNorm(3);
  layer.gamma.value.data.set([0.7, 1.9, 1.3]);
  layer.beta.value.data.set([-0.5, 0.25, 2]);
  const errors = layerGradientErrors(layer, makeBatch(rng, 4, 3), new Matrix(4, 3, rng.normalArray(12)));
  assert.deepEqual(Object.keys(errors), ["x", "gamma", "beta"]);
  for (const [name, err] of Object.entries(errors)) assert.ok(err < 1e-7, `${name}: relError ${err}`);
});

test("gradients accumulate over backward calls until zeroGrad", () => {
  const rng = makeRng(65);
  const layer = new LayerNorm(3);
  const [x, dOut] = [makeBatch(rng, 4, 3), new Matrix(4, 3, rng.normalArray(12))];
  layer.forward(x);
  layer.backward(dOut);
  const once = [layer.gamma.grad.clone(), layer.beta.grad.clone()];
  layer.backward(dOut);
  assertClose(layer.gamma.grad, once[0].scale(2), "gamma twice", 1e-15);
  assertClose(layer.beta.grad, once[1].scale(2), "beta twice", 1e-15);
  layer.zeroGrad();
  assert.ok([...layer.gamma.grad.data, ...layer.beta.grad.data].every((g) => g === 0));
});

test("pins the documented formula: each row over its features, σ² ÷D, ε inside the root", () => {
  // row [1, 2, 3, 6]: μ = 3, σ² = 3.5, √(3.5 + 0.5) = 2; γ = 2, β = 1 → x − 2
  const { out, mean, variance } = layerNormForward(
    Matrix.from([
      [1, 2, 3, 6],
      [0, 0, 0, 0],
    ]),
    Matrix.full(1, 4, 2),
    Matrix.full(1, 4, 1),
    0.5,
  );
  assert.deepEqual(mean.toArray(), [[3], [0]]);
  assert.deepEqual(variance.toArray(), [[3.5], [0]]);
  assert.deepEqual(out.toArray(), [
    [-1, 0, 1, 4],
    [1, 1, 1, 1],
  ]);
});

test("normalizes each row to mean 0, variance 1, whatever the batch, even one example", () => {
  const rng = makeRng(63);
  const x = makeBatch(rng, 6, 5);
  const layer = new LayerNorm(5, { eps: 1e-12 });
  const out = layer.forward(x);
  assertClose(out.meanCols(), Matrix.zeros(6, 1), "row means", 0, 1e-12);
  assertClose(out.mul(out).meanCols(), Matrix.full(6, 1, 1), "row variances", 1e-9);
  assertClose(layer.forward(x.rowAt(2)), out.rowAt(2), "one example alone", 1e-15);
  layer.eval();
  assertClose(layer.forward(x), out, "eval", 0, 0);
});

test("LayerNorm is BatchNorm of the transpose (without γ, β)", () => {
  const rng = makeRng(64);
  const x = makeBatch(rng, 4, 6);
  const viaBatchNorm = batchNormForward(x.transpose(), Matrix.full(1, 4, 1), Matrix.zeros(1, 4), 1e-5).out.transpose();
  assertClose(
    layerNormForward(x, Matrix.full(1, 6, 1), Matrix.zeros(1, 6), 1e-5).out,
    viaBatchNorm,
    "out",
    1e-12,
    1e-14,
  );
});

test("elementwiseAffine: false has no parameters; bad inputs name the layer", () => {
  const plain = new LayerNorm(2, { elementwiseAffine: false });
  assert.deepEqual(plain.parameters(), []);
  assert.equal(new LayerNorm(2).name, "LayerNorm(2)");
  assert.throws(() => plain.backward(Matrix.zeros(1, 2)), /LayerNorm\(2\)\.backward: backward called before forward/);
  assert.throws(
    () => plain.forward(Matrix.zeros(3, 4)),
    /LayerNorm\(2\)\.forward x: expected shape \[N, 2\], got \[3, 4\]/,
  );
  assert.throws(() => plain.forward(Matrix.zeros(0, 2)), /LayerNorm\(2\)\.forward x: got an empty batch/);
  plain.forward(Matrix.from([[1, 2]]));
  assert.throws(
    () => plain.backward(Matrix.zeros(2, 2)),
    /LayerNorm\(2\)\.backward dOut: expected shape \[1, 2\], got \[2, 2\]/,
  );
  assert.throws(() => new LayerNorm(2, { eps: 0 }), /LayerNorm\(2\): eps must be a finite number > 0, got 0/);
  assert.throws(() => new LayerNorm(0), /LayerNorm: numFeatures must be a whole number ≥ 1, got 0/);
});

test("the pure functions refuse bad shapes and eps, naming the function", () => {
  const x = Matrix.zeros(2, 3);
  const [one, zero] = [Matrix.full(1, 3, 1), Matrix.zeros(1, 3)];
  assert.throws(
    () => layerNormForward(x, Matrix.row([1, 1]), zero, 1e-5),
    /^InputError: layerNormForward gamma: expected shape \[1, 3\], got \[1, 2\]/,
  );
  assert.throws(
    () => layerNormForward(x, one, Matrix.zeros(3, 1), 1e-5),
    /layerNormForward beta: expected shape \[1, 3\], got \[3, 1\]/,
  );
  assert.throws(() => layerNormForward(x, one, zero, 0), /layerNormForward: eps must be a finite number > 0, got 0/);
  assert.throws(
    () => layerNormForward(Matrix.zeros(0, 3), one, zero, 1e-5),
    /layerNormForward x: got an empty batch \[0, 3\]/,
  );
  const { cache } = layerNormForward(x, one, zero, 1e-5);
  assert.throws(
    () => layerNormBackward(Matrix.zeros(3, 2), cache),
    /layerNormBackward dOut: expected shape \[2, 3\], got \[3, 2\]/,
  );
});
