/**
 * Measuring a classifier: `accuracy` of logits, and `evaluate` on a whole data set.
 */
import { assertFunction, assertLabels, assertLayer, assertMatrix, InputError } from "../core/checks";
import type { Matrix } from "../core/matrix";
import type { Dataset } from "../data/dataset";
import { assertDataset } from "../data/preprocess";
import type { Layer } from "../layers/layer";
import { softmaxCrossEntropy } from "../layers/losses";
import type { ClassificationLoss } from "./step";

/**
 * Fraction of rows whose largest logit is at the true label:
 *   accuracy = (1/N) Σᵢ [argmaxⱼ logits[i][j] = yᵢ]
 * logits: [N, C]; labels: [N]. Ties go to the first largest logit (as `torch.argmax`).
 */
export function accuracy(logits: Matrix, labels: ArrayLike<number>): number {
  assertMatrix(logits, "accuracy logits");
  const { rows: N, cols: C } = logits;
  if (N === 0) throw new InputError("accuracy: got no examples; pass logits with at least one row.");
  assertLabels(labels, N, C, "accuracy labels");
  let correct = 0;
  for (let i = 0; i < N; i++) {
    let best = 0;
    for (let j = 1; j < C; j++) if (logits.data[i * C + j] > logits.data[i * C + best]) best = j;
    if (best === labels[i]) correct += 1;
  }
  return correct / N;
}

/** What `evaluate` returns. */
export interface Evaluation {
  /** Mean loss over the data set (softmax cross-entropy by default). */
  loss: number;
  /** Fraction classified correctly, in [0, 1]. */
  accuracy: number;
}

/**
 * Data sets up to this many rows are evaluated through the layers' reused buffers (`{ reuse: true }`):
 * a probe set evaluated every few hundred training steps then allocates no [N, width] matrices.
 * A larger set gets fresh matrices, so that the layers do not keep buffers that large.
 */
export const EVALUATE_REUSE_ROWS = 1024;

/**
 * Loss and accuracy of `model` on a whole data set, in evaluation mode (BatchNorm uses its
 * running statistics, Dropout passes everything through); the model's mode is restored
 * afterwards, even if forward throws. No gradients are computed. x: [N, D], y: [N].
 * Up to `EVALUATE_REUSE_ROWS` rows, the forward writes into the layers' reused buffers (the same numbers).
 */
export function evaluate(model: Layer, dataset: Dataset, loss: ClassificationLoss = softmaxCrossEntropy): Evaluation {
  assertLayer(model, "evaluate model");
  assertDataset(dataset, "evaluate dataset");
  assertFunction(loss, "evaluate loss");
  const wasTraining = model.training;
  model.eval();
  try {
    const reuse = dataset.x.rows <= EVALUATE_REUSE_ROWS;
    const logits = model.forward(dataset.x, { reuse }); // forward only
    return { loss: loss(logits, dataset.y).loss, accuracy: accuracy(logits, dataset.y) };
  } finally {
    if (wasTraining) model.train();
  }
}
