/**
 * The slot of SGD's update pass (and of the gradient accumulation the layers do before it), as
 * `kernels.gemm` is the slot of the multiply: one call per parameter, on whole arrays.
 *
 *   sgdUpdate(theta, grad, alpha, lambda)                    θ = θ − α(∇L + λθ)           (μ = 0)
 *   sgdMomentumUpdate(theta, grad, v, alpha, mu, lambda)     v = μv + (∇L + λθ);  θ = θ − αv
 *
 * θ, ∇L and v are arrays of the same length (a parameter's value, grad and velocity). Until
 * something else is registered they are the readable loops below; `useFastKernels()` (lib/fast)
 * may put faster ones in their place, `useReferenceKernels()` puts these back. `SGD.step` makes one
 * call per parameter and never asks which version runs.
 */

/** θ[i] = θ[i] − α(∇L[i] + λθ[i]) for every i: plain gradient descent with L2 weight decay λ. */
export function sgdUpdate(theta: Float64Array, grad: Float64Array, alpha: number, lambda: number): void {
  for (let i = 0; i < theta.length; i++) theta[i] -= alpha * (grad[i] + lambda * theta[i]); // θ = θ − α(∇L + λθ)
}

/** v[i] = μv[i] + (∇L[i] + λθ[i]), then θ[i] = θ[i] − αv[i]: each number read and written once. */
export function sgdMomentumUpdate(
  theta: Float64Array,
  grad: Float64Array,
  v: Float64Array,
  alpha: number,
  mu: number,
  lambda: number,
): void {
  for (let i = 0; i < theta.length; i++) {
    v[i] = mu * v[i] + (grad[i] + lambda * theta[i]); // v = μv + g,  g = ∇L + λθ
    theta[i] -= alpha * v[i]; // θ = θ − αv
  }
}

/** The passes `sgdKernels` holds; see the file comment. */
export interface SGDKernels {
  sgdUpdate: typeof sgdUpdate;
  sgdMomentumUpdate: typeof sgdMomentumUpdate;
}

/** The readable passes, to restore them (`useReferenceKernels`) or compare with a faster set. */
export const readableSGDKernels: Readonly<SGDKernels> = Object.freeze({ sgdUpdate, sgdMomentumUpdate });

/** The slot: the passes `SGD.step` calls (the readable ones until lib/fast registers others). */
export const sgdKernels: SGDKernels = { ...readableSGDKernels };
