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
 * costs more than the arithmetic at these sizes. Results live in a `BatchNormWorkspace` and are
 * overwritten by the next call that uses the same workspace: copy them (`.clone()`) to keep them.
 */
import { Matrix } from "../core/matrix";
import { assertShape, InputError } from "../core/checks";
import type { BatchNormCache, NormalizationGradients } from "../normalization/batchnorm-functional";

/** The buffers of one layer's fused passes; they are reallocated only when [N, D] changes. */
export class BatchNormWorkspace {
  out = new Matrix(0, 0); // [N, D]
  xHat = new Matrix(0, 0); // [N, D]
  dX = new Matrix(0, 0); // [N, D]
  mean = new Matrix(0, 0); // [1, D]
  variance = new Matrix(0, 0); // [1, D]
  invStd = new Matrix(0, 0); // [1, D]
  dGamma = new Matrix(0, 0); // [1, D]
  dBeta = new Matrix(0, 0); // [1, D]
  dXScale = new Matrix(0, 0); // [1, D], γ·invStd/N of the backward

  /** Makes every buffer the right size for x: [N, D]. */
  fit(N: number, D: number): void {
    if (this.out.rows === N && this.out.cols === D) return;
    for (const key of ["out", "xHat", "dX"] as const) this[key] = new Matrix(N, D);
    for (const key of ["mean", "variance", "invStd", "dGamma", "dBeta", "dXScale"] as const) this[key] = new Matrix(1, D);
  }
}

/** What `batchNormBackwardFused` reads: a fused forward's cache, or the plain `BatchNormCache`. */
export type FusedBatchNormCache = Pick<BatchNormCache, "xHat" | "invStd" | "gamma" | "varianceDivisor">;

/**
 * Training-mode batch normalization, fused: out = γ·(x − μ)/√(σ² + ε) + β with the batch's μ, σ².
 * x: [N, D]; gamma, beta: [1, D]. Returns buffers of `workspace` (see the file comment).
 */
export function batchNormForwardFused(
  x: Matrix, gamma: Matrix, beta: Matrix, eps: number,
  { unbiased = false, workspace = new BatchNormWorkspace() }: { unbiased?: boolean; workspace?: BatchNormWorkspace } = {},
): { out: Matrix; mean: Matrix; variance: Matrix; cache: FusedBatchNormCache } {
  const { rows: N, cols: D } = x;
  assertShape(gamma, [1, D], "batchNormForwardFused gamma");
  assertShape(beta, [1, D], "batchNormForwardFused beta");
  const varianceDivisor = unbiased ? N - 1 : N;
  if (N === 0 || varianceDivisor < 1) throw new InputError(`batchNormForwardFused: x is [${N}, ${D}]; the variance needs at least ${unbiased ? 2 : 1} rows.`);
  workspace.fit(N, D);
  const { out, xHat, mean, variance, invStd } = workspace;
  columnMeans(x.data, N, D, mean.data);
  columnVariances(x.data, N, D, mean.data, varianceDivisor, variance.data);
  for (let j = 0; j < D; j++) invStd.data[j] = 1 / Math.sqrt(variance.data[j] + eps); // 1/√(σ² + ε)
  const [xs, mu, s, g, b, xh, o] = [x.data, mean.data, invStd.data, gamma.data, beta.data, xHat.data, out.data];
  for (let i = 0, at = 0; i < N; i++) {
    for (let j = 0; j < D; j++, at++) {
      const xHatValue = (xs[at] - mu[j]) * s[j]; // x̂ = (x − μ)·invStd
      xh[at] = xHatValue;
      o[at] = xHatValue * g[j] + b[j]; // y = γ·x̂ + β
    }
  }
  return { out, mean, variance, cache: { xHat, invStd, gamma, varianceDivisor } };
}

/**
 * Backward of the training-mode batch norm, fused (dOut: [N, D] → dX [N, D], dGamma, dBeta [1, D]):
 *   dX = (γ·invStd/N)·(N·dOut − Σᵢ dOut − (N/M)·x̂·Σᵢ(dOut·x̂)),  dGamma = Σᵢ dOut·x̂,  dBeta = Σᵢ dOut
 * Returns buffers of `workspace`.
 */
export function batchNormBackwardFused(dOut: Matrix, cache: FusedBatchNormCache, workspace = new BatchNormWorkspace()): NormalizationGradients {
  const { xHat, invStd, gamma, varianceDivisor } = cache;
  const { rows: N, cols: D } = xHat;
  assertShape(dOut, [N, D], "batchNormBackwardFused dOut");
  workspace.fit(N, D);
  const { dX, dGamma, dBeta, dXScale } = workspace;
  const [g, xh, dx, dg, db, s, gm, scale] = [dOut.data, xHat.data, dX.data, dGamma.data, dBeta.data, invStd.data, gamma.data, dXScale.data];
  dg.fill(0);
  db.fill(0);
  for (let i = 0, at = 0; i < N; i++) {
    for (let j = 0; j < D; j++, at++) {
      db[j] += g[at]; // Σᵢ dOut
      dg[j] += g[at] * xh[at]; // Σᵢ dOut·x̂
    }
  }
  for (let j = 0; j < D; j++) scale[j] = (gm[j] * s[j]) / N; // γ·invStd/N, once per feature
  const ratio = N / varianceDivisor; // N/M: 1 for the biased variance
  for (let i = 0, at = 0; i < N; i++) {
    for (let j = 0; j < D; j++, at++) {
      dx[at] = scale[j] * (N * g[at] - db[j] - ratio * xh[at] * dg[j]);
    }
  }
  return { dX, dGamma, dBeta };
}

/** mean[j] = (1/N) Σᵢ x[i][j], summed in row order like `Matrix.meanRows`. */
function columnMeans(x: Float64Array, N: number, D: number, mean: Float64Array): void {
  mean.fill(0);
  for (let i = 0, at = 0; i < N; i++) for (let j = 0; j < D; j++, at++) mean[j] += x[at];
  for (let j = 0; j < D; j++) mean[j] *= 1 / N;
}

/** variance[j] = (1/divisor) Σᵢ (x[i][j] − mean[j])². */
function columnVariances(x: Float64Array, N: number, D: number, mean: Float64Array, divisor: number, variance: Float64Array): void {
  variance.fill(0);
  for (let i = 0, at = 0; i < N; i++) {
    for (let j = 0; j < D; j++, at++) {
      const centered = x[at] - mean[j];
      variance[j] += centered * centered;
    }
  }
  for (let j = 0; j < D; j++) variance[j] *= 1 / divisor;
}
