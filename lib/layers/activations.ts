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
import { assertNonEmpty, assertShape, missingForward } from "../core/checks";
import { Matrix } from "../core/matrix";
import { Module } from "./layer";

/** What `backward` needs from `forward`. */
interface ActivationCache {
  x: Matrix; // [N, D] input
  out: Matrix; // [N, D] f(x)
}

/** An elementwise activation without parameters: subclasses give f and f′. */
abstract class ElementwiseActivation extends Module {
  private cache: ActivationCache | undefined;

  /** f(x) for one number. */
  protected abstract apply(x: number): number;
  /** f′(x) for one number, given x and out = f(x). */
  protected abstract derivative(x: number, out: number): number;

  /** x: [N, D] → f(x): [N, D]. */
  forward(x: Matrix): Matrix {
    assertNonEmpty(x, `${this.name}.forward x`);
    const out = new Matrix(x.rows, x.cols); // fresh: callers may keep it
    for (let k = 0; k < x.data.length; k++) out.data[k] = this.apply(x.data[k]); // f(x)
    this.cache = { x, out };
    return out;
  }

  /** dOut: [N, D] → dX = dOut ⊙ f′(x): [N, D]. */
  backward(dOut: Matrix): Matrix {
    if (this.cache === undefined) return missingForward(`${this.name}.backward`);
    const { x, out } = this.cache;
    assertShape(dOut, [x.rows, x.cols], `${this.name}.backward dOut`, "dOut must have the shape of the last forward's output.");
    const dX = new Matrix(x.rows, x.cols);
    for (let k = 0; k < dX.data.length; k++) dX.data[k] = dOut.data[k] * this.derivative(x.data[k], out.data[k]); // dOut ⊙ f′(x)
    return dX;
  }
}

/** ReLU: out = max(0, x). The gradient at exactly x = 0 is taken as 0 (PyTorch's choice). */
export class ReLU extends ElementwiseActivation {
  readonly name = "ReLU";

  protected apply(x: number): number {
    return x > 0 ? x : 0;
  }

  protected derivative(x: number): number {
    return x > 0 ? 1 : 0;
  }
}

/**
 * Sigmoid: out = σ(x) = 1 / (1 + e⁻ˣ), computed stably: for x < 0 as eˣ / (1 + eˣ),
 * so e^|x| never overflows (σ(−1000) = 0, σ(1000) = 1, never NaN).
 */
export class Sigmoid extends ElementwiseActivation {
  readonly name = "Sigmoid";

  protected apply(x: number): number {
    if (x >= 0) return 1 / (1 + Math.exp(-x));
    const e = Math.exp(x); // in (0, 1): no overflow
    return e / (1 + e);
  }

  protected derivative(_x: number, out: number): number {
    return out * (1 - out); // σ′ = σ(1 − σ)
  }
}

/** Tanh: out = tanh(x) = (eˣ − e⁻ˣ) / (eˣ + e⁻ˣ), via `Math.tanh` (stable for large |x|). */
export class Tanh extends ElementwiseActivation {
  readonly name = "Tanh";

  protected apply(x: number): number {
    return Math.tanh(x);
  }

  protected derivative(_x: number, out: number): number {
    return 1 - out * out; // tanh′ = 1 − tanh²
  }
}
