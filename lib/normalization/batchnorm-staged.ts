/**
 * The backward pass of batch normalization, node by node through the computational graph
 * of the paper's Algorithm 1 (Ioffe & Szegedy 2015, section 3). Forward graph, per feature:
 *
 *   x ──► μ = (1/N) Σᵢ xᵢ
 *   x, μ ──► σ² = (1/M) Σᵢ (xᵢ − μ)²            M = N (biased) or N − 1 (unbiased)
 *   x, μ, σ² ──► x̂ᵢ = (xᵢ − μ) / √(σ² + ε)
 *   x̂ ──► yᵢ = γ·x̂ᵢ + β
 *
 * Each gradient below is one line of the paper (with m = N, and M where σ² divides).
 * `batchNormBackward` gives the same numbers from one compact formula.
 */
import { assertGradientOf } from "../core/checks";
import type { Matrix } from "../core/matrix";
import type { BatchNormCache, NormalizationGradients } from "./batchnorm-functional";

/**
 * Backward of `batchNormForward`, stage by stage (dOut: [N, D] → dX [N, D], dGamma, dBeta [1, D]):
 *   dXHat     ∂ℓ/∂x̂ᵢ = ∂ℓ/∂yᵢ · γ
 *   dVariance ∂ℓ/∂σ² = Σᵢ ∂ℓ/∂x̂ᵢ · (xᵢ − μ) · (−1/2)(σ² + ε)^(−3/2)
 *   dMean     ∂ℓ/∂μ  = Σᵢ ∂ℓ/∂x̂ᵢ · (−1/√(σ² + ε)) + ∂ℓ/∂σ² · Σᵢ −2(xᵢ − μ) / M
 *   dX        ∂ℓ/∂xᵢ = ∂ℓ/∂x̂ᵢ / √(σ² + ε) + ∂ℓ/∂σ² · 2(xᵢ − μ)/M + ∂ℓ/∂μ · 1/N
 *   dGamma    ∂ℓ/∂γ  = Σᵢ ∂ℓ/∂yᵢ · x̂ᵢ,       dBeta ∂ℓ/∂β = Σᵢ ∂ℓ/∂yᵢ
 */
export function batchNormBackwardStaged(dOut: Matrix, cache: BatchNormCache): NormalizationGradients {
  const { xCentered, xHat, invStd, gamma, varianceDivisor: M } = cache;
  assertGradientOf(dOut, xHat, "batchNormBackwardStaged dOut");
  const N = xHat.rows;

  // y = γ·x̂ + β
  const dBeta = dOut.sumRows(); // Σᵢ ∂ℓ/∂yᵢ
  const dGamma = dOut.mul(xHat).sumRows(); // Σᵢ ∂ℓ/∂yᵢ · x̂ᵢ
  const dXHat = dOut.mulRow(gamma); // ∂ℓ/∂x̂ᵢ = ∂ℓ/∂yᵢ · γ

  // x̂ = (x − μ)·(σ² + ε)^(−1/2): the path into σ²
  const dVariance = dXHat
    .mul(xCentered)
    .sumRows()
    // Σᵢ ∂ℓ/∂x̂ᵢ·(xᵢ − μ)·(−½)(σ² + ε)^(−3/2); a product, not invStd ** 3 (** rounds differently across engines)
    .map((s, _i, j) => s * -0.5 * (invStd.data[j] * invStd.data[j] * invStd.data[j]));

  // μ feeds x̂ directly and σ² through (xᵢ − μ)
  const dMeanThroughXHat = dXHat.sumRows().mul(invStd).scale(-1); // Σᵢ ∂ℓ/∂x̂ᵢ · (−1/√(σ² + ε))
  const sumCentered = xCentered.sumRows(); // Σᵢ (xᵢ − μ): exactly 0 in exact arithmetic, ~1e-16 in float64
  // ∂ℓ/∂σ² · Σᵢ −2(xᵢ − μ)/M: vanishes, kept to follow the paper
  const dMeanThroughVariance = dVariance.mul(sumCentered).scale(-2 / M);
  const dMean = dMeanThroughXHat.add(dMeanThroughVariance);

  // x feeds x̂, σ² and μ
  const dX = dXHat
    .mulRow(invStd) // ∂ℓ/∂x̂ᵢ / √(σ² + ε)
    .add(xCentered.mulRow(dVariance.scale(2 / M))) // + ∂ℓ/∂σ² · 2(xᵢ − μ)/M
    .addRow(dMean.scale(1 / N)); // + ∂ℓ/∂μ · 1/N
  return { dX, dGamma, dBeta };
}
