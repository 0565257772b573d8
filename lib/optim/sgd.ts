/**
 * `SGD`: stochastic gradient descent, with optional momentum, in PyTorch's velocity form.
 */
import type { Parameter } from "../layers/layer";
import { Matrix } from "../core/matrix";
import { OptimizerBase, assertBeta, type WeightDecayOptions } from "./optimizer";

/** Options of `SGD`. */
export interface SGDOptions extends WeightDecayOptions {
  /** α > 0, the step size. Required: there is no good default. */
  learningRate: number;
  /** μ ∈ [0, 1); 0 (the default) is plain gradient descent, 0.9 is typical. */
  momentum?: number;
}

/**
 * Gradient descent with momentum, exactly as PyTorch's `torch.optim.SGD`
 * (dampening 0, no Nesterov). For every parameter θ, each `step()`:
 *
 *   g = ∇L + λ·θ          (L2 weight decay, λ = weightDecay)
 *   v = μ·v + g           (velocity; v starts at 0, so after step 1 v = g)
 *   θ = θ − α·v
 *
 * With μ = 0 this is plain SGD: θ = θ − α·g.
 *
 * Not to be confused with `MomentumEWA`, which averages: v = β·v + (1 − β)·g.
 * cs231n writes the same method as v = μ·v − α·g; θ = θ + v. That velocity is −α times
 * this one, so both give identical θ while α stays constant; they differ once a schedule
 * changes α (here a new α applies to the whole accumulated velocity at once).
 * Shapes: v has the shape of θ.
 */
export class SGD extends OptimizerBase {
  /** μ, the momentum coefficient. */
  readonly momentum: number;
  /** One velocity per parameter (all zero before the first step). */
  readonly velocities: Matrix[];

  constructor(params: readonly Parameter[], { learningRate, momentum = 0, ...decay }: SGDOptions) {
    super("SGD", params, learningRate, decay);
    assertBeta(momentum, "momentum", "SGD");
    this.momentum = momentum;
    this.velocities = this.zerosLikeParams();
  }

  /** One update v = μv + g, θ = θ − αv of every parameter. */
  step(): void {
    this.stepCount += 1;
    const alpha = this.learningRate;
    const mu = this.momentum;
    this.params.forEach((p, k) => {
      const theta = p.value.data;
      const g = this.decayedGradient(k); // g = ∇L + λθ
      const v = this.velocities[k].data;
      for (let i = 0; i < theta.length; i++) {
        v[i] = mu * v[i] + g[i]; // v = μv + g
        theta[i] -= alpha * v[i]; // θ = θ − αv
      }
    });
  }
}
