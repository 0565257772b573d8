/**
 * The slot through which `BatchNorm1d` runs its training-mode maths, as `kernels.gemm` is the slot
 * of the matrix multiply:
 *
 *   batchNormKernels.forward(x, gamma, beta, eps, { unbiased, workspace, reuse }) → { out, mean, variance, cache }
 *   batchNormKernels.backward(dOut, cache, { workspace, reuse })                 → { dX, dGamma, dBeta }
 *
 * Until something else is registered they are the readable `batchNormForward` and `batchNormBackward`
 * of `batchnorm-functional.ts`. `useFastKernels()` (lib/fast, run when the library is imported) puts
 * fused passes with the same numbers in their place; `useReferenceKernels()` puts these back.
 *
 * `workspace`: the caller's `Workspace`, where a kernel may keep its cache and scratch from call to call.
 * `reuse`: as in `PassOptions`, false (default) for results (out, mean, variance; dX, dGamma, dBeta)
 * in new matrices the caller may keep, true for results in the workspace, overwritten by its next call.
 * A kernel may ignore both and always return new matrices (the readable ones do).
 */
import type { Matrix } from "../core/matrix";
import type { ReuseOption, Workspace } from "../core/workspace";
import {
  batchNormBackward,
  batchNormForward,
  type BatchNormBackwardCache,
  type BatchNormForwardOptions,
  type NormalizationGradients,
} from "./batchnorm-functional";

/** Where a kernel may keep its buffers, and whether its results go there too (see the file comment). */
export interface BatchNormBuffers extends ReuseOption {
  workspace?: Workspace;
}

/**
 * Training-mode forward: x: [N, D], gamma, beta: [1, D] → out [N, D], the batch's mean and variance [1, D], the cache.
 */
export type BatchNormForwardKernel = (
  x: Matrix,
  gamma: Matrix,
  beta: Matrix,
  eps: number,
  options?: BatchNormForwardOptions & BatchNormBuffers,
) => { out: Matrix; mean: Matrix; variance: Matrix; cache: BatchNormBackwardCache };

/** Training-mode backward: dOut: [N, D] and the forward's cache → dX [N, D], dGamma, dBeta [1, D]. */
export type BatchNormBackwardKernel = (
  dOut: Matrix,
  cache: BatchNormBackwardCache,
  buffers?: BatchNormBuffers,
) => NormalizationGradients;

/** The training-mode kernels `BatchNorm1d` calls; see the file comment. */
export const batchNormKernels: { forward: BatchNormForwardKernel; backward: BatchNormBackwardKernel } = {
  forward: batchNormForward,
  backward: batchNormBackward,
};
