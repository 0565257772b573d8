/**
 * "Caviar" search: many models trained at once, one per CPU core, with `worker_threads`.
 *
 *   const results = await runSearchParallel(trials, { module: builtInTrialsModule, exportName: "mlpTrial", workers: 2 });
 *
 * Each worker loads the compiled library (dist/lib/search/worker.js), selects the same matrix
 * kernel as this thread (`kernels.name`), loads the trial module, then takes the next waiting
 * trial whenever it is free. A trial's result depends only on its config and seed,
 * so results are identical with 1, 2 or 8 workers (only `seconds` differs); they come back
 * in trial order.
 */
import { cpus } from "node:os";
import { isAbsolute, join, resolve } from "node:path";
import { Worker } from "node:worker_threads";
import { InputError } from "../core/checks";
import { kernels } from "../core/gemm";
import type { SearchOptions, TrialResult } from "./run";
import type { Trial, TrialConfig } from "./space";
import type { SearchWorkerData } from "./worker";

/** Options of `runSearchParallel`. */
export interface ParallelSearchOptions<C extends TrialConfig = TrialConfig> extends SearchOptions<C> {
  /** Path of the compiled module (.js) exporting the trial function. */
  module: string;
  /** Name of the exported trial function. */
  exportName: string;
  /** Worker threads (default: the number of CPU cores, at most the number of trials). */
  workers?: number;
}

/** Runs `trials` across worker threads; see the file comment. Rejects if the module cannot be loaded. */
export async function runSearchParallel<C extends TrialConfig>(trials: readonly Trial<C>[], options: ParallelSearchOptions<C>): Promise<TrialResult<C>[]> {
  const { exportName, earlyStop, onResult } = options;
  if (!options.module || !exportName) throw new InputError("runSearchParallel: pass { module: <path of a compiled .js>, exportName: <its trial function> }.");
  const module = isAbsolute(options.module) ? options.module : resolve(options.module);
  const count = Math.max(1, Math.min(options.workers ?? cpus().length, trials.length));
  if (!Number.isInteger(count)) throw new InputError(`runSearchParallel: workers must be a whole number ≥ 1, got ${options.workers}.`);
  const results: TrialResult<C>[] = new Array(trials.length);
  if (trials.length === 0) return results;
  let next = 0; // the next trial to hand out
  let done = 0; // results received
  let reported = 0; // results passed through onResult
  const data: SearchWorkerData = { module, exportName, earlyStop, kernelName: kernels.name };
  return new Promise((resolvePromise, reject) => {
    const workers: Worker[] = [];
    const finish = (error?: Error) => {
      for (const w of workers) void w.terminate();
      if (error) reject(error);
      else resolvePromise(results);
    };
    const record = async (index: number, result: TrialResult<C>) => {
      results[index] = result;
      done += 1;
      try {
        if (onResult) await onResult(result, done, trials.length);
      } catch (error) {
        return finish(error instanceof Error ? error : new Error(String(error)));
      }
      reported += 1;
      if (reported === trials.length) finish();
    };
    const start = () => {
      const worker = new Worker(join(__dirname, "worker.js"), { workerData: data });
      workers.push(worker);
      let current = -1; // index of the trial this worker is running
      const feed = () => {
        if (next < trials.length) worker.postMessage(trials[(current = next++)]);
        else current = -1;
      };
      worker.on("message", async (message: { ready?: boolean; fatal?: string; result?: TrialResult<C> }) => {
        if (message.fatal) return finish(new InputError(`runSearchParallel: could not load the trial function: ${message.fatal}`));
        if (!message.result) return feed(); // ready: the first trial
        const index = current;
        feed();
        await record(index, message.result);
      });
      worker.on("error", (error) => {
        if (current < 0) return finish(error);
        const trial = trials[current];
        if (next < trials.length) start(); // a fresh worker takes the remaining trials
        void record(current, { ...trial, status: "failed", metrics: {}, curves: {}, message: `the worker crashed: ${error.message}`, seconds: 0 });
      });
    };
    for (let k = 0; k < count; k++) start();
  });
}
