/**
 * `RMSprop`: divide each step by a running root-mean-square of the gradient.
 */
import { Matrix } from "../core/matrix";
import { assertPositive } from "../core/checks";
import type { Parameter } from "../core/parameter";
import { OptimizerBase, assertBeta, checkOptimizerOptions, type WeightDecayOptions } from "./optimizer";

/** Options of `RMSprop`. */
export interface RMSpropOptions extends WeightDecayOptions {
  /** α > 0, the step size. */
  learningRate: number;
  /** β ∈ [0, 1), the averaging coefficient of g² (deeplearning.ai's β₂). Default 0.9. */
  beta?: number;
  /** ε > 0, added to √s so the division is safe. Default 1e-8. */
  eps?: number;
}

/**
 * RMSprop (Hinton, Coursera lecture 6e), as PyTorch's `torch.optim.RMSprop` with
 * `centered=False, momentum=0`. Each `step()`:
 *
 *   g = ∇L + λ·θ                 (L2 weight decay)
 *   s = β·s + (1 − β)·g²         (elementwise square; s starts at 0)
 *   θ = θ − α·g / (√s + ε)       (ε outside the square root, as PyTorch)
 *
 * Names: deeplearning.ai calls the coefficient β₂ (or β) and uses 0.9 — our default;
 * PyTorch calls it `alpha` and defaults to 0.99: `new RMSprop(p, { beta: 0.99 })` matches
 * `torch.optim.RMSprop(p, lr)`. No bias correction (that is one of the things Adam adds).
 * Shapes: s has the shape of θ.
 */
export class RMSprop extends OptimizerBase {
  /** β, the averaging coefficient of g². */
  readonly beta: number;
  /** ε, added to the root-mean-square. */
  readonly eps: number;
  /** One running average of g² per parameter. */
  readonly squareAverages: Matrix[];

  constructor(params: readonly Parameter[], options: RMSpropOptions) {
    checkOptimizerOptions(options, "RMSprop", "{ learningRate: 0.001, beta: 0.9 }");
    const { learningRate, beta = 0.9, eps = 1e-8, ...decay } = options;
    super("RMSprop", params, learningRate, decay);
    assertBeta(beta, "beta", "RMSprop");
    assertPositive(eps, "eps", "RMSprop");
    this.beta = beta;
    this.eps = eps;
    this.squareAverages = this.zerosLikeParams();
  }

  /** One update s = βs + (1 − β)g², θ = θ − αg/(√s + ε) of every parameter. */
  step(): void {
    this.checkGradients();
    this.stepCount += 1;
    const { beta, eps } = this;
    const alpha = this.learningRate;
    this.params.forEach((p, k) => {
      const theta = p.value.data;
      const g = this.decayedGradient(k); // g = ∇L + λθ
      const s = this.squareAverages[k].data;
      for (let i = 0; i < theta.length; i++) {
        s[i] = beta * s[i] + (1 - beta) * g[i] * g[i]; // s = βs + (1 − β)g²
        theta[i] -= (alpha * g[i]) / (Math.sqrt(s[i]) + eps); // θ = θ − αg / (√s + ε)
      }
    });
  }
}
