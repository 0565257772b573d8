/**
 * Losses: a scalar to minimize and its gradient with respect to the model's output.
 *
 * softmaxCrossEntropy   logits z: [N, C], labels y: [N] with yᵢ ∈ {0, …, C−1}
 *   mᵢ = maxₖ zᵢₖ                                        (subtracting it changes nothing but keeps e^· ≤ 1)
 *   pᵢⱼ = softmax(zᵢ)ⱼ = e^(zᵢⱼ − mᵢ) / Σₖ e^(zᵢₖ − mᵢ)
 *   L = (1/N) Σᵢ −log pᵢ,yᵢ = (1/N) Σᵢ (mᵢ + log Σₖ e^(zᵢₖ − mᵢ) − zᵢ,yᵢ)   (log-sum-exp: never log 0)
 *   dLogits = (p − onehot(y)) / N                                            [N, C]
 *   PyTorch twin: `F.cross_entropy(logits, labels)` (reduction "mean").
 *
 * meanSquaredError      prediction, target: [N, D]
 *   L = (1/(N·D)) Σᵢⱼ (pᵢⱼ − tᵢⱼ)²,   dPrediction = 2 (p − t) / (N·D)
 *   PyTorch twin: `F.mse_loss(prediction, target)` (reduction "mean").
 */
import { assertLabels, assertMatrix, assertNonEmpty, assertSameShape, assertShape } from "../core/checks";
import { Matrix } from "../core/matrix";
import { layerKernels } from "./layer-kernels";

/** The result of `softmaxCrossEntropy`. */
export interface SoftmaxCrossEntropyResult {
  /** Mean cross-entropy over the batch. */
  loss: number;
  /** ∂loss/∂logits = (softmax − onehot) / N: [N, C]. */
  dLogits: Matrix;
  /** softmax(logits), each row sums to 1: [N, C]. */
  probabilities: Matrix;
}

/**
 * [N, C] matrices `softmaxCrossEntropy` may fill instead of making new ones (`trainStep` reuses them step after step).
 */
export interface SoftmaxCrossEntropyBuffers {
  probabilities: Matrix;
  dLogits: Matrix;
}

/**
 * Softmax followed by cross-entropy, averaged over the batch; numerically stable for any finite
 * logits (1e4 gives a finite loss). See the file comment for the formulas.
 * logits: [N, C]; labels: N whole numbers in [0, C). With `into`, the probabilities and dLogits
 * are written into its [N, C] matrices (and returned), otherwise into new ones.
 */
export function softmaxCrossEntropy(
  logits: Matrix,
  labels: ArrayLike<number>,
  into?: SoftmaxCrossEntropyBuffers,
): SoftmaxCrossEntropyResult {
  assertMatrix(logits, "softmaxCrossEntropy logits");
  assertNonEmpty(logits, "softmaxCrossEntropy logits");
  assertLabels(labels, logits.rows, logits.cols, "softmaxCrossEntropy labels");
  const { rows: N, cols: C } = logits;
  if (into) {
    assertMatrix(into.probabilities, "softmaxCrossEntropy into.probabilities");
    assertMatrix(into.dLogits, "softmaxCrossEntropy into.dLogits");
    assertShape(into.probabilities, [N, C], "softmaxCrossEntropy into.probabilities");
    assertShape(into.dLogits, [N, C], "softmaxCrossEntropy into.dLogits");
  }
  const probabilities = into?.probabilities ?? new Matrix(N, C);
  const dLogits = into?.dLogits ?? new Matrix(N, C);
  // the formulas above, row by row
  const loss = layerKernels.softmaxCrossEntropyRows(logits, labels, probabilities, dLogits);
  return { loss, dLogits, probabilities };
}

/** The result of `meanSquaredError`. */
export interface MeanSquaredErrorResult {
  /** Mean of (p − t)² over all N·D elements. */
  loss: number;
  /** ∂loss/∂prediction = 2 (p − t) / (N·D): [N, D]. */
  dPrediction: Matrix;
}

/** Mean squared error over all elements: L = mean((p − t)²). prediction, target: [N, D]. */
export function meanSquaredError(prediction: Matrix, target: Matrix): MeanSquaredErrorResult {
  assertMatrix(prediction, "meanSquaredError prediction");
  assertMatrix(target, "meanSquaredError target");
  assertNonEmpty(prediction, "meanSquaredError prediction");
  assertSameShape(prediction, target, "meanSquaredError prediction and target");
  const count = prediction.size;
  const diff = prediction.sub(target); // p − t
  let total = 0;
  for (let k = 0; k < count; k++) total += diff.data[k] * diff.data[k];
  return { loss: total / count, dPrediction: diff.scale(2 / count) };
}
