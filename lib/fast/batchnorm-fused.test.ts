import { test } from "node:test";
import assert from "node:assert/strict";
import { Matrix } from "../core/matrix";
import { makeRng, type Rng } from "../core/random";
import { numericalGradient, numericalGradientOf, relError, maxAbsDiff } from "../gradcheck";
import { batchNormForward, batchNormBackward } from "../normalization/batchnorm-functional";
import { Workspace } from "../core/workspace";
import { batchNormForwardFused, batchNormBackwardFused, BATCHNORM_COLUMN_WALK_MAX } from "./batchnorm-fused";

/** x with mean ≠ 0 and a different scale per feature; random γ and β ≠ 0. */
function inputs(rng: Rng, N: number, D: number) {
  const x = new Matrix(N, D, rng.normalArray(N * D, 0, 1)).map((v, _i, j) => 3 + 0.5 * j + (1 + j) * v);
  const gamma = new Matrix(1, D, rng.normalArray(D, 1, 0.5));
  const beta = new Matrix(1, D, rng.normalArray(D, 0.3, 1));
  const dOut = new Matrix(N, D, rng.normalArray(N * D));
  return { x, gamma, beta, dOut };
}

test("the fused passes give the plain functions' numbers (forward and backward, biased and unbiased)", () => {
  const rng = makeRng(21);
  for (const [N, D] of [
    [2, 1],
    [7, 3],
    [60, 100],
    [61, 17],
  ]) {
    for (const unbiased of [false, true]) {
      const { x, gamma, beta, dOut } = inputs(rng, N, D);
      const plain = batchNormForward(x, gamma, beta, 1e-5, { unbiased });
      const fused = batchNormForwardFused(x, gamma, beta, 1e-5, { unbiased });
      for (const key of ["out", "mean", "variance"] as const)
        assert.ok(maxAbsDiff(fused[key], plain[key]) <= 1e-12, `${key} [${N}, ${D}]`);
      const plainGrads = batchNormBackward(dOut, plain.cache);
      const fusedGrads = batchNormBackwardFused(dOut, fused.cache);
      for (const key of ["dX", "dGamma", "dBeta"] as const)
        assert.ok(maxAbsDiff(fusedGrads[key], plainGrads[key]) <= 1e-12, `${key} [${N}, ${D}]`);
    }
  }
});

test("the fused backward matches finite differences for x, gamma and beta", () => {
  const rng = makeRng(22);
  const { x, gamma, beta, dOut } = inputs(rng, 6, 4);
  const forward = (input: Matrix) => batchNormForwardFused(input, gamma, beta, 1e-5).out.clone();
  const { cache } = batchNormForwardFused(x, gamma, beta, 1e-5);
  const { dX, dGamma, dBeta } = batchNormBackwardFused(dOut, cache);
  assert.ok(relError(dX, numericalGradient(forward, x, dOut)) < 1e-7);
  const loss = () => {
    const out = batchNormForwardFused(x, gamma, beta, 1e-5).out;
    return out.data.reduce((s, v, i) => s + v * dOut.data[i], 0); // Σ out ⊙ dOut
  };
  assert.ok(relError(dGamma, numericalGradientOf(loss, gamma)) < 1e-7);
  assert.ok(relError(dBeta, numericalGradientOf(loss, beta)) < 1e-7);
});

test(
  "with reuse the results live in the workspace, reused for the " +
    "same shape and remade for a new one; without, they are new",
  () => {
    const rng = makeRng(23);
    const workspace = new Workspace();
    const a = inputs(rng, 5, 3);
    const first = batchNormForwardFused(a.x, a.gamma, a.beta, 1e-5, { workspace, reuse: true });
    const again = batchNormForwardFused(a.x, a.gamma, a.beta, 1e-5, { workspace, reuse: true });
    assert.equal(again.out, first.out); // same buffer, no allocation
    assert.equal(again.cache.xHat, first.cache.xHat);
    const kept = batchNormForwardFused(a.x, a.gamma, a.beta, 1e-5, { workspace });
    assert.notEqual(kept.out, first.out); // a new matrix the caller may keep…
    assert.deepEqual(kept.out.data, first.out.data); // …with the same numbers
    assert.notEqual(kept.cache.xHat, first.cache.xHat); // its cache too: the next forward does not overwrite it
    const dX = batchNormBackwardFused(a.dOut, kept.cache, { workspace, reuse: true }).dX;
    assert.equal(batchNormBackwardFused(a.dOut, kept.cache, { workspace, reuse: true }).dX, dX);
    assert.notEqual(batchNormBackwardFused(a.dOut, kept.cache, { workspace }).dX, dX);
    const b = inputs(rng, 4, 2);
    const other = batchNormForwardFused(b.x, b.gamma, b.beta, 1e-5, { workspace, reuse: true });
    assert.deepEqual(other.out.shape, [4, 2]);
    assert.ok(maxAbsDiff(other.out, batchNormForward(b.x, b.gamma, b.beta, 1e-5).out) <= 1e-12);
  },
);

test("the fused passes normalize each feature to mean β and standard deviation |γ|", () => {
  const rng = makeRng(24);
  const { x, gamma, beta } = inputs(rng, 200, 3);
  const { out } = batchNormForwardFused(x, gamma, beta, 1e-8);
  const mean = out.meanRows();
  const variance = out.map((v, _i, j) => (v - mean.data[j]) ** 2).meanRows();
  for (let j = 0; j < 3; j++) {
    assert.ok(Math.abs(mean.data[j] - beta.data[j]) < 1e-10);
    assert.ok(Math.abs(Math.sqrt(variance.data[j]) - Math.abs(gamma.data[j])) < 1e-6);
  }
});

test("the fused passes reject mismatched shapes and a one-row batch for the unbiased variance", () => {
  const rng = makeRng(25);
  const { x, gamma, beta, dOut } = inputs(rng, 3, 2);
  assert.throws(() => batchNormForwardFused(x, Matrix.zeros(1, 3), beta, 1e-5), /gamma/);
  assert.throws(() => batchNormForwardFused(x.rowAt(0), gamma, beta, 1e-5, { unbiased: true }), /at least 2 rows/);
  const { cache } = batchNormForwardFused(x, gamma, beta, 1e-5);
  assert.throws(() => batchNormBackwardFused(dOut.rowAt(0), cache), /dOut/);
});

test("the column walk (small x) and the row walk (large x) give bit-identical numbers", () => {
  const rng = makeRng(26);
  // N·D > BATCHNORM_COLUMN_WALK_MAX: row walk; its first 10 columns alone: column walk
  const [N, D, kept] = [129, 128, 10];
  assert.ok(N * D > BATCHNORM_COLUMN_WALK_MAX && N * kept <= BATCHNORM_COLUMN_WALK_MAX);
  const { x, gamma, beta, dOut } = inputs(rng, N, D);
  const columns = (m: Matrix) =>
    new Matrix(
      m.rows,
      kept,
      Float64Array.from({ length: m.rows * kept }, (_, k) => m.data[Math.floor(k / kept) * m.cols + (k % kept)]),
    );
  const large = batchNormForwardFused(x, gamma, beta, 1e-5, { unbiased: true });
  const small = batchNormForwardFused(columns(x), columns(gamma), columns(beta), 1e-5, { unbiased: true });
  for (const key of ["out", "mean", "variance"] as const)
    assert.deepEqual(columns(large[key]).data, small[key].data, key);
  const largeGrads = batchNormBackwardFused(dOut, large.cache);
  const smallGrads = batchNormBackwardFused(columns(dOut), small.cache);
  for (const key of ["dX", "dGamma", "dBeta"] as const)
    assert.deepEqual(columns(largeGrads[key]).data, smallGrads[key].data, key);
});
