/**
 * `trainStep`: one iteration of mini-batch gradient descent, written out.
 */
import { assertFunction, assertLabels, assertLayer, assertMatrix, describeValue, InputError } from "../core/checks";
import { Matrix } from "../core/matrix";
import { backwardParameters, type Layer } from "../layers/layer";
import { softmaxCrossEntropy, type SoftmaxCrossEntropyBuffers } from "../layers/losses";
import type { Optimizer } from "../optim/optimizer";

/**
 * A loss on logits [N, C] and labels [N]: its mean value and ∂loss/∂logits [N, C]. It may write
 * its [N, C] results into `into` (as `softmaxCrossEntropy` does) or ignore it.
 */
export type ClassificationLoss = (
  logits: Matrix,
  labels: Int32Array,
  into?: SoftmaxCrossEntropyBuffers,
) => { loss: number; dLogits: Matrix };

// The loss's [B, C] outputs of each model's steps, reused: nothing outside a step ever sees them.
const lossBuffers = new WeakMap<Layer, SoftmaxCrossEntropyBuffers>();

/**
 * One training step on one mini-batch (synchronous):
 *
 *   forward: logits = model(x) → loss L(logits, y) → zero the gradients
 *   → backward: every parameter's grad = ∂L/∂θ → update: optimizer.step()
 *
 * xBatch: [B, D]; yBatch: [B]. Returns L. The model should be in training mode.
 * The forward runs with `{ reuse: true }` (see `PassOptions`): the layers write into buffers they
 * reuse at every step, and the loss fills [B, C] buffers kept for this model: after the first step
 * a step allocates no matrices. So `loss` must not keep `logits` or what it writes into `into`.
 * If L is NaN or ±∞ the step stops before backward, so the parameters keep their last
 * finite values, and the non-finite L is returned for the caller to handle (`fit` throws
 * `TrainingDivergedError`).
 * A rejected step leaves the parameters, gradients, caches and running statistics as they were:
 * the kinds of the arguments and the labels (against the model's C outputs) are checked first, the
 * forward checks x against every layer before any runs, and the gradients are zeroed only after it
 * (the forward never reads them, so the numbers are the same as zeroing first); a loss that throws
 * leaves the model as a layer that throws does (`forwardWithLoss`).
 */
export function trainStep(
  model: Layer,
  optimizer: Optimizer,
  xBatch: Matrix,
  yBatch: Int32Array,
  loss: ClassificationLoss = softmaxCrossEntropy,
): number {
  checkStepInputs(model, optimizer, xBatch, yBatch, loss);
  // forward: logits = model(x) [B, C] (each layer's output in its reused buffer), then L(logits, y)
  const { loss: value, dLogits } = forwardWithLoss(model, xBatch, yBatch, loss);
  if (!Number.isFinite(value)) return value; // diverged: leave θ as it was
  optimizer.zeroGrad(); // gradients accumulate (+=), so clear last step's
  // backward
  // fills p.grad = ∂L/∂θ for every parameter (model.backward without ∂L/∂x, unused here)
  backwardParameters(model, dLogits);
  // update
  optimizer.step(); // θ ← θ − α·(update rule)
  return value;
}

/**
 * The forward and the loss as one transaction (see lib/layers/forward-undo.ts): when the loss throws (a loss of
 * your own), the model is ended with `endForward(false)` and keeps the caches and running statistics of its
 * last good batch, as when a layer throws.
 */
function forwardWithLoss(
  model: Layer,
  xBatch: Matrix,
  yBatch: Int32Array,
  loss: ClassificationLoss,
): { loss: number; dLogits: Matrix } {
  model.beginForward?.();
  let result: { loss: number; dLogits: Matrix };
  try {
    const logits = model.forward(xBatch, { reuse: true }); // [B, C]
    result = loss(logits, yBatch, lossBuffersFor(model, logits));
  } catch (error) {
    model.endForward?.(false); // rejected: the model puts back what this forward replaced
    throw error;
  }
  model.endForward?.(true); // accepted: BatchNorm's running statistics move now
  return result;
}

/**
 * The checks of `trainStep` before its forward (O(B) work, no allocation): argument kinds and
 * B labels in [0, C), C = the model's outputs. x itself is checked by the forward, before any layer runs.
 */
function checkStepInputs(
  model: Layer,
  optimizer: Optimizer,
  xBatch: Matrix,
  yBatch: ArrayLike<number>,
  loss: unknown = softmaxCrossEntropy,
  where = "trainStep",
): void {
  assertLayer(model, `${where} model`);
  if (
    typeof optimizer !== "object" ||
    optimizer === null ||
    typeof optimizer.step !== "function" ||
    typeof optimizer.zeroGrad !== "function"
  ) {
    throw new InputError(
      `${where} optimizer: expected an optimizer, got ${describeValue(optimizer)}; ` +
        `pass e.g. new SGD(model.parameters(), { learningRate: 0.1 }).`,
    );
  }
  assertMatrix(xBatch, `${where} xBatch`);
  assertFunction(loss, `${where} loss`);
  const classes = model.outputSize ? model.outputSize(xBatch.cols) : Infinity; // C, when the model can tell
  assertLabels(yBatch, xBatch.rows, classes, `${where} yBatch`);
}

/** The model's loss buffers, [B, C] like `logits` (remade when the batch size changes). */
function lossBuffersFor(model: Layer, logits: Matrix): SoftmaxCrossEntropyBuffers {
  const buffers = lossBuffers.get(model);
  if (buffers !== undefined && buffers.dLogits.rows === logits.rows && buffers.dLogits.cols === logits.cols)
    return buffers;
  const fresh = { probabilities: new Matrix(logits.rows, logits.cols), dLogits: new Matrix(logits.rows, logits.cols) };
  lossBuffers.set(model, fresh);
  return fresh;
}
