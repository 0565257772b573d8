/**
 * Trial functions for the search tests (not exported from the library); compiled to
 * dist/lib/search/test-trials.js so that worker threads can load them by name.
 */
import { kernels } from "../core/gemm";
import type { TrialContext, TrialOutput } from "./run";
import type { TrialConfig } from "./space";

/** A noisy bowl in log₁₀ α, best at α = 10^-2: score = −(log₁₀ α + 2)² + 0.01·noise; throws for α > 0.5. */
export function noisyBowl(config: TrialConfig, context: TrialContext): TrialOutput {
  const rate = Number(config.learningRate);
  if (rate > 0.5) throw new Error(`learning rate ${rate} is too large`);
  const curve = [0, 1, 2].map(() => context.rng.normal());
  curve.forEach((value, epoch) => context.report(epoch, { score: -((Math.log10(rate) + 2) ** 2) + 0.01 * value }));
  return { score: -((Math.log10(rate) + 2) ** 2) + 0.01 * curve[2], seed: context.seed, curve };
}

/**
 * noisyBowl, except that α > 0.5 ends the thread (process.exit in a worker stops only that worker): for worker threads
 * only.
 */
export function exitsOnLarge(config: TrialConfig, context: TrialContext): TrialOutput {
  if (Number(config.learningRate) > 0.5) process.exit(3);
  return noisyBowl(config, context);
}

/** The kernel names a worker can select, in the order `reportsKernel` numbers them. */
export const KERNEL_NAMES = ["reference", "packed-ts", "wasm-simd"];

/** Reports which matrix kernel this thread uses, as its index in `KERNEL_NAMES`. */
export function reportsKernel(): TrialOutput {
  return { kernel: KERNEL_NAMES.indexOf(kernels.name) };
}
