/**
 * The options of `BatchNorm1d`, their defaults (PyTorch's) and their checks.
 */
import { assertInRange, assertPositive, InputError } from "../core/checks";
import type { RunningStatsConvention } from "./running-statistics";

/** Options of `BatchNorm1d` (defaults are PyTorch's). */
export interface BatchNormOptions {
  /** ε added to the variance before the square root; must be > 0. Default 1e-5 (the lecture text uses 1e-8). */
  eps?: number;
  /**
   * "pytorch" (default): weight of the NEW batch, default 0.1; null = cumulative average of all batches.
   * "cs231n": weight of the OLD running value, default 0.9. Either way a number in [0, 1].
   */
  momentum?: number | null;
  /** Learn γ and β (default true). When false they stay 1 and 0 and `parameters()` is empty. */
  affine?: boolean;
  /** Keep running statistics (default true). When false, `eval()` also normalizes with batch statistics. */
  trackRunningStats?: boolean;
  /** Running-statistics convention, see `running-statistics.ts`: "pytorch" (default) or "cs231n". */
  convention?: RunningStatsConvention;
  /**
   * The variance that normalizes a batch in training: "biased" ÷N (default; the paper, PyTorch, cs231n)
   * or "unbiased" ÷(N − 1) (Karpathy's makemore, which calls `x.var(0)`).
   */
  trainingVariance?: "biased" | "unbiased";
}

/** The options with their defaults filled in (momentum's default depends on the convention), checked. */
export function resolveBatchNormOptions(options: BatchNormOptions, where: string): Required<BatchNormOptions> {
  const {
    convention = "pytorch",
    eps = 1e-5,
    affine = true,
    trackRunningStats = true,
    trainingVariance = "biased",
  } = options;
  const { momentum = convention === "cs231n" ? 0.9 : 0.1 } = options;
  checkChoice(convention, ["pytorch", "cs231n"], "convention", where);
  checkChoice(trainingVariance, ["biased", "unbiased"], "trainingVariance", where);
  assertPositive(eps, "eps", where);
  if (momentum !== null) assertInRange(momentum, 0, 1, "momentum", where);
  if (momentum === null && convention === "cs231n") {
    throw new InputError(
      `${where}: momentum null (a cumulative average) exists only in ` +
        `the "pytorch" convention; give "cs231n" a number such as 0.9.`,
    );
  }
  return { convention, eps, momentum, affine, trackRunningStats, trainingVariance };
}

function checkChoice(value: string, allowed: string[], name: string, where: string): void {
  if (!allowed.includes(value)) {
    throw new InputError(
      `${where}: ${name} must be one of ${allowed.map((a) => `"${a}"`).join(", ")}, got ${JSON.stringify(value)}.`,
    );
  }
}
