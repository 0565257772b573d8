/**
 * Elementwise activations: out = f(x), dX = dOut ⊙ f′(x), all shapes [N, D].
 *
 *   ReLU      f(x) = max(0, x)              f′(x) = 1 if x > 0 else 0   (0 at x = 0, like PyTorch)
 *   Sigmoid   f(x) = σ(x) = 1 / (1 + e⁻ˣ)   f′(x) = σ(x)·(1 − σ(x))
 *   Tanh      f(x) = tanh(x)                f′(x) = 1 − tanh²(x)
 *
 * The derivatives are written with the saved output where possible (σ, tanh), as
 * PyTorch does, so backward needs no second exp.
 */
import { assertMatrix, assertShape, missingForward } from "../core/checks";
import { Matrix } from "../core/matrix";
import { tanh } from "../core/math";
import { Module, type PassOptions } from "./layer";
import { layerKernels } from "./layer-kernels";

/** What `backward` needs from `forward`. */
interface ActivationCache {
  x: Matrix; // [N, D] input
  out: Matrix; // [N, D] f(x)
}

/**
 * An elementwise activation without parameters: subclasses give f and f′ as one plain loop over
 * the numbers each (one call per batch, not per number, so the loop stays fast).
 */
abstract class ElementwiseActivation extends Module {
  protected override cache: ActivationCache | undefined = undefined;

  /** out[k] = f(x[k]) for every k. */
  protected abstract applyElementwise(x: Float64Array, out: Float64Array): void;
  /** dX[k] = dOut[k] · f′(x[k]) for every k, given x and out = f(x). */
  protected abstract gradientElementwise(
    dOut: Float64Array,
    x: Float64Array,
    out: Float64Array,
    dX: Float64Array,
  ): void;

  /** inputSize: this layer keeps the width (declared, so `Sequential` can tell it from a layer that does not say). */
  override outputSize(inputSize: number): number {
    return inputSize;
  }

  /** x: [N, D] → f(x): [N, D] (fresh, or this layer's buffer with `{ reuse: true }`). */
  forward(x: Matrix, options?: PassOptions): Matrix {
    assertMatrix(x, `${this.name}.forward x`);
    this.checkInput(x);
    const out = this.resultMatrix("out", x.rows, x.cols, options);
    this.applyElementwise(x.data, out.data); // f(x)
    this.cache = { x, out };
    return out;
  }

  /** dOut: [N, D] → dX = dOut ⊙ f′(x): [N, D] (fresh, or this layer's buffer with `{ reuse: true }`). */
  backward(dOut: Matrix, options?: PassOptions): Matrix {
    assertMatrix(dOut, `${this.name}.backward dOut`);
    if (this.cache === undefined) return missingForward(`${this.name}.backward`);
    const { x, out } = this.cache;
    assertShape(
      dOut,
      [x.rows, x.cols],
      `${this.name}.backward dOut`,
      "dOut must have the shape of the last forward's output.",
    );
    const dX = this.resultMatrix("dX", x.rows, x.cols, options);
    this.gradientElementwise(dOut.data, x.data, out.data, dX.data); // dOut ⊙ f′(x)
    return dX;
  }
}

/**
 * ReLU: out = max(0, x). The gradient at exactly x = 0 is taken as 0 (PyTorch's choice).
 * NaN stays NaN (as `torch.relu`), so a NaN from upstream is never hidden as 0; its gradient is 0.
 */
export class ReLU extends ElementwiseActivation {
  readonly name = "ReLU";

  protected applyElementwise(x: Float64Array, out: Float64Array): void {
    for (let k = 0; k < x.length; k++) out[k] = x[k] <= 0 ? 0 : x[k]; // max(0, x); NaN ≤ 0 is false, so NaN stays NaN
  }

  protected gradientElementwise(dOut: Float64Array, x: Float64Array, _out: Float64Array, dX: Float64Array): void {
    for (let k = 0; k < x.length; k++) dX[k] = dOut[k] * (x[k] > 0 ? 1 : 0); // dOut · f′(x)
  }
}

/**
 * Sigmoid: out = σ(x) = 1 / (1 + e⁻ˣ), computed stably: for x < 0 as eˣ / (1 + eˣ),
 * so e^|x| never overflows (σ(−1000) = 0, σ(1000) = 1, never NaN). The loops are
 * `sigmoidForward` / `sigmoidBackward` in layer-kernels.ts, called through the slot `layerKernels`.
 */
export class Sigmoid extends ElementwiseActivation {
  readonly name = "Sigmoid";

  protected applyElementwise(x: Float64Array, out: Float64Array): void {
    layerKernels.sigmoidForward(x, out); // σ(x)
  }

  protected gradientElementwise(dOut: Float64Array, _x: Float64Array, out: Float64Array, dX: Float64Array): void {
    layerKernels.sigmoidBackward(dOut, out, dX); // dOut · σ(1 − σ)
  }
}

/** Tanh: out = tanh(x) = (eˣ − e⁻ˣ) / (eˣ + e⁻ˣ), via core/math's `tanh` (same bits in every engine). */
export class Tanh extends ElementwiseActivation {
  readonly name = "Tanh";

  protected applyElementwise(x: Float64Array, out: Float64Array): void {
    for (let k = 0; k < x.length; k++) out[k] = tanh(x[k]); // tanh(x)
  }

  protected gradientElementwise(dOut: Float64Array, _x: Float64Array, out: Float64Array, dX: Float64Array): void {
    for (let k = 0; k < out.length; k++) dX[k] = dOut[k] * (1 - out[k] * out[k]); // dOut · (1 − tanh²)
  }
}
