/**
 * `fit`: the whole training loop: epochs of shuffled mini-batches, an optional
 * learning-rate schedule, evaluation after each epoch, and callbacks for live display.
 */
import {
  InputError,
  assertFinite,
  assertFunction,
  assertLabels,
  assertLayer,
  assertNonEmpty,
  assertOptions,
  assertPositiveInteger,
  assertRng,
} from "../core/checks";
import type { Rng } from "../core/random";
import type { Dataset } from "../data/dataset";
import { assertDataset } from "../data/preprocess";
import type { Layer } from "../layers/layer";
import type { LearningRateSchedule } from "../optim/schedules";
import type { Optimizer } from "../optim/optimizer";
import { batchCount, batches } from "./batches";
import { emptyHistory, TrainingDivergedError, type History } from "./history";
import { evaluate } from "./metrics";
import { trainStep } from "./step";

/** What a callback is told. */
export interface TrainingProgress {
  /** Steps taken so far (from 1). */
  step: number;
  /** The current epoch, counted from 0. */
  epoch: number;
  /** Steps `fit` will take in all: min(maxSteps, epochs × batches per epoch). */
  totalSteps: number;
  /** The latest step's mini-batch loss. */
  loss: number;
  /** The history so far (live: `fit` keeps filling it). */
  history: History;
}

/** A callback; when it returns a Promise, `fit` awaits it before going on. */
export type TrainingCallback = (progress: TrainingProgress) => void | Promise<void>;

/** Options of `fit`. */
export interface FitOptions {
  /** Passes over the training set (a whole number ≥ 1). */
  epochs: number;
  /** B, examples per step (a whole number ≥ 1). */
  batchSize: number;
  optimizer: Optimizer;
  /** Draws the shuffle of every epoch: the same seed gives the same history, bit for bit. */
  rng: Rng;
  /** Evaluated after every epoch, into `history.validationAccuracy`. */
  validation?: Dataset;
  /**
   * Evaluate the whole training set after every epoch, into `history.trainAccuracy` (default true).
   * false skips that pass, which costs one forward of every training example: on 12 000 MNIST images
   * about as much as 70 steps of 60, so a third of the time of a 200-step epoch.
   */
  trainAccuracy?: boolean;
  /** Sets `optimizer.learningRate = schedule(epoch)` before each epoch (epoch from 0). */
  schedule?: LearningRateSchedule;
  /** Called after every step. */
  onStep?: TrainingCallback;
  /** Called after every epoch's evaluation. */
  onEpoch?: TrainingCallback;
  /** Stop after this many steps in all, even mid-epoch. */
  maxSteps?: number;
  /** Skip the last, smaller batch of each epoch (default false). */
  dropLast?: boolean;
  /**
   * Stop when the loss explodes while staying finite (a softmax cross-entropy rarely reaches NaN):
   * throw `TrainingDivergedError` as soon as a step's loss > divergenceThreshold.
   * Default: 1e3 · max(1, loss of step 1). `Infinity` disables the test (only NaN/±∞ stop).
   */
  divergenceThreshold?: number;
}

/**
 * Trains `model` on `train` with mini-batch gradient descent and returns the `History`:
 *
 *   for epoch = 0 … epochs−1:
 *     α = schedule(epoch)                               (if a schedule is given)
 *     for each mini-batch (x, y) of a fresh shuffle:    trainStep: zeroGrad, forward, backward, update
 *     trainAccuracy, validationAccuracy ← evaluate      (evaluation mode, then back to training mode;
 *                                                        trainAccuracy: false skips the training set)
 *
 * Without callbacks that return Promises, `fit` runs straight through without yielding.
 * Everything is checked before the first step (options, data, the model's input width and the
 * batch sizes it will see, every label against its C outputs, the validation set likewise), so
 * bad input throws an `InputError` with the model untouched.
 * Throws `InputError` for bad options or NaN/∞ in the data, and `TrainingDivergedError`
 * (with the history so far) when a loss is NaN or ±∞, or exceeds `divergenceThreshold`
 * (default 1e3 · max(1, first loss)). Any other error during training (a callback's, say) is
 * rethrown with `error.history`, the history up to that point, so the curve so far can be plotted.
 */
export async function fit(model: Layer, train: Dataset, options: FitOptions): Promise<History> {
  checkFitInputs(model, train, options);
  const history = emptyHistory();
  model.train();
  try {
    await trainEpochs(model, train, options, history);
  } catch (error) {
    throw withHistory(error, history); // whatever stopped training, the curve so far is kept
  }
  return history;
}

/** The loop of `fit` (see there), filling `history`. */
async function trainEpochs(model: Layer, train: Dataset, options: FitOptions, history: History): Promise<void> {
  const {
    epochs,
    batchSize,
    optimizer,
    rng,
    validation,
    schedule,
    onStep,
    onEpoch,
    maxSteps,
    dropLast = false,
    trainAccuracy = true,
  } = options;
  const totalSteps = Math.min(maxSteps ?? Infinity, epochs * batchCount(train.y.length, batchSize, dropLast));
  let threshold = options.divergenceThreshold; // set from the first loss when not given
  const started = performance.now();
  const progress = (epoch: number): TrainingProgress => ({
    step: history.steps,
    epoch,
    totalSteps,
    loss: history.loss[history.loss.length - 1],
    history,
  });
  for (let epoch = 0; epoch < epochs && history.steps < totalSteps; epoch++) {
    if (schedule) optimizer.learningRate = schedule(epoch);
    history.learningRate.push(optimizer.learningRate);
    for (const { x, y } of batches(train, { batchSize, rng, dropLast, reuse: true })) {
      // one batch buffer, refilled
      const loss = trainStep(model, optimizer, x, y);
      history.loss.push(loss);
      history.steps += 1;
      history.seconds = (performance.now() - started) / 1000;
      threshold ??= defaultDivergenceThreshold(loss);
      if (!Number.isFinite(loss) || loss > threshold)
        throw new TrainingDivergedError(history, {
          step: history.steps,
          epoch,
          learningRate: optimizer.learningRate,
          loss,
        });
      const stepDone = onStep && whenPromise(onStep(progress(epoch)));
      if (stepDone) await stepDone; // await only real Promises: no yield per step otherwise
      if (history.steps >= totalSteps) break;
    }
    recordEpoch(model, trainAccuracy ? train : undefined, validation, history);
    history.seconds = (performance.now() - started) / 1000;
    const epochDone = onEpoch && whenPromise(onEpoch(progress(epoch)));
    if (epochDone) await epochDone;
  }
}

/** `error` with `error.history` set to the history so far (unless it has one, as `TrainingDivergedError`). */
function withHistory(error: unknown, history: History): unknown {
  if (typeof error === "object" && error !== null && !("history" in error) && Object.isExtensible(error)) {
    Object.defineProperty(error, "history", { value: history, enumerable: false, configurable: true });
  }
  return error;
}

/** 1e3 · max(1, first loss): far above any loss a working run reaches (ln C ≈ 2.3 for C = 10 at the start). */
function defaultDivergenceThreshold(firstLoss: number): number {
  return 1e3 * Math.max(1, firstLoss);
}

/** Accuracy after an epoch, in evaluation mode (evaluate restores training mode); `train` undefined: not measured. */
function recordEpoch(
  model: Layer,
  train: Dataset | undefined,
  validation: Dataset | undefined,
  history: History,
): void {
  if (train) history.trainAccuracy.push(evaluate(model, train).accuracy);
  if (validation) history.validationAccuracy.push(evaluate(model, validation).accuracy);
  history.epochs += 1;
}

/** A callback's result, to be awaited only when it is a Promise (any thenable), so plain callbacks never yield. */
function whenPromise(result: void | Promise<void>): Promise<void> | undefined {
  return typeof result === "object" && result !== null && typeof result.then === "function" ? result : undefined;
}

function checkFitInputs(model: Layer, train: Dataset, options: FitOptions): void {
  assertLayer(model, "fit model");
  assertOptions(options, "fit options", "{ epochs: 10, batchSize: 64, optimizer, rng: makeRng(1337) }");
  const { epochs, batchSize, optimizer, rng, validation, maxSteps, dropLast, divergenceThreshold } = options;
  assertDataset(train, "fit train");
  assertNonEmpty(train.x, "fit train.x");
  assertFinite(train.x.data, train.x.cols, "fit train.x");
  if (validation) {
    assertDataset(validation, "fit validation");
    assertNonEmpty(validation.x, "fit validation.x");
    assertFinite(validation.x.data, validation.x.cols, "fit validation.x");
  }
  assertPositiveInteger(epochs, "epochs", "fit");
  assertPositiveInteger(batchSize, "batchSize", "fit");
  if (maxSteps !== undefined) assertPositiveInteger(maxSteps, "maxSteps", "fit");
  if (divergenceThreshold !== undefined && !(divergenceThreshold > 0)) {
    throw new InputError(
      `fit: divergenceThreshold must be > 0 (or Infinity to disable it), got ${divergenceThreshold}.`,
    );
  }
  if (!optimizer || typeof optimizer.step !== "function")
    throw new InputError(
      "fit: pass an optimizer, e.g. { optimizer: new SGD(model.parameters(), { learningRate: 0.1 }) }.",
    );
  if (!rng) throw new InputError("fit: pass an rng for the shuffles, e.g. { rng: makeRng(1337) }.");
  assertRng(rng, "fit options.rng");
  for (const name of ["schedule", "onStep", "onEpoch"] as const)
    if (options[name] !== undefined) assertFunction(options[name], `fit options.${name}`);
  if (batchCount(train.y.length, batchSize, dropLast) === 0) {
    throw new InputError(
      `fit: batchSize ${batchSize} > ${train.y.length} examples ` +
        `with dropLast gives no batches; use a smaller batchSize.`,
    );
  }
  checkModelFits(model, train, validation, batchSize, dropLast ?? false);
}

/**
 * The model accepts every batch fit will give it (the full size and a smaller last one, in
 * training mode), and every label of train and validation lies in [0, C), C = its outputs.
 */
function checkModelFits(
  model: Layer,
  train: Dataset,
  validation: Dataset | undefined,
  batchSize: number,
  dropLast: boolean,
): void {
  const N = train.y.length;
  const sizes = [Math.min(batchSize, N), dropLast ? 0 : N % batchSize].filter((size) => size > 0);
  const wasTraining = model.training;
  model.train(); // the mode fit trains in (its checks may depend on it: BatchNorm needs 2 rows)
  try {
    for (const rows of sizes) model.checkInput?.({ rows, cols: train.x.cols });
  } finally {
    if (!wasTraining) model.eval();
  }
  const classes = model.outputSize ? model.outputSize(train.x.cols) : Infinity;
  assertLabels(train.y, N, classes, "fit train.y");
  if (validation) {
    if (validation.x.cols !== train.x.cols) {
      throw new InputError(
        `fit validation.x: has ${validation.x.cols} features, the training ` +
          `set ${train.x.cols}; both must have the model's input width.`,
      );
    }
    assertLabels(validation.y, validation.y.length, classes, "fit validation.y");
  }
}
