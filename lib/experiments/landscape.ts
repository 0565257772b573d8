/**
 * The "smoother landscape" measurements of Santurkar et al. 2018 (their Fig. 4): from the current
 * parameters θ with gradient g = ∇L(θ) on one batch, step along −g by several sizes η and record
 *
 *   loss(η)             L(θ − η·g)                          (how predictive is the gradient?)
 *   gradientChange(η)   ‖∇L(θ − η·g) − g‖₂                  (how fast does the gradient turn?)
 *   smoothness          max over η of ‖∇L(θ − η·g) − g‖₂ / ‖η·g‖₂   (an "effective β-smoothness")
 *
 * All parameters of the model are moved together; the model is restored afterwards.
 */
import { assertPositive, InputError } from "../core/checks";
import type { Matrix } from "../core/matrix";
import type { Parameter } from "../core/parameter";
import { computeGradients, type LayeredModel, saveState } from "./trace";

/** What `lossAlongGradient` returns; losses[k] and gradientChanges[k] belong to stepSizes[k]. */
export interface GradientDirectionProfile {
  stepSizes: number[];
  /** L(θ) at η = 0. */
  loss: number;
  /** ‖g‖₂ over all parameters. */
  gradientNorm: number;
  losses: number[];
  gradientChanges: number[];
  smoothness: number;
}

/**
 * Loss and gradient change along the gradient direction; see the file comment. Model in training mode (batch
 * statistics).
 */
export function lossAlongGradient(
  model: LayeredModel,
  x: Matrix,
  labels: ArrayLike<number>,
  stepSizes: number[],
): GradientDirectionProfile {
  if (!Array.isArray(stepSizes) || stepSizes.length === 0)
    throw new InputError("lossAlongGradient: pass step sizes, e.g. [0.05, 0.1, 0.2, 0.4].");
  stepSizes.forEach((eta) => assertPositive(eta, "step size", "lossAlongGradient"));
  const params: Parameter[] = model.layers.flatMap((layer) => layer.parameters());
  const restore = saveState(model);
  try {
    return profileAlongGradient(model, x, labels, stepSizes, params, restore);
  } finally {
    restore(); // back to θ and the BatchNorm buffers, even if a step throws
  }
}

function profileAlongGradient(
  model: LayeredModel,
  x: Matrix,
  labels: ArrayLike<number>,
  stepSizes: number[],
  params: Parameter[],
  restore: () => void,
): GradientDirectionProfile {
  const loss = computeGradients(model, x, labels, "lossAlongGradient");
  const g = concatenate(params.map((p) => p.grad.data));
  const start = concatenate(params.map((p) => p.value.data));
  const gradientNorm = norm(g);
  const losses: number[] = [];
  const gradientChanges: number[] = [];
  for (const eta of stepSizes) {
    restore(); // back to θ (and the BatchNorm buffers)
    let offset = 0;
    for (const p of params) {
      const v = p.value.data;
      for (let i = 0; i < v.length; i++) v[i] = start[offset + i] - eta * g[offset + i]; // θ − η·g
      offset += v.length;
    }
    losses.push(computeGradients(model, x, labels, "lossAlongGradient"));
    gradientChanges.push(distanceTo(params, g)); // ‖∇L(θ − η·g) − g‖₂
  }
  const smoothness = Math.max(...gradientChanges.map((change, k) => change / (stepSizes[k] * gradientNorm)));
  return { stepSizes: [...stepSizes], loss, gradientNorm, losses, gradientChanges, smoothness };
}

function concatenate(parts: Float64Array[]): Float64Array {
  const out = new Float64Array(parts.reduce((n, part) => n + part.length, 0));
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
}

/** ‖grads − g‖₂, with the parameters' gradients read in the order `concatenate` lays them out (no copy). */
function distanceTo(params: Parameter[], g: Float64Array): number {
  let s = 0;
  let offset = 0;
  for (const p of params) {
    const grad = p.grad.data;
    for (let i = 0; i < grad.length; i++) s += (grad[i] - g[offset + i]) ** 2;
    offset += grad.length;
  }
  return Math.sqrt(s);
}

function norm(v: Float64Array): number {
  let s = 0;
  for (let i = 0; i < v.length; i++) s += v[i] * v[i];
  return Math.sqrt(s);
}
