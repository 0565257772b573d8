/**
 * `MomentumEWA`: gradient descent with momentum written as an exponentially weighted
 * average of the gradients (deeplearning.ai, Course 2).
 */
import { Matrix } from "../core/matrix";
import type { Parameter } from "../core/parameter";
import { OptimizerBase, assertBeta, checkOptimizerOptions, type WeightDecayOptions } from "./optimizer";

/** Options of `MomentumEWA`. */
export interface MomentumEWAOptions extends WeightDecayOptions {
  /** α > 0, the step size. */
  learningRate: number;
  /** β ∈ [0, 1), the averaging coefficient; 0.9 (the default) averages ≈ 1/(1 − β) = 10 steps. */
  beta?: number;
  /** Divide v by (1 − βᵗ) so the first steps are not biased toward 0. Default false. */
  biasCorrection?: boolean;
}

/**
 * Momentum as an exponentially weighted average (EWA). Each `step()`, with t = 1, 2, …:
 *
 *   g = ∇L + λ·θ                 (L2 weight decay)
 *   v = β·v + (1 − β)·g          (v starts at 0)
 *   v̂ = v / (1 − βᵗ)             (only when biasCorrection; otherwise v̂ = v)
 *   θ = θ − α·v̂
 *
 * How it differs from `SGD` with momentum (v = μ·v + g): here v is an *average* of
 * gradients, (1 − β) times PyTorch's velocity, so for the same step size use
 * α_EWA = α_SGD / (1 − β) (e.g. 10× larger for β = 0.9). Without bias correction the
 * first steps are small, because v starts at 0.
 * Shapes: v has the shape of θ.
 */
export class MomentumEWA extends OptimizerBase {
  /** β, the averaging coefficient. */
  readonly beta: number;
  /** Whether v is divided by (1 − βᵗ). */
  readonly biasCorrection: boolean;
  /** One average v per parameter. */
  readonly velocities: Matrix[];

  constructor(params: readonly Parameter[], options: MomentumEWAOptions) {
    checkOptimizerOptions(options, "MomentumEWA", "{ learningRate: 1, beta: 0.9 }");
    const { learningRate, beta = 0.9, biasCorrection = false, ...decay } = options;
    super("MomentumEWA", params, learningRate, decay);
    assertBeta(beta, "beta", "MomentumEWA");
    this.beta = beta;
    this.biasCorrection = biasCorrection;
    this.velocities = this.zerosLikeParams();
  }

  /** One update v = βv + (1 − β)g, θ = θ − α·v̂ of every parameter. */
  step(): void {
    this.checkGradients();
    this.stepCount += 1;
    const { beta } = this;
    const correction = this.biasCorrection ? 1 - beta ** this.stepCount : 1; // 1 − βᵗ
    const stepSize = this.learningRate / correction; // α / (1 − βᵗ)
    this.params.forEach((p, k) => {
      const theta = p.value.data;
      const g = this.decayedGradient(k); // g = ∇L + λθ
      const v = this.velocities[k].data;
      for (let i = 0; i < theta.length; i++) {
        v[i] = beta * v[i] + (1 - beta) * g[i]; // v = βv + (1 − β)g
        theta[i] -= stepSize * v[i]; // θ = θ − α·v̂
      }
    });
  }
}
