/**
 * Browser twin of lib/search/parallel.ts: `runSearchParallel` with the same options, the same
 * `onResult` calls and the same results, its trials run in Web Workers instead of worker threads.
 *
 *   const results = await lab.runSearchParallel(trials, { module: lab.builtInTrialsModule, exportName: "mlpTrial", workers: 2 });
 *
 * The kernel's own web worker starts `workers` nested Web Workers, each running search-worker.js
 * (lite/worker/search-worker.ts: the library without the TypeScript compiler) from the site's own
 * origin, next to the kernel's worker script, with the same ?files=… query, so it reads the data
 * and the wasm multiply as the kernel does. The bookkeeping is the Node version's (lib/search/pool.ts):
 * results in trial order, a worker that dies mid-trial fails that trial, all workers terminated at the
 * end. A trial's result depends only on its config and seed, so only `seconds` differs from a run in one
 * worker or under Node (lib/core/math gives the same bits in every engine).
 * A closure cannot cross into a worker and the browser cannot load a file by its path, so only the
 * library's own `builtInTrialsModule` can be named here. Where a worker cannot start workers (Safari
 * before 15.5), the trials run one after another in the kernel's worker instead, with the same results.
 */
import { cpus } from "node:os";
import { InputError } from "../../lib/core/checks";
import { kernels } from "../../lib/core/gemm";
import {
  checkParallelOptions,
  runInPool,
  type ParallelSearchOptions,
  type PoolWorker,
  type WorkerEvents,
  type WorkerMessage,
} from "../../lib/search/pool";
import { runSearch, type TrialFunction, type TrialResult } from "../../lib/search/run";
import type { Trial, TrialConfig } from "../../lib/search/space";
import * as builtInTrials from "../../lib/search/trials";
import type { SearchWorkerData } from "../../lib/search/worker";

export type { ParallelSearchOptions };

/** What search-worker.js is sent: first { start }, then one { trial } at a time. */
export type SearchWorkerRequest = { start: SearchWorkerData } | { trial: Trial };

/** Runs `trials` across Web Workers; see the file comment. Rejects if the trial function cannot be loaded. */
export async function runSearchParallel<C extends TrialConfig>(
  trials: readonly Trial<C>[],
  options: ParallelSearchOptions<C>,
): Promise<TrialResult<C>[]> {
  const { module, exportName, workers = cpus().length } = options;
  checkParallelOptions(module, exportName, workers);
  if (module !== builtInTrials.builtInTrialsModule)
    throw new InputError(
      `runSearchParallel: in the browser only lab.builtInTrialsModule can be loaded, not ${module}; use lab.runSearch with your trial function instead.`,
    );
  if (typeof Worker === "undefined") return runHere(trials, options); // a browser without workers in workers
  const data: SearchWorkerData = { module, exportName, earlyStop: options.earlyStop, kernelName: kernels.name };
  return runInPool(trials, workers, (events) => startWebWorker(data, events), options.onResult);
}

/** Where a worker cannot start Web Workers (Safari before 15.5): the trials one after another in this worker, same results. */
function runHere<C extends TrialConfig>(trials: readonly Trial<C>[], options: ParallelSearchOptions<C>) {
  const trialFunction = (builtInTrials as unknown as Record<string, TrialFunction<C>>)[options.exportName];
  if (typeof trialFunction !== "function")
    throw new InputError(
      `runSearchParallel: could not load the trial function: ${options.module} has no exported function "${options.exportName}"`,
    );
  return runSearch(trials, trialFunction, { earlyStop: options.earlyStop, onResult: options.onResult });
}

/** The search worker's script: next to this (the kernel's) worker script, with its query. */
export function searchWorkerUrl(): string {
  const here = new URL(globalThis.location.href);
  return new URL(`search-worker.js${here.search}`, here).href;
}

/** One Web Worker running search-worker.js, its events wired to the pool's. */
function startWebWorker<C extends TrialConfig>(data: SearchWorkerData, events: WorkerEvents<C>): PoolWorker {
  const worker = new Worker(searchWorkerUrl());
  worker.onmessage = (event: MessageEvent) => events.message(event.data as WorkerMessage<C>);
  worker.onerror = (event: ErrorEvent) => {
    event.preventDefault(); // reported through the pool, not as an uncaught error of the kernel
    events.lost(
      event.message ? `${event.message} (${event.filename}:${event.lineno})` : "search-worker.js did not load",
    );
  };
  worker.onmessageerror = () => events.lost("a message from the worker could not be read");
  const post = (request: SearchWorkerRequest) => worker.postMessage(request);
  post({ start: data });
  return { run: (trial) => post({ trial }), terminate: () => worker.terminate() };
}
