/**
 * `LayerNorm`: layer normalization as a layer (PyTorch's `nn.LayerNorm(numFeatures)` on [N, D]).
 *
 *   out = γ · (x − μ) / √(σ² + ε) + β,     μ, σ² (biased, ÷D) of each row over its D features
 *
 * x, out: [N, D]; gamma, beta: [1, D]. No running statistics and no batch dependence, so
 * `train()` and `eval()` change nothing. The maths is in `layernorm-functional.ts`.
 */
import {
  assertMatrix,
  assertNonEmpty,
  assertOptions,
  assertPositive,
  assertPositiveInteger,
  assertShape,
  missingForward,
  type Shaped,
} from "../core/checks";
import { Matrix } from "../core/matrix";
import { Parameter } from "../core/parameter";
import { Module } from "../layers/layer";
import { layerNormBackward, layerNormForward, type LayerNormCache } from "./layernorm-functional";

/** Options of `LayerNorm` (defaults are PyTorch's). */
export interface LayerNormOptions {
  /** ε added to each row's variance before the square root; must be > 0. Default 1e-5. */
  eps?: number;
  /** Learn γ (starts at 1) and β (starts at 0), default true. When false `parameters()` is empty. */
  elementwiseAffine?: boolean;
}

/** Normalizes each row of x: [N, numFeatures] to mean 0, variance 1, then scales by γ and shifts by β. */
export class LayerNorm extends Module {
  /** "LayerNorm(D)", used in error messages. */
  readonly name: string;
  /** ε in √(σ² + ε). */
  readonly eps: number;
  /** Whether γ and β are learned. */
  readonly elementwiseAffine: boolean;

  // parameters
  readonly gamma: Parameter; // γ: [1, D], starts at 1 (stays 1 without elementwiseAffine)
  readonly beta: Parameter; // β: [1, D], starts at 0

  protected override cache: LayerNormCache | null = null;

  constructor(
    readonly numFeatures: number,
    options: LayerNormOptions = {},
  ) {
    super();
    assertPositiveInteger(numFeatures, "numFeatures", "LayerNorm");
    this.name = `LayerNorm(${numFeatures})`;
    assertOptions(options, `${this.name} options`, "{ eps: 1e-5 }");
    const { eps = 1e-5, elementwiseAffine = true } = options;
    assertPositive(eps, "eps", this.name);
    this.eps = eps;
    this.elementwiseAffine = elementwiseAffine;
    this.gamma = new Parameter("gamma", Matrix.full(1, numFeatures, 1));
    this.beta = new Parameter("beta", Matrix.zeros(1, numFeatures));
  }

  /** inputSize: this layer keeps the width (declared, so `Sequential` can tell it from a layer that does not say). */
  override outputSize(inputSize: number): number {
    return inputSize;
  }

  /** x: [N, D] → out: [N, D], each row normalized over its features. */
  forward(x: Matrix): Matrix {
    assertMatrix(x, `${this.name}.forward x`);
    this.checkInput(x);
    const { out, cache } = layerNormForward(x, this.gamma.value, this.beta.value, this.eps);
    this.cache = cache;
    return out;
  }

  /** The checks of `forward`: x is a non-empty [N, numFeatures] (any N ≥ 1). */
  override checkInput(x: Shaped): void {
    const where = `${this.name}.forward x`;
    assertNonEmpty(x, where);
    assertShape(
      x,
      [null, this.numFeatures],
      where,
      `x needs one column per feature (numFeatures = ${this.numFeatures}).`,
    );
  }

  /** dOut: [N, D] → dX: [N, D]; adds dGamma, dBeta into the parameters' grad (when elementwiseAffine). */
  backward(dOut: Matrix): Matrix {
    assertMatrix(dOut, `${this.name}.backward dOut`);
    if (this.cache === null) missingForward(`${this.name}.backward`);
    const { rows, cols } = this.cache.xHat;
    assertShape(
      dOut,
      [rows, cols],
      `${this.name}.backward dOut`,
      "dOut must have the shape of the last forward output.",
    );
    const { dX, dGamma, dBeta } = layerNormBackward(dOut, this.cache);
    if (this.elementwiseAffine) {
      this.gamma.accumulate(dGamma); // gamma.grad += dGamma
      this.beta.accumulate(dBeta); // beta.grad += dBeta
    }
    return dX;
  }

  /** [gamma, beta] when elementwiseAffine, else []. */
  override parameters(): Parameter[] {
    return this.elementwiseAffine ? [this.gamma, this.beta] : [];
  }
}
