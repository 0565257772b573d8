/**
 * Running trials: a trial function trains one configuration and returns its metrics; the
 * search records every outcome — a trial that throws or diverges is kept as "failed" with
 * its message, a hopeless one stopped early as "stopped" — and goes on.
 */
import { InputError } from "../core/checks";
import { makeRng, type Rng } from "../core/random";
import type { TrainingCallback } from "../train/fit";
import type { Trial, TrialConfig } from "./space";

/** What a trial function returns: numbers are metrics (sortable), arrays are curves (per epoch, …). */
export type TrialOutput = Record<string, number | readonly number[]>;

/** Given to the trial function with its configuration. */
export interface TrialContext {
  readonly id: number;
  readonly seed: number;
  /** makeRng(seed): draw the weights and the shuffles from it. */
  readonly rng: Rng;
  /**
   * Records metrics after an epoch (from 0); throws `TrialStoppedError` when the early-stop rule says the trial is
   * hopeless.
   */
  report(epoch: number, metrics: Record<string, number>): void;
  /** A `fit` onEpoch callback that reports trainAccuracy, validationAccuracy and the last loss. */
  readonly onEpoch: TrainingCallback;
}

/** Trains one configuration (sync or async). */
export type TrialFunction<C extends TrialConfig = TrialConfig> = (
  config: C,
  context: TrialContext,
) => TrialOutput | Promise<TrialOutput>;

/**
 * Early stop of hopeless trials: from epoch `afterEpochs` on, a trial whose `metric` is NaN,
 * below `below` or above `above` is stopped. Plain data, so it can be sent to workers.
 * Example: { metric: "validationAccuracy", below: 0.5, afterEpochs: 1 }.
 */
export interface EarlyStopRule {
  metric: string;
  below?: number;
  above?: number;
  /** Epochs to finish before judging (default 1). */
  afterEpochs?: number;
}

/** How a trial ended. */
export type TrialStatus = "ok" | "stopped" | "failed";

/** One trial's outcome. */
export interface TrialResult<C extends TrialConfig = TrialConfig> extends Trial<C> {
  status: TrialStatus;
  /** The returned metrics ("ok"), or the last ones reported ("stopped", "failed"). */
  metrics: Record<string, number>;
  curves: Record<string, number[]>;
  /** Why it stopped or failed ("" when ok). */
  message: string;
  /** Wall-clock seconds (the only field that differs between runs). */
  seconds: number;
}

/** Thrown by `context.report` to stop a hopeless trial. */
export class TrialStoppedError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "TrialStoppedError";
  }
}

/** The reason `rule` stops a trial reporting `metrics` after `epoch` (from 0), or "" to go on. */
export function earlyStopReason(
  rule: EarlyStopRule | undefined,
  epoch: number,
  metrics: Record<string, number>,
): string {
  if (!rule || epoch + 1 < (rule.afterEpochs ?? 1) || !(rule.metric in metrics)) return "";
  const value = metrics[rule.metric];
  const after = `after epoch ${epoch + 1}`;
  if (Number.isNaN(value)) return `stopped ${after}: ${rule.metric} is NaN`;
  if (rule.below !== undefined && value < rule.below)
    return `stopped ${after}: ${rule.metric} ${value.toPrecision(3)} < ${rule.below}`;
  if (rule.above !== undefined && value > rule.above)
    return `stopped ${after}: ${rule.metric} ${value.toPrecision(3)} > ${rule.above}`;
  return "";
}

/** Runs one trial and records its outcome; never throws for what the trial function does. */
export async function runTrial<C extends TrialConfig>(
  trial: Trial<C>,
  trialFunction: TrialFunction<C>,
  earlyStop?: EarlyStopRule,
): Promise<TrialResult<C>> {
  const started = performance.now();
  let reported: Record<string, number> = {};
  const report = (epoch: number, metrics: Record<string, number>): void => {
    reported = { ...reported, ...metrics };
    const reason = earlyStopReason(earlyStop, epoch, metrics);
    if (reason) throw new TrialStoppedError(reason);
  };
  const onEpoch: TrainingCallback = ({ epoch, history, loss }) => {
    const metrics: Record<string, number> = { trainAccuracy: history.trainAccuracy[epoch], loss };
    if (history.validationAccuracy.length > epoch) metrics.validationAccuracy = history.validationAccuracy[epoch];
    report(epoch, metrics);
  };
  const context: TrialContext = { id: trial.id, seed: trial.seed, rng: makeRng(trial.seed), report, onEpoch };
  const done = (
    status: TrialStatus,
    metrics: Record<string, number>,
    curves: Record<string, number[]>,
    message: string,
  ): TrialResult<C> => ({ ...trial, status, metrics, curves, message, seconds: (performance.now() - started) / 1000 });
  try {
    const { metrics, curves } = splitOutput(await trialFunction(trial.config, context));
    return done("ok", metrics, curves, "");
  } catch (error) {
    const stopped = error instanceof TrialStoppedError;
    const message = error instanceof Error ? `${stopped ? "" : `${error.name}: `}${error.message}` : String(error);
    return done(stopped ? "stopped" : "failed", reported, {}, message);
  }
}

/** Options of `runSearch`. */
export interface SearchOptions<C extends TrialConfig = TrialConfig> {
  earlyStop?: EarlyStopRule;
  /** Called after each trial (with how many are done); a returned Promise is awaited (progress display). */
  onResult?: (result: TrialResult<C>, done: number, total: number) => void | Promise<void>;
}

/**
 * Runs `trials` one after the other in this thread ("pandas": one model at a time) and returns
 * their results in trial order. The trial function may be any closure.
 */
export async function runSearch<C extends TrialConfig>(
  trials: readonly Trial<C>[],
  trialFunction: TrialFunction<C>,
  options: SearchOptions<C> = {},
): Promise<TrialResult<C>[]> {
  if (typeof trialFunction !== "function")
    throw new InputError("runSearch: pass a trial function (config, context) => metrics.");
  const results: TrialResult<C>[] = [];
  for (const trial of trials) {
    const result = await runTrial(trial, trialFunction, options.earlyStop);
    results.push(result);
    if (options.onResult) await options.onResult(result, results.length, trials.length);
  }
  return results;
}

/** Splits a trial's output into metrics (numbers) and curves (arrays); rejects anything else. */
function splitOutput(output: TrialOutput): { metrics: Record<string, number>; curves: Record<string, number[]> } {
  if (output === null || typeof output !== "object") {
    throw new InputError(
      `a trial function must return an object of metrics such as { validationAccuracy: 0.9 }, got ${String(output)}.`,
    );
  }
  const metrics: Record<string, number> = {};
  const curves: Record<string, number[]> = {};
  for (const [name, value] of Object.entries(output)) {
    if (typeof value === "number") metrics[name] = value;
    else if (value && typeof value === "object" && typeof (value as ArrayLike<number>).length === "number")
      curves[name] = Array.from(value as ArrayLike<number>);
    else
      throw new InputError(
        `a trial function's output "${name}" must be a number or an array of numbers, got ${typeof value}.`,
      );
  }
  return { metrics, curves };
}
