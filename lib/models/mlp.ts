/**
 * `mlp`: builds a multilayer perceptron as a `Sequential`.
 *
 *   for each hidden size H:   Linear(prev → H) → [BatchNorm1d(H)] → activation
 *   then the output layer:    Linear(prev → outputSize)            (no BatchNorm, no activation: logits)
 *
 * With BatchNorm, the Linear before it has no bias by default: BN subtracts the batch mean,
 * which removes any constant b, and its own β plays the role of the bias (the paper, §3.2).
 * Example: mlp({ inputSize: 2, hiddenSizes: [100, 100], outputSize: 3, batchNorm: true, rng })
 *   → Linear(2→100), BatchNorm1d(100), ReLU, Linear(100→100), BatchNorm1d(100), ReLU, Linear(100→3).
 */
import { assertOptions, assertPositiveInteger, assertRng, InputError } from "../core/checks";
import type { Rng } from "../core/random";
import { BatchNorm1d, type BatchNormOptions } from "../normalization";
import { ReLU, Sigmoid, Tanh } from "../layers/activations";
import type { Layer } from "../layers/layer";
import { Linear, type LinearInit } from "../layers/linear";
import { Sequential } from "../layers/sequential";

/** The activations `mlp` can place after each hidden layer. */
export type ActivationName = "relu" | "sigmoid" | "tanh";

/** Options of `mlp`. */
export interface MlpOptions {
  /** D, the number of input features. */
  inputSize: number;
  /** H₁, H₂, …: the width of each hidden layer (may be empty: a single Linear). */
  hiddenSizes: number[];
  /** C, the number of outputs (classes). */
  outputSize: number;
  /** Activation after each hidden layer (default "relu"). */
  activation?: ActivationName;
  /** Insert BatchNorm1d after each hidden Linear: true for PyTorch's defaults, or its options (default false). */
  batchNorm?: boolean | BatchNormOptions;
  /** Keep the (redundant) bias of a Linear followed by BatchNorm (default false). */
  biasBeforeBatchNorm?: boolean;
  /** The seeded generator for every weight. */
  rng: Rng;
  /** Weight initialization (default "he" for ReLU, "xavier" for sigmoid and tanh). */
  init?: LinearInit;
}

const activations: Record<ActivationName, () => Layer> = {
  relu: () => new ReLU(),
  sigmoid: () => new Sigmoid(),
  tanh: () => new Tanh(),
};

/** Builds Linear → [BatchNorm1d] → activation per hidden size, then a final Linear. See the file comment. */
export function mlp(options: MlpOptions): Sequential {
  assertOptions(options, "mlp options", "{ inputSize: 2, hiddenSizes: [100], outputSize: 3, rng: makeRng(1337) }");
  const {
    inputSize,
    hiddenSizes,
    outputSize,
    activation = "relu",
    batchNorm = false,
    biasBeforeBatchNorm = false,
    rng,
  } = options;
  checkSizes(inputSize, hiddenSizes, outputSize);
  if (!Object.prototype.hasOwnProperty.call(activations, activation)) {
    throw new InputError(`mlp: activation must be "relu", "sigmoid" or "tanh", got ${JSON.stringify(activation)}.`);
  }
  if (rng === undefined) throw new InputError("mlp: pass a seeded generator, e.g. mlp({ …, rng: makeRng(1337) }).");
  assertRng(rng, "mlp options.rng");
  if (typeof batchNorm !== "boolean") assertOptions(batchNorm, "mlp options.batchNorm", "true or { momentum: 0.1 }");
  const init = options.init ?? (activation === "relu" ? "he" : "xavier");
  const normalize = batchNorm !== false;
  const batchNormOptions = typeof batchNorm === "object" ? batchNorm : {};
  const layers: Layer[] = [];
  let previous = inputSize;
  for (const size of hiddenSizes) {
    layers.push(new Linear(previous, size, { rng, init, bias: !normalize || biasBeforeBatchNorm }));
    if (normalize) layers.push(new BatchNorm1d(size, batchNormOptions));
    layers.push(activations[activation]());
    previous = size;
  }
  layers.push(new Linear(previous, outputSize, { rng, init }));
  return new Sequential(layers);
}

function checkSizes(inputSize: number, hiddenSizes: number[], outputSize: number): void {
  assertPositiveInteger(inputSize, "inputSize", "mlp");
  assertPositiveInteger(outputSize, "outputSize", "mlp");
  if (!Array.isArray(hiddenSizes))
    throw new InputError(`mlp: hiddenSizes must be an array of widths such as [100, 100], got ${String(hiddenSizes)}.`);
  hiddenSizes.forEach((size, k) => assertPositiveInteger(size, `hiddenSizes[${k}]`, "mlp"));
}
