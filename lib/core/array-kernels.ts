/**
 * The slot of the gradient accumulation `Parameter.accumulate` does after every product
 * (dW += xᵀ·dOut), as `kernels.gemm` is the slot of the multiply:
 *
 *   addInto(target, source)     target[i] += source[i] for every i     (arrays of the same length)
 *
 * Until something else is registered it is the readable loop below; `useFastKernels()` (lib/fast)
 * may put a faster one in its place, `useReferenceKernels()` puts this one back.
 */

/** target[i] += source[i] for every i (gradients add up; never assign). */
export function addInto(target: Float64Array, source: Float64Array): void {
  for (let i = 0; i < source.length; i++) target[i] += source[i];
}

/** The slot: the pass `Parameter.accumulate` calls (the readable one until lib/fast registers another). */
export const arrayKernels: { addInto: (target: Float64Array, source: Float64Array) => void } = { addInto };
