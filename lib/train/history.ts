/**
 * `History`, what `fit` records, and `TrainingDivergedError`, thrown when the loss stops
 * being a finite number.
 */

/** Everything `fit` recorded. Steps are counted from 1; arrays grow as training runs. */
export interface History {
  /** The mini-batch loss of every step: loss[k] belongs to step k + 1. */
  loss: number[];
  /** Accuracy on the whole training set after each epoch, in evaluation mode. */
  trainAccuracy: number[];
  /** Accuracy on the validation set after each epoch (empty without `validation`). */
  validationAccuracy: number[];
  /** The learning rate used in each epoch. */
  learningRate: number[];
  /** Steps taken (mini-batches trained on). */
  steps: number;
  /** Epochs finished (an epoch cut short by `maxSteps` counts). */
  epochs: number;
  /** Wall-clock time spent in `fit`, in seconds. */
  seconds: number;
}

/** An empty history, ready to be filled. */
export function emptyHistory(): History {
  return { loss: [], trainAccuracy: [], validationAccuracy: [], learningRate: [], steps: 0, epochs: 0, seconds: 0 };
}

/** Where training stood when the loss diverged. */
export interface DivergenceInfo {
  /** The step (from 1) whose loss was not finite. */
  step: number;
  /** The epoch (from 0) it belonged to. */
  epoch: number;
  /** The learning rate in use. */
  learningRate: number;
  /** The offending loss: NaN, ±Infinity, or a finite loss above `fit`'s `divergenceThreshold`. */
  loss: number;
}

/**
 * Thrown by `fit` when a step's loss is NaN or ±∞, or exceeds `divergenceThreshold` (by default
 * 1e3·max(1, first loss): the stable cross-entropy rarely reaches NaN, it explodes finitely).
 * After a NaN/±∞ loss the parameters keep their values from before that step (no update is
 * made); after a finite explosion that step's update has been applied. `history` holds
 * everything recorded so far, its last `loss` entry being the offending one, so the curve up
 * to the blow-up can still be plotted:
 *
 *   try { await fit(...) } catch (e) { if (e instanceof TrainingDivergedError) plot(e.history.loss) }
 */
export class TrainingDivergedError extends Error {
  /** The step (from 1) whose loss was not finite or too large. */
  readonly step: number;
  /** The epoch (from 0) of that step. */
  readonly epoch: number;
  /** The learning rate in use. */
  readonly learningRate: number;
  /** The offending loss. */
  readonly loss: number;

  constructor(
    readonly history: History,
    info: DivergenceInfo,
  ) {
    super(
      `fit: training diverged: the loss became ${info.loss} at step ${info.step} (epoch ${info.epoch + 1}, ` +
        `learning rate ${info.learningRate}). Lower the learning rate (try ÷10), check the input scale ` +
        (`(standardize x to mean 0, variance 1), or add BatchNorm ` +
          `layers. error.history keeps the losses of steps 1…${info.step}.`),
    );
    this.name = "TrainingDivergedError";
    this.step = info.step;
    this.epoch = info.epoch;
    this.learningRate = info.learningRate;
    this.loss = info.loss;
  }
}
