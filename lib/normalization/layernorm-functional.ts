/**
 * Layer normalization as pure functions (Ba, Kiros & Hinton 2016; PyTorch's `nn.LayerNorm` over
 * the last dimension). Where batch normalization averages each feature over the batch (down a
 * column), layer normalization averages each example over its features (along a row):
 *   mean     μᵢ  = (1/D) Σⱼ xᵢⱼ
 *   variance σ²ᵢ = (1/D) Σⱼ (xᵢⱼ − μᵢ)²           biased (÷D), as PyTorch
 *   xHat     x̂ᵢⱼ = (xᵢⱼ − μᵢ) / √(σ²ᵢ + ε)
 *   out      yᵢⱼ = γⱼ · x̂ᵢⱼ + βⱼ
 * Every row is normalized on its own, so the result does not depend on the batch: training and
 * evaluation are the same computation, and a batch of one example is fine.
 */
import { assertGradientOf, assertMatrix, assertNonEmpty, assertPositive, assertShape } from "../core/checks";
import type { Matrix } from "../core/matrix";
import type { NormalizationGradients } from "./batchnorm-functional";

/** What `layerNormBackward` needs from `layerNormForward`. Per-row values are [N, 1]. */
export interface LayerNormCache {
  readonly xHat: Matrix; // (x − μ)·invStd, [N, D]
  readonly invStd: Matrix; // 1/√(σ² + ε), [N, 1]
  readonly gamma: Matrix; // γ, [1, D]
}

/** Result of `layerNormForward`: out [N, D], mean and variance [N, 1] (one per row), cache. */
export interface LayerNormForwardResult {
  out: Matrix;
  mean: Matrix;
  variance: Matrix;
  cache: LayerNormCache;
}

/**
 * Layer normalization of each row of x: [N, D] over its D features:
 *   out = γ · (x − μ) / √(σ² + ε) + β,   μ, σ² per row; gamma, beta: [1, D]; eps > 0.
 */
export function layerNormForward(x: Matrix, gamma: Matrix, beta: Matrix, eps: number): LayerNormForwardResult {
  assertMatrix(x, "layerNormForward x");
  assertMatrix(gamma, "layerNormForward gamma");
  assertMatrix(beta, "layerNormForward beta");
  assertNonEmpty(x, "layerNormForward x");
  assertShape(gamma, [1, x.cols], "layerNormForward gamma", "gamma holds one scale per feature (column of x).");
  assertShape(beta, [1, x.cols], "layerNormForward beta", "beta holds one shift per feature (column of x).");
  assertPositive(eps, "eps", "layerNormForward");
  const mean = x.meanCols(); // μᵢ = (1/D) Σⱼ xᵢⱼ, [N, 1]
  const xCentered = x.map((v, i) => v - mean.data[i]); // xᵢⱼ − μᵢ
  const variance = xCentered.mul(xCentered).meanCols(); // σ²ᵢ = (1/D) Σⱼ (xᵢⱼ − μᵢ)²
  const invStd = variance.map((v) => 1 / Math.sqrt(v + eps)); // 1/√(σ²ᵢ + ε)
  const xHat = xCentered.map((v, i) => v * invStd.data[i]); // x̂ = (x − μ)·invStd
  const out = xHat.mulRow(gamma).addRow(beta); // y = γ·x̂ + β
  return { out, mean, variance, cache: { xHat, invStd, gamma } };
}

/**
 * Backward of `layerNormForward` (dOut: [N, D] → dX [N, D], dGamma, dBeta [1, D]). With dXHat = dOut·γ,
 * the batch-norm formula with the roles of rows and columns swapped, per row i:
 *   dXᵢ    = (invStdᵢ / D) · (D·dXHatᵢ − Σⱼ dXHatᵢⱼ − x̂ᵢ · Σⱼ dXHatᵢⱼ·x̂ᵢⱼ)
 *   dGamma = Σᵢ dOut·x̂,   dBeta = Σᵢ dOut      (γ, β are shared by all rows, so sum over the batch)
 */
export function layerNormBackward(dOut: Matrix, cache: LayerNormCache): NormalizationGradients {
  const { xHat, invStd, gamma } = cache;
  assertGradientOf(dOut, xHat, "layerNormBackward dOut");
  const D = xHat.cols;
  const dXHat = dOut.mulRow(gamma); // ∂ℓ/∂x̂ = ∂ℓ/∂y · γ
  const sumDXHat = dXHat.sumCols(); // Σⱼ dXHatᵢⱼ, [N, 1]
  const sumDXHatXHat = dXHat.mul(xHat).sumCols(); // Σⱼ dXHatᵢⱼ·x̂ᵢⱼ, [N, 1]
  const dX = dXHat.map(
    (g, i, j) => (invStd.data[i] / D) * (D * g - sumDXHat.data[i] - xHat.get(i, j) * sumDXHatXHat.data[i]),
  );
  return { dX, dGamma: dOut.mul(xHat).sumRows(), dBeta: dOut.sumRows() };
}
