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
 * A worker that crashes or exits mid-trial fails that trial; a fresh worker takes over.
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

/** What a worker posts: ready after loading, fatal if the module cannot be loaded, or a result. */
interface WorkerMessage<C extends TrialConfig> {
  ready?: boolean;
  fatal?: string;
  result?: TrialResult<C>;
}

/** Runs `trials` across worker threads; see the file comment. Rejects if the module cannot be loaded. */
export async function runSearchParallel<C extends TrialConfig>(
  trials: readonly Trial<C>[],
  options: ParallelSearchOptions<C>,
): Promise<TrialResult<C>[]> {
  const { module, exportName, workers = cpus().length } = options;
  if (!module || !exportName)
    throw new InputError(
      "runSearchParallel: pass { module: <path of a compiled .js>, exportName: <its trial function> }.",
    );
  if (!Number.isInteger(workers) || workers < 1)
    throw new InputError(`runSearchParallel: workers must be a whole number ≥ 1, got ${workers}.`);
  if (trials.length === 0) return [];
  const data: SearchWorkerData = {
    module: isAbsolute(module) ? module : resolve(module),
    exportName,
    earlyStop: options.earlyStop,
    kernelName: kernels.name,
  };
  return new Promise((resolveAll, reject) => {
    const pool = new WorkerPool(trials, data, options.onResult, resolveAll, reject);
    for (let k = 0; k < Math.min(workers, trials.length); k++) pool.startWorker();
  });
}

/** The bookkeeping of one parallel search: which trial goes next, which results are in. */
class WorkerPool<C extends TrialConfig> {
  private readonly results: TrialResult<C>[];
  private readonly workers: Worker[] = [];
  private next = 0; // the next trial to hand out
  private done = 0; // results received
  private reported = 0; // results passed through onResult
  private finished = false;

  constructor(
    private readonly trials: readonly Trial<C>[],
    private readonly data: SearchWorkerData,
    private readonly onResult: SearchOptions<C>["onResult"],
    private readonly resolveAll: (results: TrialResult<C>[]) => void,
    private readonly reject: (error: Error) => void,
  ) {
    this.results = new Array<TrialResult<C>>(trials.length);
  }

  /** Starts a worker that runs trials until none is left. */
  startWorker(): void {
    const worker = new Worker(join(__dirname, "worker.js"), { workerData: this.data });
    this.workers.push(worker);
    let current = -1; // index of the trial this worker is running
    const feed = () => {
      current = this.next < this.trials.length ? this.next++ : -1;
      if (current >= 0) worker.postMessage(this.trials[current]);
    };
    const lost = (why: string) => {
      // the worker died: fail its trial, let a fresh worker go on
      if (current < 0 || this.finished) return;
      const index = current;
      current = -1;
      if (this.next < this.trials.length) this.startWorker();
      void this.record(index, {
        ...this.trials[index],
        status: "failed",
        metrics: {},
        curves: {},
        message: `the worker stopped: ${why}`,
        seconds: 0,
      });
    };
    worker.on("message", (message: WorkerMessage<C>) => {
      if (message.fatal)
        return this.finish(new InputError(`runSearchParallel: could not load the trial function: ${message.fatal}`));
      const index = current;
      feed();
      if (message.result) void this.record(index, message.result);
    });
    worker.on("error", (error) => lost(error.message));
    worker.on("exit", (code) => lost(`exit code ${code}`));
  }

  private async record(index: number, result: TrialResult<C>): Promise<void> {
    this.results[index] = result;
    this.done += 1;
    try {
      if (this.onResult) await this.onResult(result, this.done, this.trials.length);
    } catch (error) {
      return this.finish(error instanceof Error ? error : new Error(String(error)));
    }
    this.reported += 1;
    if (this.reported === this.trials.length) this.finish();
  }

  private finish(error?: Error): void {
    if (this.finished) return;
    this.finished = true;
    for (const worker of this.workers) void worker.terminate();
    if (error) this.reject(error);
    else this.resolveAll(this.results);
  }
}
