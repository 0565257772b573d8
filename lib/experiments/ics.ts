/**
 * Internal covariate shift measured through gradients (Santurkar, Tsipras, Ilyas & Madry 2018,
 * "How Does Batch Normalization Help Optimization?", Definition 2.1):
 *
 *   G  = ∇_{W_i} L(W_1, …, W_k; x, y)                          layer i's weight gradient now
 *   G′ = ∇_{W_i} L(W_1′, …, W_{i−1}′, W_i, …, W_k; x, y)       after the layers BEFORE i took their step
 *   ICS_i = ‖G − G′‖₂ ;  cos(G, G′) = ⟨G, G′⟩ / (‖G‖·‖G′‖)
 *
 * If the layers were decoupled, the earlier layers' update would not change what layer i should
 * do: G′ = G, distance 0, cosine 1. The update here is plain SGD, Wⱼ′ = Wⱼ − α·∇_{Wⱼ}L, on the same batch.
 */
import { assertPositive, InputError } from "../core/checks";
import type { Matrix } from "../core/matrix";
import { frobeniusNorm } from "./statistics";
import { computeGradients, type LayeredModel, saveState } from "./trace";

/** ‖a − b‖₂ and cos(a, b) of two same-shaped matrices (cosine NaN when either is 0). */
export function gradientDifference(a: Matrix, b: Matrix): { distance: number; cosine: number } {
  if (a.rows !== b.rows || a.cols !== b.cols) {
    throw new InputError(
      `gradientDifference: G [${a.rows}, ${a.cols}] and G′ [${b.rows}, ${b.cols}] must have the same shape.`,
    );
  }
  let dot = 0;
  let squares = 0;
  for (let i = 0; i < a.data.length; i++) {
    dot += a.data[i] * b.data[i];
    squares += (a.data[i] - b.data[i]) ** 2;
  }
  return { distance: Math.sqrt(squares), cosine: dot / (frobeniusNorm(a) * frobeniusNorm(b)) };
}

/** Options of `internalCovariateShift`. */
export interface CovariateShiftOptions {
  /** Index in `model.layers` of the layer whose weight gradient is compared (it must have a "weight" parameter). */
  layer: number;
  /** α of the SGD step the earlier layers take. */
  learningRate: number;
}

/** What `internalCovariateShift` returns. */
export interface CovariateShift {
  /** ‖G − G′‖₂. */
  distance: number;
  /** ‖G − G′‖₂ / ‖G‖₂, comparable between models whose gradients differ in size. */
  relativeDistance: number;
  /** cos(G, G′). */
  cosine: number;
}

/**
 * Santurkar et al.'s ICS of one layer on one batch (see the file comment). Leaves the model's
 * parameters and BatchNorm buffers as they were; the parameters' `grad` holds G′ afterwards.
 */
export function internalCovariateShift(
  model: LayeredModel,
  x: Matrix,
  labels: ArrayLike<number>,
  options: CovariateShiftOptions,
): CovariateShift {
  const { layer, learningRate } = options;
  const weight = model.layers[layer]?.parameters().find((p) => p.name === "weight");
  if (weight === undefined) {
    throw new InputError(
      `internalCovariateShift: model.layers[${layer}] has no "weight" parameter; pass the index of a Linear layer.`,
    );
  }
  assertPositive(learningRate, "learningRate", "internalCovariateShift");
  const restore = saveState(model);
  let G: Matrix;
  try {
    computeGradients(model, x, labels, "internalCovariateShift");
    G = weight.grad.clone();
    for (const earlier of model.layers.slice(0, layer)) {
      for (const p of earlier.parameters()) {
        // Wⱼ′ = Wⱼ − α·gⱼ
        for (let i = 0; i < p.value.data.length; i++) p.value.data[i] -= learningRate * p.grad.data[i];
      }
    }
    computeGradients(model, x, labels, "internalCovariateShift");
  } finally {
    restore(); // the parameters and BatchNorm buffers as they were, even if a step throws
  }
  const { distance, cosine } = gradientDifference(G, weight.grad);
  return { distance, relativeDistance: distance / frobeniusNorm(G), cosine };
}
