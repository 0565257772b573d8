/**
 * "Caviar" search: many models trained at once, one per CPU core, with `worker_threads`.
 *
 *   const results = await runSearchParallel(trials, { module: builtInTrialsModule, exportName: "mlpTrial", workers: 2
 *   });
 *
 * Each worker loads the compiled library (dist/lib/search/worker.js), selects the same matrix
 * kernel as this thread (`kernels.name`), loads the trial module, then takes the next waiting
 * trial whenever it is free. A trial's result depends only on its config and seed, so results
 * are identical with 1, 2 or 8 workers (only `seconds` differs); they come back in trial order.
 * A worker that crashes or exits mid-trial fails that trial; a fresh worker takes over (pool.ts, which the
 * browser's Web Worker version shares).
 */
import { cpus } from "node:os";
import { isAbsolute, join, resolve } from "node:path";
import { Worker } from "node:worker_threads";
import { kernels } from "../core/gemm";
import {
  checkParallelOptions,
  runInPool,
  type ParallelSearchOptions,
  type PoolWorker,
  type WorkerEvents,
  type WorkerMessage,
} from "./pool";
import type { TrialResult } from "./run";
import type { Trial, TrialConfig } from "./space";
import type { SearchWorkerData } from "./worker";

export type { ParallelSearchOptions };

/** Runs `trials` across worker threads; see the file comment. Rejects if the module cannot be loaded. */
export async function runSearchParallel<C extends TrialConfig>(
  trials: readonly Trial<C>[],
  options: ParallelSearchOptions<C>,
): Promise<TrialResult<C>[]> {
  const { module, exportName, workers = cpus().length } = options;
  checkParallelOptions(module, exportName, workers);
  const data: SearchWorkerData = {
    module: isAbsolute(module) ? module : resolve(module),
    exportName,
    earlyStop: options.earlyStop,
    kernelName: kernels.name,
  };
  return runInPool(trials, workers, (events) => startThread(data, events), options.onResult);
}

/** One worker thread running dist/lib/search/worker.js, its events wired to the pool's. */
function startThread<C extends TrialConfig>(data: SearchWorkerData, events: WorkerEvents<C>): PoolWorker {
  const worker = new Worker(join(__dirname, "worker.js"), { workerData: data });
  worker.on("message", (message: WorkerMessage<C>) => events.message(message));
  worker.on("error", (error: Error) => events.lost(error.message));
  worker.on("exit", (code) => events.lost(`exit code ${code}`));
  return { run: (trial) => worker.postMessage(trial), terminate: () => void worker.terminate() };
}
