/**
 * Property tests, seeded and bounded in time: over random valid inputs (shapes, values, options)
 * every fast kernel agrees with the readable reference — the GEMM kernels to ≈1e-12 relative, the
 * fused BatchNorm passes bit for bit (they do the same operations in the same order).
 * Shapes are drawn small most of the time; every 10th case is large enough to take the fused passes'
 * row walk (N·D > BATCHNORM_COLUMN_WALK_MAX) and the packed kernel's several blocks.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { gemmReference, type GemmKernel } from "../core/gemm";
import { Matrix } from "../core/matrix";
import { makeRng, type Rng } from "../core/random";
import { Workspace } from "../core/workspace";
import { batchNormBackward, batchNormForward } from "../normalization/batchnorm-functional";
import { BatchNorm1d } from "../normalization/batchnorm1d";
import { BATCHNORM_COLUMN_WALK_MAX, batchNormBackwardFused, batchNormForwardFused } from "./batchnorm-fused";
import { gemmRelativeError } from "./compare-kernels";
import { gemmPacked } from "./gemm-packed";
import { useFastKernels, useReferenceKernels, wasmGemmKernel } from "./kernels";

const BUDGET_MS = 1000; // per property: as many cases as fit, at least MIN_CASES
const MIN_CASES = 20;

/**
 * Runs `check(rng, k)` for case k = 0, 1, … until the time budget is spent (and at least MIN_CASES); returns the count.
 */
function forRandomCases(seed: number, check: (rng: Rng, k: number) => void): number {
  const rng = makeRng(seed);
  const started = performance.now();
  let k = 0;
  for (; k < MIN_CASES || performance.now() - started < BUDGET_MS; k++) check(rng.fork(), k);
  return k;
}

/** A size: mostly min…12, sometimes up to `large`. */
function size(rng: Rng, large: number, min = 0): number {
  return rng.uniform() < 0.8 ? min + rng.int(13 - min) : min + rng.int(large - min + 1);
}

/** A size in [low, high]: every 10th case is large, so each run, however short, covers the big-shape paths. */
function between(rng: Rng, low: number, high: number): number {
  return low + rng.int(high - low + 1);
}

const fastGemms: [string, GemmKernel][] = [
  ["packed-ts", gemmPacked],
  ...(wasmGemmKernel() ? [["wasm-simd", wasmGemmKernel() as GemmKernel] as [string, GemmKernel]] : []),
];

for (const [name, kernel] of fastGemms) {
  test(`${name} agrees with gemmReference on random shapes, transposes and accumulate (≤ 1e-12 relative)`, () => {
    const cases = forRandomCases(101, (rng, k) => {
      const big = k % 10 === 0; // several packed blocks: m > 64 rows, k > 256 deep
      const shape = big
        ? { m: between(rng, 65, 150), n: between(rng, 5, 150), k: between(rng, 257, 300) }
        : { m: size(rng, 150), n: size(rng, 150), k: size(rng, 300) };
      const flags = {
        transposeA: rng.uniform() < 0.5,
        transposeB: rng.uniform() < 0.5,
        accumulate: rng.uniform() < 0.5,
      };
      const error = gemmRelativeError(kernel, rng, { ...shape, ...flags });
      assert.ok(error <= 1e-12, `case ${k}: ${JSON.stringify({ ...shape, ...flags })} relative error ${error}`);
    });
    assert.ok(cases >= MIN_CASES);
  });
}

test("gemmRelativeError can fail: a kernel that drops the last term is caught", () => {
  const broken: GemmKernel = (args) => gemmReference({ ...args, k: Math.max(0, args.k - 1) });
  assert.ok(
    gemmRelativeError(broken, makeRng(1), {
      m: 3,
      n: 3,
      k: 4,
      transposeA: false,
      transposeB: false,
      accumulate: false,
    }) > 1e-3,
  );
});

/** x with a per-feature offset and scale (mean ≠ 0), γ, β ≠ 0, dOut. */
function batchNormInputs(rng: Rng, N: number, D: number) {
  const offset = rng.normal(0, 5),
    scale = Math.exp(rng.normal(0, 1.5));
  const x = new Matrix(N, D, rng.normalArray(N * D, 0, scale)).map((v, _i, j) => v + offset + j);
  return {
    x,
    gamma: new Matrix(1, D, rng.normalArray(D, 1, 0.5)),
    beta: new Matrix(1, D, rng.normalArray(D, 0, 1)),
    dOut: new Matrix(N, D, rng.normalArray(N * D)),
  };
}

test(
  "the fused BatchNorm passes give the readable functions' " +
    "numbers bit for bit (random N, D, values, unbiased, reuse)",
  () => {
    let rowWalks = 0;
    const workspace = new Workspace();
    const cases = forRandomCases(102, (rng, k) => {
      const big = k % 10 === 0; // N·D > BATCHNORM_COLUMN_WALK_MAX: the row walk
      const [N, D] = big ? [between(rng, 250, 400), between(rng, 70, 90)] : [size(rng, 400, 2), size(rng, 90, 1)];
      const unbiased = rng.uniform() < 0.5,
        reuse = rng.uniform() < 0.5,
        eps = rng.choice([1e-5, 1e-3, 1e-8]);
      const { x, gamma, beta, dOut } = batchNormInputs(rng, N, D);
      if (N * D > BATCHNORM_COLUMN_WALK_MAX) rowWalks += 1;
      const plain = batchNormForward(x, gamma, beta, eps, { unbiased });
      const fused = batchNormForwardFused(x, gamma, beta, eps, { unbiased, workspace, reuse });
      const at = `case ${k} [${N}, ${D}] unbiased ${unbiased} reuse ${reuse}`;
      for (const key of ["out", "mean", "variance"] as const)
        assert.deepEqual(fused[key].data, plain[key].data, `${key}, ${at}`);
      const plainGrads = batchNormBackward(dOut, plain.cache);
      const fusedGrads = batchNormBackwardFused(dOut, fused.cache, { workspace, reuse });
      for (const key of ["dX", "dGamma", "dBeta"] as const)
        assert.deepEqual(fusedGrads[key].data, plainGrads[key].data, `${key}, ${at}`);
    });
    assert.ok(cases >= MIN_CASES);
    assert.ok(rowWalks > 0, "some cases take the row walk");
  },
);

test(
  "BatchNorm1d through the fast kernels equals the readable " +
    "one: outputs, gradients, running statistics, random options",
  () => {
    try {
      forRandomCases(103, (rng, k) => {
        const D = size(rng, 40, 1);
        const options = {
          momentum: rng.choice([0.1, 0.5, null]),
          trainingVariance: rng.choice(["biased", "unbiased"] as const),
          eps: rng.choice([1e-5, 1e-3]),
        };
        const layers = [new BatchNorm1d(D, options), new BatchNorm1d(D, options)];
        for (let step = 0; step < 3; step++) {
          const { x, dOut } = batchNormInputs(rng, size(rng, 200, 2), D);
          const results = layers.map((layer, which) => {
            if (which === 0) useReferenceKernels();
            else useFastKernels();
            const reuse = rng.uniform() < 0.5;
            const out = layer.forward(x, { reuse }).data.slice();
            return { out, dX: layer.backward(dOut, { reuse }).data.slice() };
          });
          assert.deepEqual(results[1], results[0], `case ${k} step ${step} ${JSON.stringify(options)}`);
        }
        for (const key of ["runningMean", "runningVar"] as const)
          assert.deepEqual(layers[1][key].data, layers[0][key].data, `case ${k} ${key}`);
        assert.deepEqual(layers[1].gamma.grad.data, layers[0].gamma.grad.data, `case ${k} dGamma`);
      });
    } finally {
      useReferenceKernels();
    }
  },
);
