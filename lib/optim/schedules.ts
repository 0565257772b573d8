/**
 * Learning-rate schedules: functions from the epoch number (0, 1, 2, …) to α.
 * `fit(..., { schedule })` sets `optimizer.learningRate = schedule(epoch)` before each epoch.
 * Epoch 0 always gets the initial rate α₀.
 */
import { InputError, assertNonNegative, assertOptions, assertPositive, assertPositiveInteger } from "../core/checks";

/** epoch (0, 1, 2, …) → learning rate α > 0. */
export type LearningRateSchedule = (epoch: number) => number;

/** What every schedule's options hold. */
export interface ScheduleOptions {
  /** α₀ > 0, the rate of epoch 0. */
  initial: number;
}

/** Options of `stepDecay`. */
export interface StepDecayOptions extends ScheduleOptions {
  /** Multiply α by `factor` every `dropEvery` epochs (a whole number ≥ 1). */
  dropEvery: number;
  /** The factor in (0, 1], e.g. 0.5 halves α; 1 keeps it constant. */
  factor: number;
}

/**
 * Step decay: α = α₀ · factor^⌊epoch / dropEvery⌋.
 * Example: { initial: 0.1, dropEvery: 10, factor: 0.5 } gives 0.1 for epochs 0–9, 0.05 for 10–19, …
 */
export function stepDecay(options: StepDecayOptions): LearningRateSchedule {
  const { initial, dropEvery, factor } = checkOptions(
    options,
    "stepDecay",
    "{ initial: 0.1, dropEvery: 10, factor: 0.5 }",
  );
  assertPositiveInteger(dropEvery, "dropEvery", "stepDecay");
  assertFactor(factor, "factor", "stepDecay");
  return (epoch) => initial * factor ** Math.floor(checkEpoch(epoch, "stepDecay") / dropEvery);
}

/** Options of `inverseTimeDecay`. */
export interface InverseTimeDecayOptions extends ScheduleOptions {
  /** decay ≥ 0; 0 keeps α constant. */
  decayRate: number;
}

/**
 * Inverse-time decay (deeplearning.ai): α = α₀ / (1 + decayRate · epoch).
 * Example: { initial: 0.2, decayRate: 1 } gives 0.2, 0.1, 0.0667, 0.05, …
 */
export function inverseTimeDecay(options: InverseTimeDecayOptions): LearningRateSchedule {
  const { initial, decayRate } = checkOptions(options, "inverseTimeDecay", "{ initial: 0.1, decayRate: 1 }");
  assertNonNegative(decayRate, "decayRate", "inverseTimeDecay");
  return (epoch) => initial / (1 + decayRate * checkEpoch(epoch, "inverseTimeDecay"));
}

/** Options of `exponentialDecay`. */
export interface ExponentialDecayOptions extends ScheduleOptions {
  /** k ∈ (0, 1], the factor per epoch, e.g. 0.95. */
  rate: number;
}

/**
 * Exponential decay (deeplearning.ai): α = α₀ · k^epoch with k = rate.
 * Example: { initial: 0.1, rate: 0.95 } gives 0.1, 0.095, 0.09025, …
 */
export function exponentialDecay(options: ExponentialDecayOptions): LearningRateSchedule {
  const { initial, rate } = checkOptions(options, "exponentialDecay", "{ initial: 0.1, rate: 0.95 }");
  assertFactor(rate, "rate", "exponentialDecay");
  return (epoch) => initial * rate ** checkEpoch(epoch, "exponentialDecay");
}

/** The checks every schedule makes: options is an object (`example` shows one) and α₀ > 0. */
function checkOptions<T extends ScheduleOptions>(options: T, where: string, example: string): T {
  assertOptions(options, `${where} options`, example);
  assertPositive(options.initial, "initial", where);
  return options;
}

function assertFactor(value: number, name: string, where: string): void {
  if (!(Number.isFinite(value) && value > 0 && value <= 1)) {
    throw new InputError(
      `${where}: ${name} must lie in (0, 1], got ${value}; a factor > 1 would grow the learning rate.`,
    );
  }
}

function checkEpoch(epoch: number, where: string): number {
  if (!(Number.isInteger(epoch) && epoch >= 0)) {
    throw new InputError(`${where}: epoch must be a whole number ≥ 0, got ${epoch}.`);
  }
  return epoch;
}
