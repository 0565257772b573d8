/**
 * Coarse-to-fine search (由粗到细): sample the whole space, keep the region of the best trials,
 * sample it more densely, repeat. Ranges shrink in each dimension's own scale (log₁₀ α for a
 * learning rate), so a region spanning 1e-3…1e-2 stays a decade wide, not a sliver near 1e-2.
 */
import { InputError, assertPositiveInteger } from "../core/checks";
import { formatValue, type Dimension, type ParameterValue } from "./dimensions";
import type { TrialResult } from "./run";
import { randomTrials, type ConfigOf, type SearchSpace, type Trial, type TrialConfig } from "./space";
import { sortResults } from "./table";

/** Options of `narrowSpace`. */
export interface NarrowOptions {
  /** The metric to rank trials by. */
  metric: string;
  /** Keep the region spanned by the best `topK` successful trials (default 5). */
  topK?: number;
  /** Pad that region by this share of the current width, in the scale (default 0.1). */
  margin?: number;
  /** Largest metric is best (default true). */
  descending?: boolean;
}

/**
 * The next, smaller space: for each dimension, the range (in its scale) spanned by the values of
 * the `topK` best successful trials, padded by `margin` × the current width and clipped to the
 * current range; a `choice` keeps only the values those trials used.
 */
export function narrowSpace<S extends SearchSpace>(
  space: S,
  results: readonly TrialResult[],
  options: NarrowOptions,
): S {
  const { metric, topK = 5, margin = 0.1, descending = true } = options;
  assertPositiveInteger(topK, "topK", "narrowSpace");
  const best = sortResults(results, metric, { descending })
    .filter((r) => r.status === "ok" && Number.isFinite(r.metrics[metric]))
    .slice(0, topK);
  if (best.length === 0)
    throw new InputError(
      `narrowSpace: no successful trial reports "${metric}"; widen the space or lower the learning rates.`,
    );
  const narrowed: Record<string, unknown> = {};
  for (const name of Object.keys(space)) {
    const dimension = space[name] as Dimension<ParameterValue>; // one call signature for the union
    narrowed[name] = dimension.narrow(
      best.map((r) => r.config[name]),
      margin,
    );
  }
  return narrowed as S;
}

/** Options of `edgeWarnings`. */
export interface EdgeWarningOptions {
  metric: string;
  /** Warn when the best value lies within this share of the width from an edge, in the scale (default 0.1). */
  edge?: number;
  descending?: boolean;
}

/**
 * Warnings for optima at the edge of the range: when the best trial's value of a continuous
 * hyperparameter sits in the outer `edge` of its range, the true optimum may lie outside it,
 * and no amount of finer search inside will find it. Widen that range and search again.
 */
export function edgeWarnings(
  space: SearchSpace,
  results: readonly TrialResult[],
  { metric, edge = 0.1, descending = true }: EdgeWarningOptions,
): string[] {
  const best = sortResults(results, metric, { descending })[0];
  if (!best || best.status !== "ok") return [];
  const warnings: string[] = [];
  for (const name of Object.keys(space)) {
    const dimension = space[name] as Dimension<ParameterValue>; // one call signature for the union
    const value = best.config[name];
    const p = dimension.position(value);
    if (Number.isNaN(p) || (p >= edge && p <= 1 - edge)) continue;
    const side = p < edge ? "lower" : "upper";
    warnings.push(
      `${name} = ${typeof value === "number" ? formatValue(value) : String(value)} (best ${metric}) lies at the ` +
        `${side} edge of ${dimension.describe()}: the optimum may be outside; widen the range and search again.`,
    );
  }
  return warnings;
}

/** One round of a coarse-to-fine search. */
export interface SearchRound<C extends TrialConfig = TrialConfig> {
  round: number;
  space: SearchSpace;
  results: TrialResult<C>[];
}

/** Options of `coarseToFine`. */
export interface CoarseToFineOptions extends NarrowOptions {
  rounds: number;
  trialsPerRound: number;
  seed: number;
  /** Called after each round (a returned Promise is awaited). */
  onRound?: (round: SearchRound) => void | Promise<void>;
}

/**
 * Runs `rounds` rounds of random search, narrowing the space around the best `topK` trials
 * (of all rounds so far) after each. `run` executes a list of trials: `(t) => runSearch(t, fn)`
 * in this thread or `(t) => runSearchParallel(t, {...})` across cores. Trial ids run on across rounds.
 */
export async function coarseToFine<S extends SearchSpace>(
  space: S,
  run: (trials: Trial<ConfigOf<S>>[]) => Promise<TrialResult[]>,
  options: CoarseToFineOptions,
): Promise<SearchRound[]> {
  const { rounds, trialsPerRound, seed, onRound } = options;
  assertPositiveInteger(rounds, "rounds", "coarseToFine");
  const history: SearchRound[] = [];
  let current: S = space;
  for (let round = 0; round < rounds; round++) {
    const trials = randomTrials(current, { count: trialsPerRound, seed, firstId: round * trialsPerRound, round });
    history.push({ round, space: current, results: await run(trials) });
    if (onRound) await onRound(history[round]);
    if (round + 1 < rounds)
      current = narrowSpace(
        current,
        history.flatMap((h) => h.results),
        options,
      );
  }
  return history;
}
