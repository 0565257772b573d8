/**
 * The bookkeeping of a parallel search, whatever the workers are: Node's `worker_threads`
 * (parallel.ts) or the browser's Web Workers (the JupyterLite twin, lite/twins/search-parallel.ts).
 *
 *   const results = await runInPool(trials, workers, startWorker, onResult);
 *
 * A worker posts { ready } once it has loaded the trial function (or { fatal } if it cannot), then
 * one { result } per trial it is given; whenever it answers, it gets the next waiting trial.
 * Results come back in trial order, whatever order the workers finish in. A worker that dies
 * mid-trial fails that trial and a fresh worker takes over; one that dies before it is ready
 * rejects the search (it would never take a trial). All workers are terminated at the end.
 */
import type { SearchOptions, TrialResult } from "./run";
import type { Trial, TrialConfig } from "./space";
import { InputError } from "../core/checks";
import { useFastKernels, useReferenceKernels } from "../fast/kernels";

/** Options of `runSearchParallel`, in Node (parallel.ts) and in the browser (the twin). */
export interface ParallelSearchOptions<C extends TrialConfig = TrialConfig> extends SearchOptions<C> {
  /** Path of the compiled module (.js) exporting the trial function. */
  module: string;
  /** Name of the exported trial function. */
  exportName: string;
  /** Workers (default: the number of CPU cores). */
  workers?: number;
}

/** The checks both versions of `runSearchParallel` make before starting any worker. */
export function checkParallelOptions(module: string, exportName: string, workers: number): void {
  if (!module || !exportName)
    throw new InputError(
      "runSearchParallel: pass { module: <path of a compiled .js>, exportName: <its trial function> }.",
    );
  if (!Number.isInteger(workers) || workers < 1)
    throw new InputError(`runSearchParallel: workers must be a whole number ≥ 1, got ${workers}.`);
}

/** What a worker posts: ready after loading, fatal if the module cannot be loaded, or a result. */
export interface WorkerMessage<C extends TrialConfig = TrialConfig> {
  ready?: boolean;
  fatal?: string;
  result?: TrialResult<C>;
}

/** Where a started worker's events go: its messages, and `lost` when it fails or exits. */
export interface WorkerEvents<C extends TrialConfig = TrialConfig> {
  message(message: WorkerMessage<C>): void;
  lost(why: string): void;
}

/** A started worker, as the pool uses it. */
export interface PoolWorker {
  /** Gives the worker one trial to run. */
  run(trial: Trial): void;
  terminate(): void;
}

/** Starts one worker and wires its events to `events`. */
export type StartWorker<C extends TrialConfig = TrialConfig> = (events: WorkerEvents<C>) => PoolWorker;

/**
 * In a worker: selects the parent's kernels by their `kernels.name` ("reference", "packed-ts" or "wasm-simd"),
 * so results match bit for bit.
 */
export function selectKernels(name: string): void {
  if (name === "reference") useReferenceKernels();
  else useFastKernels({ wasm: name === "wasm-simd" });
}

/** Runs `trials` on at most `workers` workers made by `startWorker`; see the file comment. */
export function runInPool<C extends TrialConfig>(
  trials: readonly Trial<C>[],
  workers: number,
  startWorker: StartWorker<C>,
  onResult?: SearchOptions<C>["onResult"],
): Promise<TrialResult<C>[]> {
  if (trials.length === 0) return Promise.resolve([]);
  return new Promise((resolveAll, reject) => {
    const pool = new WorkerPool(trials, startWorker, onResult, resolveAll, reject);
    for (let k = 0; k < Math.min(workers, trials.length); k++) pool.startWorker();
  });
}

/** Which trial goes next, which results are in. */
class WorkerPool<C extends TrialConfig> {
  private readonly results: TrialResult<C>[];
  private readonly workers: PoolWorker[] = [];
  private next = 0; // the next trial to hand out
  private done = 0; // results received
  private reported = 0; // results passed through onResult
  private finished = false;

  constructor(
    private readonly trials: readonly Trial<C>[],
    private readonly start: StartWorker<C>,
    private readonly onResult: SearchOptions<C>["onResult"],
    private readonly resolveAll: (results: TrialResult<C>[]) => void,
    private readonly reject: (error: Error) => void,
  ) {
    this.results = new Array<TrialResult<C>>(trials.length);
  }

  /** Starts a worker that runs trials until none is left. */
  startWorker(): void {
    const state = { ready: false, current: -1 }; // current: index of the trial the worker is running
    const worker = this.start({
      message: (message) => {
        if (message.fatal)
          return this.finish(new InputError(`runSearchParallel: could not load the trial function: ${message.fatal}`));
        state.ready = true;
        const index = state.current;
        state.current = this.next < this.trials.length ? this.next++ : -1; // the next trial, if any
        if (state.current >= 0) worker.run(this.trials[state.current]);
        if (message.result) void this.record(index, message.result);
      },
      lost: (why) => this.lost(state, why),
    });
    this.workers.push(worker);
  }

  /**
   * A worker died: before it was ready the search cannot go on; mid-trial, that trial fails and a fresh
   * worker goes on.
   */
  private lost(state: { ready: boolean; current: number }, why: string): void {
    if (this.finished) return;
    if (!state.ready) return this.finish(new Error(`runSearchParallel: a worker could not start: ${why}`));
    const index = state.current;
    if (index < 0) return;
    state.current = -1;
    if (this.next < this.trials.length) this.startWorker();
    void this.record(index, {
      ...this.trials[index],
      status: "failed",
      metrics: {},
      curves: {},
      message: `the worker stopped: ${why}`,
      seconds: 0,
    });
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
    for (const worker of this.workers) worker.terminate();
    if (error) this.reject(error);
    else this.resolveAll(this.results);
  }
}
