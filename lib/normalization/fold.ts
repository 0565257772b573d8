/**
 * Folding a BatchNorm into the Linear layer before it, for inference.
 *
 * In eval mode BatchNorm is a fixed affine map per feature j,
 *   bn(z)ⱼ = sⱼ·(zⱼ − runningMeanⱼ) + βⱼ,      sⱼ = γⱼ / √(runningVarⱼ + ε)
 * and Linear is z = x·W + b, so the two together are one Linear layer:
 *   W' = W·diag(s)                   (column j of W times sⱼ)          W, W': [Din, Dout]
 *   b' = (b − runningMean)·s + β     (elementwise; b = 0 without bias)  b, b': [1, Dout]
 * Only valid in eval mode: in training BatchNorm uses the statistics of each batch.
 */
import { assertMatrix, assertPositive, assertShape, describeValue, InputError } from "../core/checks";
import { Matrix } from "../core/matrix";
import { makeRng } from "../core/random";
import { Linear } from "../layers/linear";
import { BatchNorm1d } from "./batchnorm1d";

/**
 * The folded weight and bias W' = W·diag(s), b' = (b − runningMean)·s + β, s = γ/√(runningVar + ε).
 * weight: [Din, Dout]; bias, runningMean, runningVar, gamma, beta: [1, Dout].
 */
export function foldBatchNormParameters(
  weight: Matrix,
  bias: Matrix,
  runningMean: Matrix,
  runningVar: Matrix,
  gamma: Matrix,
  beta: Matrix,
  eps: number,
): { weight: Matrix; bias: Matrix } {
  const where = "foldBatchNormParameters";
  const perFeature = { bias, runningMean, runningVar, gamma, beta };
  assertMatrix(weight, `${where} weight`);
  for (const [name, value] of Object.entries(perFeature)) assertMatrix(value, `${where} ${name}`);
  for (const [name, value] of Object.entries(perFeature))
    assertShape(value, [1, weight.cols], `${where} ${name}`, "one value per output feature (column of weight).");
  assertPositive(eps, "eps", where);
  const scale = gamma.zip(runningVar, (g, v) => g / Math.sqrt(v + eps), where); // s = γ/√(runningVar + ε)
  return {
    weight: weight.mulRow(scale), // W·diag(s): column j times sⱼ
    bias: bias.sub(runningMean).mul(scale).add(beta), // (b − runningMean)·s + β
  };
}

/**
 * A new `Linear` (always with a bias) whose output equals `batchNorm.forward(linear.forward(x))`
 * in eval mode, for every x: [N, Din]. Neither input layer is changed.
 * Needs `batchNorm.numFeatures === linear.outFeatures` and running statistics (trackRunningStats).
 */
export function foldBatchNorm(linear: Linear, batchNorm: BatchNorm1d): Linear {
  if (!(linear instanceof Linear))
    throw new InputError(`foldBatchNorm linear: expected a Linear layer, got ${describeValue(linear)}.`);
  if (!(batchNorm instanceof BatchNorm1d))
    throw new InputError(`foldBatchNorm batchNorm: expected a BatchNorm1d layer, got ${describeValue(batchNorm)}.`);
  const where = `foldBatchNorm(${linear.name}, ${batchNorm.name})`;
  if (batchNorm.numFeatures !== linear.outFeatures) {
    throw new InputError(
      `${where}: the BatchNorm must normalize the Linear's ` +
        `${linear.outFeatures} outputs, but has ${batchNorm.numFeatures} features.`,
    );
  }
  if (!batchNorm.trackRunningStats) {
    throw new InputError(
      `${where}: this BatchNorm has no running statistics (trackRunningStats: ` +
        `false), so even in eval mode it depends on the batch and cannot be folded.`,
    );
  }
  const bias = linear.bias ? linear.bias.value : Matrix.zeros(1, linear.outFeatures);
  const { runningMean, runningVar, gamma, beta, eps } = batchNorm;
  const folded = foldBatchNormParameters(
    linear.weight.value,
    bias,
    runningMean,
    runningVar,
    gamma.value,
    beta.value,
    eps,
  );
  // The initial draw is irrelevant: every weight and bias is overwritten just below.
  const result = new Linear(linear.inFeatures, linear.outFeatures, {
    bias: true,
    rng: makeRng(0),
    init: { gaussian: 0 },
  });
  result.weight.value.data.set(folded.weight.data);
  result.bias?.value.data.set(folded.bias.data);
  return result;
}
