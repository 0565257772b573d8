/**
 * `searchProgress(label)`: the `onResult` callback of `lab.runSearch` / `lab.runSearchParallel`
 * that shows a hyperparameter search as one line, rewritten in place after each trial:
 *
 *   await lab.runSearch(trials, lab.mlpTrial, { onResult: show.searchProgress("random search") });
 *   // random search: 16/16 trials (15 ok, 1 failed) · best: trial 6, validationAccuracy 0.9517 · in 4.2 s
 *
 * The line says nothing about the order in which trials finished (parallel workers finish in a
 * different order each run): counts per status, and the best trial so far, ties going to the lower
 * trial id. So once every trial is done, two runs print the same line, up to the seconds.
 */
import type { TrialResult } from "../search/run";
import { statusLine } from "./table";

/** What the progress line reads from a trial's result. */
export type SearchProgressResult = Pick<TrialResult, "id" | "status"> & { metrics?: Record<string, number> };

/** Options of `searchProgress`. */
export interface SearchProgressOptions {
  /** Milliseconds now (default performance.now; tests pass a fake clock). */
  clock?: () => number;
  /** The metric that picks the best trial, higher is better (default "validationAccuracy"). */
  metric?: string;
}

/**
 * "random search: 7/16 trials (6 ok, 1 failed) · best so far: trial 3, validationAccuracy 0.9123 · in 1.3 s":
 * `results` are the trials done, in any order; "best" instead of "best so far" once all `total` are done.
 */
export function searchProgressLine(
  label: string,
  results: readonly SearchProgressResult[],
  total: number,
  elapsedSeconds: number,
  metric = "validationAccuracy",
): string {
  const statuses = (["ok", "stopped", "failed"] as const)
    .map((status) => [status, results.filter((r) => r.status === status).length] as const)
    .filter(([, count]) => count > 0)
    .map(([status, count]) => `${count} ${status}`);
  const best = bestTrial(results, metric);
  const bestText = best
    ? ` · best${results.length < total ? " so far" : ""}: trial ${best.id}, ${metric} ${best.value.toPrecision(4)}`
    : "";
  return (
    `${label}: ${results.length}/${total} trials ` +
    `(${statuses.join(", ")})${bestText} · in ${elapsedSeconds.toFixed(1)} s`
  );
}

/** The trial with the highest finite `metric`, the lower id on a tie; undefined when none has it. */
function bestTrial(
  results: readonly SearchProgressResult[],
  metric: string,
): { id: number; value: number } | undefined {
  let best: { id: number; value: number } | undefined;
  for (const r of results) {
    const value = r.metrics?.[metric];
    if (value === undefined || !Number.isFinite(value)) continue;
    if (!best || value > best.value || (value === best.value && r.id < best.id)) best = { id: r.id, value };
  }
  return best;
}

/**
 * An `onResult(result, done, total)` for one search: the first call shows the line, later calls
 * replace it (one output per search). The clock starts now, so create it right before the search.
 */
export function searchProgress(
  label: string,
  { clock = () => performance.now(), metric }: SearchProgressOptions = {},
): (result: SearchProgressResult, done: number, total: number) => Promise<void> {
  const status = statusLine();
  const started = clock();
  const results: SearchProgressResult[] = [];
  return (result, _done, total) => {
    results.push(result);
    return status.set(searchProgressLine(label, results, total, (clock() - started) / 1000, metric));
  };
}
