/**
 * `PercentileTracker`: follows a distribution over training by recording a few of its
 * percentiles at chosen steps — the BN paper's Fig. 1(b, c) tracks the {15, 50, 85}th
 * percentiles of one sigmoid's input.
 */
import { InputError } from "../core/checks";
import type { Matrix } from "../core/matrix";
import { percentilesOf } from "./statistics";

/** One percentile over training: `y[i]` recorded at step `x[i]` (the shape of a plots `Series`). */
export interface PercentileSeries {
  name: string;
  x: number[];
  y: number[];
  dash: "solid" | "dash";
}

/** Records percentiles of a set of values at each `record(step, values)` call. */
export class PercentileTracker {
  readonly steps: number[] = [];
  /** values[k][i]: percentile k at steps[i]. */
  readonly values: number[][];

  constructor(readonly percentiles: number[] = [15, 50, 85]) {
    if (percentiles.length === 0)
      throw new InputError("PercentileTracker: pass at least one percentile, e.g. [15, 50, 85].");
    this.values = percentiles.map(() => []);
  }

  /** Stores the percentiles of `values` (a list or a Matrix's entries) at `step`. */
  record(step: number, values: ArrayLike<number> | Matrix): void {
    const ps = percentilesOf(values, this.percentiles);
    this.steps.push(step);
    ps.forEach((v, k) => this.values[k].push(v));
  }

  /** One line per percentile, named "<label> 15th percentile"…; the middle one solid, the others dashed. */
  series(label: string): PercentileSeries[] {
    const middle = Math.floor(this.percentiles.length / 2);
    return this.percentiles.map((p, k) => ({
      name: `${label} ${p}th percentile`,
      x: [...this.steps],
      y: [...this.values[k]],
      dash: k === middle ? "solid" : "dash",
    }));
  }
}
