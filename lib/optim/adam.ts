/**
 * `Adam`: momentum and RMSprop together, with bias correction.
 */
import { Matrix } from "../core/matrix";
import { assertPositive } from "../core/checks";
import type { Parameter } from "../core/parameter";
import { OptimizerBase, assertBeta, checkOptimizerOptions, type WeightDecayOptions } from "./optimizer";

/** Options of `Adam` (defaults are the paper's and PyTorch's). */
export interface AdamOptions extends WeightDecayOptions {
  /** α > 0, the step size. Default 1e-3. */
  learningRate?: number;
  /** β₁ ∈ [0, 1), the averaging coefficient of g (the momentum). Default 0.9. */
  beta1?: number;
  /** β₂ ∈ [0, 1), the averaging coefficient of g² (the RMS). Default 0.999. */
  beta2?: number;
  /** ε > 0, added to √v̂. Default 1e-8. */
  eps?: number;
}

/**
 * Adam (Kingma & Ba 2015), exactly as PyTorch's `torch.optim.Adam` (amsgrad off). Each
 * `step()`, with t = 1, 2, …:
 *
 *   g  = ∇L + λ·θ                (L2 weight decay, added to the gradient: not AdamW)
 *   m  = β₁·m + (1 − β₁)·g       (first moment, the momentum; starts at 0)
 *   v  = β₂·v + (1 − β₂)·g²      (second moment, as RMSprop; starts at 0)
 *   m̂  = m / (1 − β₁ᵗ)           (bias corrections: undo the pull toward the 0 start)
 *   v̂  = v / (1 − β₂ᵗ)
 *   θ  = θ − α·m̂ / (√v̂ + ε)
 *
 * As PyTorch, ε is added to √v̂ (not to √v). Shapes: m and v have the shape of θ.
 */
export class Adam extends OptimizerBase {
  /** β₁, the averaging coefficient of g. */
  readonly beta1: number;
  /** β₂, the averaging coefficient of g². */
  readonly beta2: number;
  /** ε, added to √v̂. */
  readonly eps: number;
  /** m, one first-moment average per parameter. */
  readonly firstMoments: Matrix[];
  /** v, one second-moment average per parameter. */
  readonly secondMoments: Matrix[];

  constructor(params: readonly Parameter[], options: AdamOptions = {}) {
    checkOptimizerOptions(options, "Adam", "{ learningRate: 0.001 }");
    const { learningRate = 1e-3, beta1 = 0.9, beta2 = 0.999, eps = 1e-8, ...decay } = options;
    super("Adam", params, learningRate, decay);
    assertBeta(beta1, "beta1", "Adam");
    assertBeta(beta2, "beta2", "Adam");
    assertPositive(eps, "eps", "Adam");
    this.beta1 = beta1;
    this.beta2 = beta2;
    this.eps = eps;
    this.firstMoments = this.zerosLikeParams();
    this.secondMoments = this.zerosLikeParams();
  }

  /** One Adam update of every parameter from its `grad` (formulas in the class comment). */
  step(): void {
    this.checkGradients();
    this.stepCount += 1;
    const { beta1, beta2, eps } = this;
    const correction1 = 1 - beta1 ** this.stepCount; // 1 − β₁ᵗ
    const sqrtCorrection2 = Math.sqrt(1 - beta2 ** this.stepCount); // √(1 − β₂ᵗ)
    const stepSize = this.learningRate / correction1; // α / (1 − β₁ᵗ), so α·m̂ = stepSize·m
    this.params.forEach((p, k) => {
      const theta = p.value.data;
      const g = this.decayedGradient(k); // g = ∇L + λθ
      const m = this.firstMoments[k].data;
      const v = this.secondMoments[k].data;
      for (let i = 0; i < theta.length; i++) {
        m[i] = beta1 * m[i] + (1 - beta1) * g[i]; // m = β₁m + (1 − β₁)g
        v[i] = beta2 * v[i] + (1 - beta2) * g[i] * g[i]; // v = β₂v + (1 − β₂)g²
        const denominator = Math.sqrt(v[i]) / sqrtCorrection2 + eps; // √v̂ + ε
        theta[i] -= (stepSize * m[i]) / denominator; // θ = θ − α·m̂ / (√v̂ + ε)
      }
    });
  }
}
