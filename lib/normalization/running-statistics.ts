/**
 * Running (moving-average) statistics of batch normalization, and the two conventions
 * students meet for them. Both are the same exponential moving average,
 *   running ← (1 − w)·running + w·batch
 * they only disagree on which number is called "momentum" and on which variance is averaged:
 *
 *   convention  momentum means               default   w (weight of the new batch)   variance averaged   starts at
 *   "pytorch"   weight of the NEW batch      0.1       momentum                      unbiased ÷(N − 1)    mean 0, var 1
 *               (null: cumulative average)            1 / numBatchesTracked
 *   "cs231n"    weight of the OLD value      0.9       1 − momentum                  the one that         mean 0, var 0
 *                                                                                   normalized (biased)
 *
 * So PyTorch's momentum 0.1 and cs231n's momentum 0.9 average identically; only the
 * variance (÷(N − 1) versus ÷N) and the starting running variance differ.
 */
import { assertFinite, assertFiniteNumber, assertMatrix, assertSameShape, InputError } from "../core/checks";
import { Matrix } from "../core/matrix";

/** Which library's running-statistics convention a `BatchNorm1d` follows (see the table above). */
export type RunningStatsConvention = "pytorch" | "cs231n";

/**
 * The exponential moving average (1 − w)·running + w·batch: [1, D], a new matrix, or written into
 * `out` (which may be `running` itself: the update in place, no allocation). A batch holding NaN
 * or ±∞ is rejected (naming its column) before anything is written: it would poison the average for good.
 */
export function runningAverage(running: Matrix, batch: Matrix, batchWeight: number, out?: Matrix): Matrix {
  assertMatrix(running, "runningAverage running");
  assertMatrix(batch, "runningAverage batch");
  assertSameShape(running, batch, "runningAverage");
  assertFiniteNumber(batchWeight, "batchWeight", "runningAverage");
  assertFinite(batch.data, batch.cols, "runningAverage batch");
  if (out === undefined) out = new Matrix(running.rows, running.cols);
  assertMatrix(out, "runningAverage out");
  assertSameShape(running, out, "runningAverage out");
  const [r, b, o] = [running.data, batch.data, out.data];
  for (let j = 0; j < r.length; j++) o[j] = (1 - batchWeight) * r[j] + batchWeight * b[j];
  return out;
}

/**
 * The weight w of the new batch in running ← (1 − w)·running + w·batch.
 *   "pytorch": w = momentum, or 1/numBatchesTracked when momentum is null (cumulative average;
 *              numBatchesTracked counts this batch too, so the first batch gets weight 1)
 *   "cs231n":  w = 1 − momentum
 */
export function runningAverageWeight(
  convention: RunningStatsConvention,
  momentum: number | null,
  numBatchesTracked: number,
): number {
  if (convention === "cs231n") {
    if (momentum === null) {
      throw new InputError(
        "runningAverageWeight: momentum null (a cumulative average) exists " +
          'only in the "pytorch" convention; give cs231n a number such as 0.9.',
      );
    }
    return 1 - momentum; // cs231n: running = momentum·running + (1 − momentum)·batch
  }
  // PyTorch: running = (1 − momentum)·running + momentum·batch
  return momentum === null ? 1 / numBatchesTracked : momentum;
}

/**
 * The batch variance that goes into the running variance, from the variance σ² = Σ(xᵢ − μ)²/M
 * that normalized a batch of N rows (M = N biased, N − 1 unbiased): [1, D], new or written into `out`.
 *   "pytorch": always the unbiased Σ(xᵢ − μ)²/(N − 1) = σ²·M/(N − 1)
 *   "cs231n":  σ² itself (np.var, biased, in cs231n's own code)
 */
export function varianceForRunningAverage(
  convention: RunningStatsConvention,
  variance: Matrix,
  varianceDivisor: number,
  N: number,
  out = new Matrix(variance.rows, variance.cols),
): Matrix {
  assertSameShape(variance, out, "varianceForRunningAverage out");
  const factor = convention === "pytorch" ? varianceDivisor / (N - 1) : 1; // M/(N − 1): unbiased; 1: σ² itself
  for (let j = 0; j < variance.data.length; j++) out.data[j] = variance.data[j] * factor;
  return out;
}
