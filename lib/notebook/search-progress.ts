/**
 * `searchProgress(label)`: the `onResult` callback of `lab.runSearch` / `lab.runSearchParallel`
 * that shows a hyperparameter search as one line, rewritten in place after each trial:
 *
 *   await lab.runSearch(trials, lab.mlpTrial, { onResult: show.searchProgress("random search") });
 *   // random search: 7/16 trials · 1.3 s · last: trial 6 ok
 */
import type { TrialResult } from "../search/run";
import { statusLine } from "./table";

/** What the progress line reads from a trial's result. */
export type SearchProgressResult = Pick<TrialResult, "id" | "status">;

/** Options of `searchProgress`. */
export interface SearchProgressOptions {
  /** Milliseconds now (default performance.now; tests pass a fake clock). */
  clock?: () => number;
}

/** "random search: 7/16 trials · 1.3 s · last: trial 6 ok" (seconds since the search started). */
export function searchProgressLine(label: string, result: SearchProgressResult, done: number, total: number, elapsedSeconds: number): string {
  return `${label}: ${done}/${total} trials · ${elapsedSeconds.toFixed(1)} s · last: trial ${result.id} ${result.status}`;
}

/**
 * An `onResult(result, done, total)` for one search: the first call shows the line, later calls
 * replace it (one output per search). The clock starts now, so create it right before the search.
 */
export function searchProgress(label: string, { clock = () => performance.now() }: SearchProgressOptions = {}): (result: SearchProgressResult, done: number, total: number) => Promise<void> {
  const status = statusLine();
  const started = clock();
  return (result, done, total) => status.set(searchProgressLine(label, result, done, total, (clock() - started) / 1000));
}
