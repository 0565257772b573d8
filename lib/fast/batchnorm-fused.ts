/**
 * Batch normalization in fused passes over reused buffers: the same maths as
 * `batchNormForward` / `batchNormBackward` (lib/normalization), the same order of operations
 * (so the same numbers), but each loop does several formula steps at once and no [N, D]
 * matrix is allocated after the first call of a shape.
 *
 * forward, x: [N, D]                                   backward, dOut: [N, D]
 *   pass 1  μ  = (1/N) Σᵢ xᵢ                             pass 1  dBeta = Σᵢ dOut,  dGamma = Σᵢ dOut·x̂
 *   pass 2  σ² = (1/M) Σᵢ (xᵢ − μ)²   (M = N, or N − 1)  pass 2  dX = (γ·invStd/N)·(N·dOut − dBeta − (N/M)·x̂·dGamma)
 *   pass 3  x̂ = (x − μ)·invStd,  out = γ·x̂ + β          with invStd = 1/√(σ² + ε)
 *
 * The plain functions make about ten temporaries per call (each `map`, `mul`, `sumRows`), which
 * costs more than the arithmetic at these sizes. Here the backward's scale lives in a `Workspace` kept
 * from call to call; with `reuse: true` the results and the forward's cache (x̂, invStd) do too
 * (overwritten by the next call with the same workspace), else they are new matrices, so a kept
 * forward's cache stays valid (a rejected batch can then be undone, see `Layer.endForward`). `useFastKernels()`
 * registers this pair
 * in `batchNormKernels` (lib/normalization/batchnorm-kernels.ts).
 *
 * Walk order: a small batch (≤ BATCHNORM_COLUMN_WALK_MAX numbers, e.g. MNIST's 60×100) is walked down one
 * column (feature) at a time, so that feature's μ, invStd, γ, β and running sums stay in registers
 * (about twice as fast); a larger one row by row, because walking down the columns of a big
 * row-major array misses the cache at every step (3× slower at 256×1024). Both walks add the rows
 * in the same order, so they give the same numbers.
 */
import type { Matrix } from "../core/matrix";
import { assertMatrix, assertShape, InputError } from "../core/checks";
import type { BatchNormBackwardCache, NormalizationGradients } from "../normalization/batchnorm-functional";
import { Workspace } from "../core/workspace";
import type { BatchNormBuffers } from "../normalization/batchnorm-kernels";

/** Up to this many numbers in x (128 KiB, in cache) the passes walk column by column; see the file comment. */
export const BATCHNORM_COLUMN_WALK_MAX = 16384;

/**
 * Training-mode batch normalization, fused: out = γ·(x − μ)/√(σ² + ε) + β with the batch's μ, σ².
 * x: [N, D]; gamma, beta: [1, D]. `workspace`, `reuse`: see the file comment.
 */
export function batchNormForwardFused(
  x: Matrix,
  gamma: Matrix,
  beta: Matrix,
  eps: number,
  { unbiased = false, workspace = new Workspace(), reuse = false }: { unbiased?: boolean } & BatchNormBuffers = {},
): { out: Matrix; mean: Matrix; variance: Matrix; cache: BatchNormBackwardCache } {
  assertMatrix(x, "batchNormForwardFused x");
  const { rows: N, cols: D } = x;
  assertShape(gamma, [1, D], "batchNormForwardFused gamma");
  assertShape(beta, [1, D], "batchNormForwardFused beta");
  const varianceDivisor = unbiased ? N - 1 : N;
  if (N === 0 || varianceDivisor < 1)
    throw new InputError(
      `batchNormForwardFused: x is [${N}, ${D}]; the variance needs at least ${unbiased ? 2 : 1} rows.`,
    );
  // the cache: kept only with reuse
  const [xHat, invStd] = [workspace.result("xHat", N, D, { reuse }), workspace.result("invStd", 1, D, { reuse })];
  const out = workspace.result("out", N, D, { reuse });
  const [mean, variance] = [workspace.result("mean", 1, D, { reuse }), workspace.result("variance", 1, D, { reuse })];
  columnMeans(x.data, N, D, mean.data); // pass 1
  columnVariances(x.data, N, D, mean.data, varianceDivisor, variance.data); // pass 2
  for (let j = 0; j < D; j++) invStd.data[j] = 1 / Math.sqrt(variance.data[j] + eps); // 1/√(σ² + ε)
  normalize(x, mean, invStd, gamma, beta, xHat, out); // pass 3
  return { out, mean, variance, cache: { xHat, invStd, gamma, varianceDivisor } };
}

/**
 * Backward of the training-mode batch norm, fused (dOut: [N, D] → dX [N, D], dGamma, dBeta [1, D]):
 *   dX = (γ·invStd/N)·(N·dOut − Σᵢ dOut − (N/M)·x̂·Σᵢ(dOut·x̂)),  dGamma = Σᵢ dOut·x̂,  dBeta = Σᵢ dOut
 * `cache`: a fused forward's, or `batchNormForward`'s; `workspace`, `reuse`: see the file comment.
 */
export function batchNormBackwardFused(
  dOut: Matrix,
  cache: BatchNormBackwardCache,
  { workspace = new Workspace(), reuse = false }: BatchNormBuffers = {},
): NormalizationGradients {
  assertMatrix(dOut, "batchNormBackwardFused dOut");
  const { xHat, invStd, gamma, varianceDivisor } = cache;
  const { rows: N, cols: D } = xHat;
  assertShape(dOut, [N, D], "batchNormBackwardFused dOut");
  const dXScale = workspace.matrix("dXScale", 1, D);
  const dX = workspace.result("dX", N, D, { reuse });
  const [dGamma, dBeta] = [workspace.result("dGamma", 1, D, { reuse }), workspace.result("dBeta", 1, D, { reuse })];
  columnGradientSums(dOut.data, xHat.data, N, D, dBeta.data, dGamma.data); // pass 1
  for (let j = 0; j < D; j++) dXScale.data[j] = (gamma.data[j] * invStd.data[j]) / N; // γ·invStd/N, once per feature
  inputGradient(dOut, xHat, dXScale, dBeta, dGamma, N / varianceDivisor, dX); // pass 2
  return { dX, dGamma, dBeta };
}

/** mean[j] = (1/N) Σᵢ x[i][j], summed in row order like `Matrix.meanRows`. */
function columnMeans(x: Float64Array, N: number, D: number, mean: Float64Array): void {
  if (N * D <= BATCHNORM_COLUMN_WALK_MAX) {
    for (let j = 0; j < D; j++) {
      let sum = 0;
      for (let at = j; at < N * D; at += D) sum += x[at]; // down column j
      mean[j] = sum;
    }
  } else {
    mean.fill(0);
    for (let i = 0, at = 0; i < N; i++) for (let j = 0; j < D; j++, at++) mean[j] += x[at];
  }
  for (let j = 0; j < D; j++) mean[j] *= 1 / N;
}

/** variance[j] = (1/divisor) Σᵢ (x[i][j] − mean[j])². */
function columnVariances(
  x: Float64Array,
  N: number,
  D: number,
  mean: Float64Array,
  divisor: number,
  variance: Float64Array,
): void {
  if (N * D <= BATCHNORM_COLUMN_WALK_MAX) {
    for (let j = 0; j < D; j++) {
      const mu = mean[j];
      let sum = 0;
      for (let at = j; at < N * D; at += D) sum += (x[at] - mu) * (x[at] - mu); // down column j
      variance[j] = sum;
    }
  } else {
    variance.fill(0);
    for (let i = 0, at = 0; i < N; i++)
      for (let j = 0; j < D; j++, at++) variance[j] += (x[at] - mean[j]) * (x[at] - mean[j]);
  }
  for (let j = 0; j < D; j++) variance[j] *= 1 / divisor;
}

/** x̂ = (x − μ)·invStd and out = γ·x̂ + β, elementwise with per-feature μ, invStd, γ, β. */
function normalize(
  x: Matrix,
  mean: Matrix,
  invStd: Matrix,
  gamma: Matrix,
  beta: Matrix,
  xHat: Matrix,
  out: Matrix,
): void {
  const { rows: N, cols: D } = x;
  const [xs, mu, s, g, b, xh, o] = [x.data, mean.data, invStd.data, gamma.data, beta.data, xHat.data, out.data];
  if (N * D <= BATCHNORM_COLUMN_WALK_MAX) {
    for (let j = 0; j < D; j++) {
      const muJ = mu[j],
        sJ = s[j],
        gJ = g[j],
        bJ = b[j]; // feature j's μ, invStd, γ, β
      for (let at = j; at < N * D; at += D) {
        // down column j
        xh[at] = (xs[at] - muJ) * sJ; // x̂ = (x − μ)·invStd
        o[at] = xh[at] * gJ + bJ; // y = γ·x̂ + β
      }
    }
    return;
  }
  for (let i = 0, at = 0; i < N; i++) {
    for (let j = 0; j < D; j++, at++) {
      xh[at] = (xs[at] - mu[j]) * s[j]; // x̂ = (x − μ)·invStd
      o[at] = xh[at] * g[j] + b[j]; // y = γ·x̂ + β
    }
  }
}

/** dBeta[j] = Σᵢ dOut[i][j] and dGamma[j] = Σᵢ dOut[i][j]·x̂[i][j], summed in row order. */
function columnGradientSums(
  dOut: Float64Array,
  xHat: Float64Array,
  N: number,
  D: number,
  dBeta: Float64Array,
  dGamma: Float64Array,
): void {
  if (N * D <= BATCHNORM_COLUMN_WALK_MAX) {
    for (let j = 0; j < D; j++) {
      let sumDOut = 0;
      let sumDOutXHat = 0;
      for (let at = j; at < N * D; at += D) {
        // down column j
        sumDOut += dOut[at]; // Σᵢ dOut
        sumDOutXHat += dOut[at] * xHat[at]; // Σᵢ dOut·x̂
      }
      dBeta[j] = sumDOut;
      dGamma[j] = sumDOutXHat;
    }
    return;
  }
  dBeta.fill(0);
  dGamma.fill(0);
  for (let i = 0, at = 0; i < N; i++) {
    for (let j = 0; j < D; j++, at++) {
      dBeta[j] += dOut[at]; // Σᵢ dOut
      dGamma[j] += dOut[at] * xHat[at]; // Σᵢ dOut·x̂
    }
  }
}

/** dX = scale·(N·dOut − dBeta − ratio·x̂·dGamma), elementwise with per-feature scale = γ·invStd/N, dBeta, dGamma. */
function inputGradient(
  dOut: Matrix,
  xHat: Matrix,
  scale: Matrix,
  dBeta: Matrix,
  dGamma: Matrix,
  ratio: number,
  dX: Matrix,
): void {
  const { rows: N, cols: D } = dOut;
  const [g, xh, dx, sc, db, dg] = [dOut.data, xHat.data, dX.data, scale.data, dBeta.data, dGamma.data];
  if (N * D <= BATCHNORM_COLUMN_WALK_MAX) {
    for (let j = 0; j < D; j++) {
      const scJ = sc[j],
        dbJ = db[j],
        dgJ = dg[j]; // feature j's γ·invStd/N, dBeta, dGamma
      for (let at = j; at < N * D; at += D) dx[at] = scJ * (N * g[at] - dbJ - ratio * xh[at] * dgJ); // down column j
    }
    return;
  }
  for (let i = 0, at = 0; i < N; i++) {
    for (let j = 0; j < D; j++, at++) dx[at] = sc[j] * (N * g[at] - db[j] - ratio * xh[at] * dg[j]);
  }
}
