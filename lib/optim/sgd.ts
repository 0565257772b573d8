/**
 * `SGD`: stochastic gradient descent, with optional momentum, in PyTorch's velocity form.
 */
import { Matrix } from "../core/matrix";
import type { Parameter } from "../core/parameter";
import { sgdKernels } from "./sgd-kernels";
import { OptimizerBase, assertBeta, checkOptimizerOptions, type WeightDecayOptions } from "./optimizer";

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
 * With μ = 0 this is plain SGD: θ = θ − α·g; then, as in PyTorch, no velocity is kept
 * (`velocities` stay 0), which saves a pass over memory per step.
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
  /** One velocity per parameter (all zero before the first step, and always when μ = 0). */
  readonly velocities: Matrix[];

  constructor(params: readonly Parameter[], options: SGDOptions) {
    checkOptimizerOptions(options, "SGD", "{ learningRate: 0.1, momentum: 0.9 }");
    const { learningRate, momentum = 0, ...decay } = options;
    super("SGD", params, learningRate, decay);
    assertBeta(momentum, "momentum", "SGD");
    this.momentum = momentum;
    this.velocities = this.zerosLikeParams();
  }

  /** One update g = ∇L + λθ, v = μv + g, θ = θ − αv of every parameter; each number is read and written once. */
  step(): void {
    this.checkGradients();
    this.stepCount += 1;
    const alpha = this.learningRate;
    const mu = this.momentum;
    for (let k = 0; k < this.params.length; k++) {
      const theta = this.params[k].value.data;
      const grad = this.params[k].grad.data;
      const lambda = this.weightDecayOf(k); // λ, or 0 (γ, β, or no weight decay)
      // without momentum θ = θ − α(∇L + λθ); with it v = μv + g, θ = θ − αv
      if (mu === 0) sgdKernels.sgdUpdate(theta, grad, alpha, lambda);
      else sgdKernels.sgdMomentumUpdate(theta, grad, this.velocities[k].data, alpha, mu, lambda);
    }
  }
}
