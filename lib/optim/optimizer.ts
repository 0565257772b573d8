/**
 * `Optimizer`: what every update rule shares.
 *
 * An optimizer owns a list of `Parameter`s (value θ and gradient ∇L, both `Matrix`)
 * and, in `step()`, moves every θ against its gradient. The training loop is always
 *   optimizer.zeroGrad(); forward; backward (grads accumulate with +=); optimizer.step()
 *
 * L2 weight decay, as PyTorch's `weight_decay`: the decay is added to the gradient
 *   g = ∇L + λ·θ
 * before the update rule sees it (for plain SGD this is the same as adding (λ/2)·‖θ‖² to
 * the loss). For Adam and RMSprop this is *not* AdamW's decoupled decay.
 *
 * BatchNorm's γ and β get no decay by default (`decayGammaBeta = false`): γ only sets the
 * scale of a normalized layer, so pulling it toward 0 shrinks the layer's output without
 * regularizing anything (Goyal et al. 2017 and most BN training recipes exclude them).
 * They are recognised by their parameter names: "gamma" and "beta", or, inside a
 * `Sequential`, names ending in ".gamma" and ".beta" ("1.gamma"). Pass
 * `decayGammaBeta: true` to decay every parameter, exactly as PyTorch does with one
 * parameter group.
 */
import {
  InputError,
  assertFinite,
  assertMatrix,
  assertNonNegative,
  assertOptions,
  assertPositive,
  describeValue,
} from "../core/checks";
import { Matrix } from "../core/matrix";
import type { Parameter } from "../core/parameter";

/** The contract of every optimizer. */
export interface Optimizer {
  /** α, the step size. Settable, so a schedule can change it between epochs. */
  learningRate: number;
  /** Applies one update to every parameter from its current `grad`. */
  step(): void;
  /** Sets every parameter's `grad` to 0; call before each backward pass. */
  zeroGrad(): void;
}

/** Options every optimizer understands. */
export interface WeightDecayOptions {
  /** λ ≥ 0 in g = ∇L + λ·θ (PyTorch's `weight_decay`). Default 0. */
  weightDecay?: number;
  /** Also decay parameters named "gamma"/"beta" or "….gamma"/"….beta" (BatchNorm, LayerNorm). Default false. */
  decayGammaBeta?: boolean;
}

/**
 * Bookkeeping shared by `SGD`, `MomentumEWA`, `RMSprop` and `Adam`: the parameter list,
 * a validated learning rate, per-parameter weight decay and zero-filled state buffers.
 */
export abstract class OptimizerBase implements Optimizer {
  /** The parameters this optimizer updates. */
  readonly params: readonly Parameter[];
  /** t, the number of `step()` calls so far (used by bias corrections). */
  stepCount = 0;
  private rate = 0;
  private readonly decays: Float64Array;
  private readonly decayedGradients: Float64Array[] = []; // g of each parameter, reused step after step

  protected constructor(
    readonly name: string,
    params: readonly Parameter[],
    learningRate: number,
    decay: WeightDecayOptions,
  ) {
    const { weightDecay = 0, decayGammaBeta = false } = decay;
    if (!Array.isArray(params)) {
      throw new InputError(
        `${name} params: expected an array of Parameter, got ${describeValue(params)}; pass model.parameters().`,
      );
    }
    if (params.length === 0) {
      throw new InputError(
        `${name}: got an empty parameter list; pass model.parameters() of a model that has learned parameters.`,
      );
    }
    params.forEach((p, k) => checkParameter(p, `${name} params[${k}]`));
    assertNonNegative(weightDecay, "weightDecay", name);
    this.params = params.slice();
    this.learningRate = learningRate;
    const skip = (p: Parameter) => !decayGammaBeta && isGammaOrBeta(p.name);
    this.decays = Float64Array.from(this.params, (p) => (skip(p) ? 0 : weightDecay));
  }

  /** α, the step size; setting it checks that it is a finite number > 0. */
  get learningRate(): number {
    return this.rate;
  }

  set learningRate(value: number) {
    assertPositive(value, "learningRate", this.name);
    this.rate = value;
  }

  /** λ for parameter k: `weightDecay`, or 0 for γ/β unless `decayGammaBeta`. */
  protected weightDecayOf(k: number): number {
    return this.decays[k];
  }

  /**
   * g = ∇L + λ·θ for parameter k, elementwise (the parameter is not changed). λ = weightDecay, or 0
   * for γ/β unless `decayGammaBeta`. Every update rule starts from this g. The array is a buffer of
   * this optimizer, overwritten at the next call for the same k (no allocation in the training loop).
   */
  protected decayedGradient(k: number): Float64Array {
    const theta = this.params[k].value.data;
    const grad = this.params[k].grad.data;
    const lambda = this.decays[k];
    const g = (this.decayedGradients[k] ??= new Float64Array(grad.length));
    for (let i = 0; i < grad.length; i++) g[i] = grad[i] + lambda * theta[i]; // g = ∇L + λθ
    return g;
  }

  /** One zero-filled buffer per parameter, same shape: a velocity, a moment… */
  protected zerosLikeParams(): Matrix[] {
    return this.params.map((p) => new Matrix(p.value.rows, p.value.cols));
  }

  /** Applies one update to every parameter from its current `grad`. */
  abstract step(): void;

  /**
   * Throws, naming the parameter, row and column, unless every gradient is finite: `step` calls it
   * first, so a NaN/±∞ gradient never reaches the parameters or the optimizer's averages.
   */
  protected checkGradients(): void {
    for (const p of this.params) {
      assertFinite(
        p.grad.data,
        p.grad.cols,
        `${this.name}.step gradient of "${p.name}"`,
        "nothing was updated; find where the NaN/∞ came from (the data, the loss, a too large learning rate)",
      );
    }
  }

  /** Sets every parameter's `grad` to 0; call before each backward pass. */
  zeroGrad(): void {
    for (const p of this.params) p.zeroGrad();
  }
}

/** Throws unless `p` is a `Parameter` (value and grad matrices), e.g. not a layer or a plain matrix. */
function checkParameter(p: unknown, where: string): void {
  const candidate = p as Partial<Parameter> | null;
  if (typeof candidate !== "object" || candidate === null || typeof candidate.name !== "string") {
    throw new InputError(`${where}: expected a Parameter (from model.parameters()), got ${describeValue(p)}.`);
  }
  assertMatrix(candidate.value, `${where}.value`);
  assertMatrix(candidate.grad, `${where}.grad`);
}

/** Throws unless `options` is an options object; `example` shows one. Call it before destructuring the options. */
export function checkOptimizerOptions(options: unknown, name: string, example: string): void {
  assertOptions(options, `${name} options`, example);
}

/** True for a normalization layer's scale or shift: "gamma", "beta", "1.gamma", "3.beta", … */
function isGammaOrBeta(name: string): boolean {
  return /(^|\.)(gamma|beta)$/.test(name);
}

/** Throws unless 0 ≤ β < 1 (an exponential-average coefficient). */
export function assertBeta(value: number, name: string, where: string): void {
  if (!(Number.isFinite(value) && value >= 0 && value < 1)) {
    throw new InputError(`${where}: ${name} must lie in [0, 1), got ${value}; typical values are 0.9 and 0.999.`);
  }
}
