/**
 * What a search worker does with each message (lib/search/worker.ts does the same in a Node thread):
 *   { start: { exportName, earlyStop, kernelName } } → selects the kernel's matrix multiply and the
 *     built-in trial function, answers { ready: true }, or { fatal } when either is missing;
 *   { trial } → runs it (`runTrial`: a trial that throws is kept as "failed") and answers { result }.
 * Plain function of `post`, so the unit test can run it in Node (lite/test/search.test.ts).
 */
import { kernels } from "../../lib/core/gemm";
import { selectKernels, type WorkerMessage } from "../../lib/search/pool";
import { runTrial, type EarlyStopRule, type TrialFunction } from "../../lib/search/run";
import * as builtInTrials from "../../lib/search/trials";
import type { SearchWorkerRequest } from "../twins/search-parallel";

/** The message handler of one search worker, answering through `post`. */
export function searchWorkerHandler(post: (message: WorkerMessage) => void): (request: SearchWorkerRequest) => void {
  let trialFunction: TrialFunction | undefined;
  let earlyStop: EarlyStopRule | undefined;
  return (request) => {
    if ("trial" in request) {
      if (!trialFunction) throw new Error("search worker: a trial came before { start }");
      void runTrial(request.trial, trialFunction, earlyStop).then((result) => post({ result }));
      return;
    }
    const { module, exportName, kernelName } = request.start;
    selectKernels(kernelName);
    const found = (builtInTrials as unknown as Record<string, unknown>)[exportName];
    if (kernels.name !== kernelName)
      post({ fatal: `the ${kernelName} matrix multiply did not load in the worker (it has ${kernels.name})` });
    else if (typeof found !== "function") post({ fatal: `${module} has no exported function "${exportName}"` });
    else {
      trialFunction = found as TrialFunction;
      earlyStop = request.start.earlyStop;
      post({ ready: true });
    }
  };
}
