/**
 * Looking inside a `Sequential` during one training step: every layer's output and the gradient
 * of the loss with respect to it, plus saving and restoring a model's state so that a
 * measurement can move the parameters and put them back.
 *
 *   traceStep(model, x, labels):  h₀ = x, hₖ₊₁ = layer k(hₖ)   (outputs[k] = hₖ₊₁)
 *                                 L = softmaxCrossEntropy(h_L, labels)
 *                                 gₖ = ∂L/∂hₖ₊₁ by the chain rule in reverse  (outputGradients[k])
 * Parameter gradients accumulate into `p.grad` as in `trainStep` (zeroed first).
 */
import { assertFinite, assertLabels, assertMatrix, InputError } from "../core/checks";
import type { Matrix } from "../core/matrix";
import type { Layer, PassOptions } from "../layers/layer";
import { softmaxCrossEntropy } from "../layers/losses";
import { BatchNorm1d } from "../normalization/batchnorm1d";

/** Anything with an ordered list of layers, e.g. a `Sequential`. */
export interface LayeredModel {
  readonly layers: readonly Layer[];
}

/** What `traceStep` returns. outputs[k], outputGradients[k]: [N, width of layer k's output]. */
export interface StepTrace {
  loss: number;
  outputs: Matrix[];
  outputGradients: Matrix[];
}

/** One forward and backward pass through `model.layers` that keeps every intermediate result (no update). */
export function traceStep(model: LayeredModel, x: Matrix, labels: ArrayLike<number>): StepTrace {
  const outputs: Matrix[] = [];
  const outputGradients = new Array<Matrix>(model.layers.length);
  const loss = forwardBackward(model, x, labels, { where: "traceStep", outputs, outputGradients });
  return { loss, outputs, outputGradients };
}

/**
 * The same pass as `traceStep` (the same loss and parameter gradients), keeping nothing but the loss: the
 * layers write into their reused buffers (`{ reuse: true }`), so a measurement repeated during training
 * allocates no [N, width] matrices. Returns L; every parameter's `grad` holds ∂L/∂θ. `where` names the
 * caller in error messages.
 */
export function computeGradients(
  model: LayeredModel,
  x: Matrix,
  labels: ArrayLike<number>,
  where = "computeGradients",
): number {
  return forwardBackward(model, x, labels, { where, reuse: true });
}

/** The pass of `traceStep` and `computeGradients`; fills `outputs` and `outputGradients` when given. */
function forwardBackward(
  model: LayeredModel,
  x: Matrix,
  labels: ArrayLike<number>,
  keep: { where: string; reuse?: boolean; outputs?: Matrix[]; outputGradients?: Matrix[] },
): number {
  checkLayered(model, keep.where);
  checkBatch(model, x, keep.where, labels);
  for (const layer of model.layers) layer.zeroGrad();
  const options = { reuse: keep.reuse };
  let h = x;
  for (const layer of model.layers) {
    h = layer.forward(h, options);
    keep.outputs?.push(h); // hₖ₊₁
  }
  const { loss, dLogits } = softmaxCrossEntropy(h, labels);
  let g = dLogits;
  for (let k = model.layers.length - 1; k >= 0; k--) {
    if (keep.outputGradients) keep.outputGradients[k] = g; // ∂L/∂hₖ₊₁
    g = model.layers[k].backward(g, options); // backward: ∂L/∂hₖ
  }
  return loss;
}

/**
 * The outputs of every layer for input x, in the model's current mode (no backward). With `{ reuse: true }`
 * they are the layers' reused buffers (the same numbers, no allocation when measured again and again): read
 * them before the model's next forward, which overwrites them.
 */
export function layerOutputs(model: LayeredModel, x: Matrix, options?: PassOptions): Matrix[] {
  checkLayered(model, "layerOutputs");
  checkBatch(model, x, "layerOutputs");
  const outputs: Matrix[] = [];
  let h = x;
  for (const layer of model.layers) outputs.push((h = layer.forward(h, options)));
  return outputs;
}

/** Restores what `saveState` copied. */
export type RestoreState = () => void;

/**
 * Copies every parameter value and every BatchNorm1d buffer (runningMean, runningVar,
 * numBatchesTracked) of `model.layers`; calling the returned function writes them back.
 * Gradients are not saved.
 */
export function saveState(model: LayeredModel): RestoreState {
  checkLayered(model, "saveState");
  const values = model.layers.flatMap((layer) =>
    layer.parameters().map((p) => ({ target: p.value.data, copy: p.value.data.slice() })),
  );
  const norms = model.layers.filter((layer): layer is BatchNorm1d => layer instanceof BatchNorm1d);
  const buffers = norms.map((n) => ({
    n,
    mean: n.runningMean.data.slice(),
    variance: n.runningVar.data.slice(),
    tracked: n.numBatchesTracked,
  }));
  return () => {
    for (const { target, copy } of values) target.set(copy);
    for (const { n, mean, variance, tracked } of buffers) {
      n.runningMean.data.set(mean);
      n.runningVar.data.set(variance);
      n.numBatchesTracked = tracked;
    }
  };
}

/**
 * Throws, changing nothing, unless every layer accepts x in turn (its `checkInput` on the shape
 * the batch has there) and, with labels, they are x.rows class indices below the model's outputs.
 */
function checkBatch(model: LayeredModel, x: Matrix, where: string, labels?: ArrayLike<number>): void {
  assertMatrix(x, `${where} x`);
  let cols = x.cols;
  for (const layer of model.layers) {
    layer.checkInput?.({ rows: x.rows, cols });
    if (layer.requiresFiniteInput?.()) assertFinite(x.data, x.cols, `${where} x (${layer.name} would store it)`);
    cols = layer.outputSize ? layer.outputSize(cols) : cols;
  }
  if (labels !== undefined) assertLabels(labels, x.rows, cols, `${where} labels`);
}

function checkLayered(model: LayeredModel, where: string): void {
  if (!model || !Array.isArray(model.layers) || model.layers.length === 0) {
    throw new InputError(
      `${where}: expected a model with a non-empty list of layers (a Sequential, e.g. from mlp(...)).`,
    );
  }
}
