/**
 * Batch normalization as pure functions (Ioffe & Szegedy 2015, Algorithm 1).
 *
 * For a mini-batch x: [N, D] (one row per example), per feature j:
 *   mean     μ   = (1/N) Σᵢ xᵢ
 *   variance σ²  = (1/N) Σᵢ (xᵢ − μ)²            biased (÷N), as the paper and PyTorch normalize
 *   invStd       = 1 / √(σ² + ε)
 *   xHat     x̂ᵢ  = (xᵢ − μ) · invStd
 *   out      yᵢ  = γ · x̂ᵢ + β
 *
 * The layer with parameters and running statistics is `BatchNorm1d`; the step-by-step
 * backward through the paper's computational graph is in `batchnorm-staged.ts`.
 */
import {
  assertGradientOf,
  assertMatrix,
  assertNonEmpty,
  assertPositive,
  assertShape,
  formatShape,
  InputError,
} from "../core/checks";
import { Matrix } from "../core/matrix";
import type { Workspace } from "../core/workspace";

/** Options of `batchNormForward`. */
export interface BatchNormForwardOptions {
  /**
   * false (default): σ² = Σ(xᵢ − μ)²/N, as the paper and PyTorch.
   * true: σ² = Σ(xᵢ − μ)²/(N − 1), as Karpathy's makemore (`x.var(0)` is unbiased in PyTorch).
   */
  unbiased?: boolean;
}

/** What the backward pass needs from the forward pass. All per-feature values are [1, D]. */
export interface BatchNormCache {
  readonly xCentered: Matrix; // x − μ, [N, D]
  readonly xHat: Matrix; // (x − μ)·invStd, [N, D]
  readonly mean: Matrix; // μ, [1, D]
  readonly variance: Matrix; // σ², [1, D] (÷ varianceDivisor)
  readonly invStd: Matrix; // 1/√(σ² + ε), [1, D]
  readonly gamma: Matrix; // γ, [1, D]
  readonly eps: number;
  readonly varianceDivisor: number; // N (biased) or N − 1 (unbiased)
}

/** What `batchNormBackward` reads from the cache (a fused forward keeps only these). */
export type BatchNormBackwardCache = Pick<BatchNormCache, "xHat" | "invStd" | "gamma" | "varianceDivisor">;

/** Result of `batchNormForward`. */
export interface BatchNormForwardResult {
  out: Matrix; // [N, D]
  mean: Matrix; // [1, D]
  variance: Matrix; // [1, D]
  cache: BatchNormCache;
}

/** Gradients of a normalization layer: dX [N, D], dGamma [1, D], dBeta [1, D]. */
export interface NormalizationGradients {
  dX: Matrix;
  dGamma: Matrix;
  dBeta: Matrix;
}

/**
 * Training-mode batch normalization of x: [N, D] with the batch's own statistics.
 *   out = γ · (x − μ) / √(σ² + ε) + β,   μ, σ² per feature over the N rows
 * gamma, beta: [1, D]; eps > 0. Returns out [N, D], mean and variance [1, D], and the cache.
 */
export function batchNormForward(
  x: Matrix,
  gamma: Matrix,
  beta: Matrix,
  eps: number,
  { unbiased = false }: BatchNormForwardOptions = {},
): BatchNormForwardResult {
  checkBatchNormInputs(x, gamma, beta, eps, "batchNormForward");
  const N = x.rows;
  const varianceDivisor = unbiased ? N - 1 : N;
  if (N < 2) {
    // one example: x̂ = 0 and out = β whatever x is (PyTorch's F.batch_norm refuses it too)
    throw new InputError(
      `batchNormForward: expected more than 1 value per feature when training, got input of shape ${formatShape(x)}; ` +
        (`batch statistics of a single example carry no information. Use a ` +
          `batch of at least 2, or batchNormInference with running statistics.`),
    );
  }
  const mean = x.meanRows(); // μ = (1/N) Σᵢ xᵢ
  const xCentered = x.map((v, _i, j) => v - mean.data[j]); // xᵢ − μ
  const variance = xCentered
    .mul(xCentered)
    .sumRows()
    .scale(1 / varianceDivisor); // σ² = Σ(xᵢ − μ)² / N
  const invStd = variance.map((v) => 1 / Math.sqrt(v + eps)); // 1/√(σ² + ε)
  const xHat = xCentered.mulRow(invStd); // x̂ = (x − μ)·invStd
  const out = xHat.mulRow(gamma).addRow(beta); // y = γ·x̂ + β
  const cache: BatchNormCache = { xCentered, xHat, mean, variance, invStd, gamma, eps, varianceDivisor };
  return { out, mean, variance, cache };
}

/**
 * Backward of `batchNormForward` in its compact form (dOut: [N, D] → dX [N, D], dGamma, dBeta [1, D]):
 *   dX     = (γ·invStd / N) · (N·dOut − Σᵢ dOut − (N/M)·x̂ · Σᵢ(dOut·x̂))
 *   dGamma = Σᵢ dOut·x̂,   dBeta = Σᵢ dOut
 * where M = N for the biased variance (so N/M = 1, the usual formula) and M = N − 1 for the unbiased one.
 * Derived from the staged version (`batchNormBackwardStaged`) by substituting x − μ = x̂/invStd.
 */
export function batchNormBackward(dOut: Matrix, cache: BatchNormBackwardCache): NormalizationGradients {
  const { xHat, invStd, gamma, varianceDivisor } = cache;
  assertGradientOf(dOut, xHat, "batchNormBackward dOut");
  const N = xHat.rows;
  const dBeta = dOut.sumRows(); // Σᵢ dOut
  const dGamma = dOut.mul(xHat).sumRows(); // Σᵢ dOut·x̂
  const ratio = N / varianceDivisor; // N/M: 1 for the biased variance
  const dX = dOut.map((g, i, j) => {
    const scale = (gamma.data[j] * invStd.data[j]) / N; // γ·invStd/N
    return scale * (N * g - dBeta.data[j] - ratio * xHat.get(i, j) * dGamma.data[j]);
  });
  return { dX, dGamma, dBeta };
}

/** What the backward of `batchNormInference` needs: the statistics are constants there. */
export interface BatchNormInferenceCache {
  readonly xHat: Matrix; // (x − runningMean)·invStd, [N, D]
  readonly invStd: Matrix; // 1/√(runningVar + ε), [1, D]
  readonly gamma: Matrix; // [1, D]
}

/**
 * Evaluation-mode batch normalization with fixed (running or population) statistics:
 *   out = γ · (x − runningMean) / √(runningVar + ε) + β
 * x: [N, D] (any N ≥ 1, even one example); runningMean, runningVar, gamma, beta: [1, D].
 * Each row is transformed independently: an affine map, out = x·(γ·invStd) + (β − runningMean·γ·invStd).
 * With a `workspace`, x̂ and out go into its reused "xHat" and "out" buffers (overwritten by its next use; the same
 * numbers): a layer evaluated again and again then allocates no [N, D] matrices.
 */
export function batchNormInference(
  x: Matrix,
  runningMean: Matrix,
  runningVar: Matrix,
  gamma: Matrix,
  beta: Matrix,
  eps: number,
  workspace?: Workspace,
): { out: Matrix; cache: BatchNormInferenceCache } {
  checkBatchNormInputs(x, gamma, beta, eps, "batchNormInference");
  assertMatrix(runningMean, "batchNormInference runningMean");
  assertMatrix(runningVar, "batchNormInference runningVar");
  assertShape(runningMean, [1, x.cols], "batchNormInference runningMean");
  assertShape(runningVar, [1, x.cols], "batchNormInference runningVar");
  const invStd = runningVar.map((v) => 1 / Math.sqrt(v + eps)); // 1/√(runningVar + ε)
  if (workspace !== undefined) return inferenceInto(workspace, x, runningMean, invStd, gamma, beta);
  const xHat = x.map((v, _i, j) => (v - runningMean.data[j]) * invStd.data[j]);
  const out = xHat.mulRow(gamma).addRow(beta); // γ·x̂ + β
  return { out, cache: { xHat, invStd, gamma } };
}

/** x̂ and out = γ·x̂ + β of `batchNormInference` (the same operations) into the workspace's "xHat" and "out". */
function inferenceInto(
  workspace: Workspace,
  x: Matrix,
  runningMean: Matrix,
  invStd: Matrix,
  gamma: Matrix,
  beta: Matrix,
): { out: Matrix; cache: BatchNormInferenceCache } {
  const [xHat, out] = [workspace.matrix("xHat", x.rows, x.cols), workspace.matrix("out", x.rows, x.cols)];
  for (let i = 0; i < x.rows; i++) {
    for (let j = 0; j < x.cols; j++) {
      const k = i * x.cols + j;
      xHat.data[k] = (x.data[k] - runningMean.data[j]) * invStd.data[j];
      out.data[k] = xHat.data[k] * gamma.data[j] + beta.data[j];
    }
  }
  return { out, cache: { xHat, invStd, gamma } };
}

/**
 * Backward of `batchNormInference` (statistics fixed, so no terms through μ and σ²):
 *   dX = dOut·γ·invStd,   dGamma = Σᵢ dOut·x̂,   dBeta = Σᵢ dOut        (dOut, dX: [N, D])
 */
export function batchNormInferenceBackward(dOut: Matrix, cache: BatchNormInferenceCache): NormalizationGradients {
  const { xHat, invStd, gamma } = cache;
  assertGradientOf(dOut, xHat, "batchNormInferenceBackward dOut");
  const dX = dOut.map((g, _i, j) => g * gamma.data[j] * invStd.data[j]);
  return { dX, dGamma: dOut.mul(xHat).sumRows(), dBeta: dOut.sumRows() };
}

function checkBatchNormInputs(x: Matrix, gamma: Matrix, beta: Matrix, eps: number, where: string): void {
  assertMatrix(x, `${where} x`);
  assertMatrix(gamma, `${where} gamma`);
  assertMatrix(beta, `${where} beta`);
  assertNonEmpty(x, `${where} x`);
  assertShape(gamma, [1, x.cols], `${where} gamma`, "gamma holds one scale per feature (column of x).");
  assertShape(beta, [1, x.cols], `${where} beta`, "beta holds one shift per feature (column of x).");
  assertPositive(eps, "eps", where);
}
