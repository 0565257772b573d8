/**
 * Accuracy of a BN network **in train mode**: every example normalized with the mean and
 * variance of the batch it arrives in, not with the running averages.
 *
 *   accuracy = (1 / (B·m)) · Σ_b Σ_{i ∈ batch b} [argmax model_train(x_b)_i = y_i],   B = ⌊N / m⌋
 *
 * The data are cut into B consecutive batches of m rows (a last partial batch is left out).
 * A train-mode forward updates every BatchNorm1d's running averages, so they (and the model's
 * mode) are put back afterwards: calling it leaves the model as it was. Notebooks 05 and 06
 * compare it with eval-mode accuracy to show the train/eval gap and its dependence on m.
 */
import { InputError } from "../core/checks";
import type { Dataset } from "../data/dataset";
import type { Sequential } from "../layers/sequential";
import type { Matrix } from "../core/matrix";
import { saveState } from "./trace";

/** How many rows of `logits` [m, C] have their largest entry (the first, on ties) at the row's label. */
function correctPredictions(logits: Matrix, labels: number[]): number {
  let correct = 0;
  for (let i = 0; i < logits.rows; i++) {
    let best = 0;
    for (let j = 1; j < logits.cols; j++) if (logits.get(i, j) > logits.get(i, best)) best = j;
    if (best === labels[i]) correct++;
  }
  return correct;
}

/** Test accuracy with batch statistics, over ⌊N / batchSize⌋ consecutive batches; model state and mode unchanged. */
export function trainModeAccuracy(model: Sequential, data: Dataset, batchSize: number): number {
  if (!data || typeof data !== "object" || !data.x || !data.y) {
    throw new InputError(
      "trainModeAccuracy: data must be a Dataset { x: Matrix [N, D], y: labels [N] } (e.g. mnist.test).",
    );
  }
  if (!Number.isInteger(batchSize) || batchSize < 2 || batchSize > data.y.length) {
    throw new InputError(
      `trainModeAccuracy: batchSize is ${batchSize}; use an integer from 2 (a ` +
        `batch of one has no variance) to the ${data.y.length} examples of the data.`,
    );
  }
  const restore = saveState(model);
  const wasTraining = model.training;
  const batches = Math.floor(data.y.length / batchSize);
  let correct = 0;
  try {
    model.train();
    for (let b = 0; b < batches; b++) {
      const rows = Array.from({ length: batchSize }, (_, i) => b * batchSize + i);
      correct += correctPredictions(
        model.forward(data.x.selectRows(rows)),
        rows.map((r) => data.y[r]),
      );
    }
  } finally {
    restore();
    if (!wasTraining) model.eval();
  }
  return correct / (batches * batchSize);
}
