/**
 * Helpers for the layer tests (not exported from the library).
 *
 * `layerGradientErrors` runs one forward and backward, then compares with centered finite
 * differences of L = Σ forward(x) ⊙ dOut: the input gradient dX and every parameter's grad.
 */
import { Matrix } from "../core/matrix";
import type { Rng } from "../core/random";
import { numericalGradient, numericalGradientOf, relError } from "../gradcheck";
import type { Layer } from "./layer";

/** Σ a ⊙ b. */
export function contract(a: Matrix, b: Matrix): number {
  let s = 0;
  for (let i = 0; i < a.data.length; i++) s += a.data[i] * b.data[i];
  return s;
}

/** relError of dX (key "x") and of each parameter's grad (keyed by name) against finite differences. */
export function layerGradientErrors(layer: Layer, x: Matrix, dOut: Matrix): Record<string, number> {
  layer.zeroGrad();
  layer.forward(x);
  const dX = layer.backward(dOut);
  const errors: Record<string, number> = {
    x: relError(
      dX,
      numericalGradient((v) => layer.forward(v), x, dOut),
    ),
  };
  for (const p of layer.parameters()) {
    errors[p.name] = relError(
      p.grad,
      numericalGradientOf(() => contract(layer.forward(x), dOut), p.value),
    );
  }
  return errors;
}

/** A [rows, cols] matrix of N(mean, std²) numbers with per-column scales: non-trivial test inputs. */
export function randomBatch(rng: Rng, rows: number, cols: number, mean = 0.7, std = 1.3): Matrix {
  const scales = Array.from({ length: cols }, (_, j) => 0.5 + (j % 3)); // columns of different sizes
  return new Matrix(rows, cols, rng.normalArray(rows * cols, 0, 1)).map((v, _i, j) => mean + std * scales[j] * v);
}
