/**
 * Browser twin of lib/search/parallel.ts: `runSearchParallel` with the same options and the
 * same results, on ONE thread for now (the kernel's web worker). A trial's result depends only on
 * its config and seed, so the results are those of 1, 2 or 8 Node worker threads (only `seconds`
 * differs); `workers` is checked and then ignored. The trial function is found by its module path:
 * only the library's own `builtInTrialsModule` exists in the browser.
 * TODO (issue 15): run trials in Web Workers, each loading the library bundle.
 */
import { InputError } from "../../lib/core/checks";
import { runSearch, type SearchOptions, type TrialResult } from "../../lib/search/run";
import type { Trial, TrialConfig } from "../../lib/search/space";
import * as builtInTrials from "../../lib/search/trials";

/** Options of `runSearchParallel` (as in Node). */
export interface ParallelSearchOptions<C extends TrialConfig = TrialConfig> extends SearchOptions<C> {
  module: string;
  exportName: string;
  workers?: number;
}

export async function runSearchParallel<C extends TrialConfig>(
  trials: readonly Trial<C>[],
  options: ParallelSearchOptions<C>,
): Promise<TrialResult<C>[]> {
  const { module, exportName, workers = 1 } = options;
  if (!module || !exportName)
    throw new InputError(
      "runSearchParallel: pass { module: <path of a compiled .js>, exportName: <its trial function> }.",
    );
  if (!Number.isInteger(workers) || workers < 1)
    throw new InputError(`runSearchParallel: workers must be a whole number ≥ 1, got ${workers}.`);
  if (module !== builtInTrials.builtInTrialsModule) {
    throw new InputError(
      `runSearchParallel: in the browser only lab.builtInTrialsModule can be loaded, not ${module}; use lab.runSearch with your trial function instead.`,
    );
  }
  const trialFunction = (builtInTrials as unknown as Record<string, unknown>)[exportName];
  if (typeof trialFunction !== "function")
    throw new InputError(
      `runSearchParallel: could not load the trial function: ${module} has no exported function "${exportName}"`,
    );
  return runSearch(trials, trialFunction as never, { earlyStop: options.earlyStop, onResult: options.onResult });
}
