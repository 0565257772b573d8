/**
 * The worker thread of `runSearchParallel` (runs compiled, from dist/lib/search/worker.js).
 * It loads the trial module once, then answers each { trial } message with { result }.
 * A closure cannot cross threads, so the trial function is named by module path + export.
 */
import { parentPort, workerData } from "node:worker_threads";
import { selectKernels } from "./pool";
import { runTrial, type EarlyStopRule, type TrialFunction } from "./run";
import type { Trial } from "./space";

/** What the main thread passes when it starts a worker. */
export interface SearchWorkerData {
  module: string;
  exportName: string;
  earlyStop?: EarlyStopRule;
  /** The parent's `kernels.name`: the worker multiplies matrices with the same kernel, so results match bit for bit. */
  kernelName: string;
}

function main(): void {
  if (!parentPort) return; // loaded outside a worker: nothing to do
  const port = parentPort;
  const { module, exportName, earlyStop, kernelName } = workerData as SearchWorkerData;
  let trialFunction: TrialFunction;
  try {
    selectKernels(kernelName);
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- the trial module is named at run time
    trialFunction = (require(module) as Record<string, TrialFunction>)[exportName];
    if (typeof trialFunction !== "function") throw new Error(`${module} has no exported function "${exportName}"`);
  } catch (error) {
    port.postMessage({ fatal: error instanceof Error ? error.message : String(error) });
    return;
  }
  port.on("message", (trial: Trial) => {
    void runTrial(trial, trialFunction, earlyStop).then((result) => port.postMessage({ result }));
  });
  port.postMessage({ ready: true });
}

main();
