/**
 * `Sequential`: layers applied one after another, like PyTorch's `nn.Sequential`.
 *
 *   forward    h₀ = x,  hₖ₊₁ = layers[k].forward(hₖ),  out = h_L
 *   backward   the chain rule in reverse: g_L = dOut,  gₖ = layers[k].backward(gₖ₊₁),  dX = g₀
 *
 * Parameters are named with their layer's index ("0.weight", "1.gamma", …), like the keys of
 * PyTorch's `state_dict()`; `train()`/`eval()` switch every layer.
 */
import { assertFinite, assertLayer, assertMatrix, assertNonEmpty, InputError, type Shaped } from "../core/checks";
import type { Matrix } from "../core/matrix";
import type { Parameter } from "../core/parameter";
import { assertDistinctLayers, ForwardUndo } from "./forward-undo";
import { backwardParameters, type Layer, Module, type PassOptions } from "./layer";
import { type ModelSummary, summarizeLayers } from "./model-summary";
import { layerOutputSize, widthMismatch, withOutputSizeHint } from "./output-size";

export { formatModelSummary, type LayerSummaryRow, type ModelSummary } from "./model-summary";

/** Layers applied in order; see the file comment. */
export class Sequential extends Module {
  readonly name = "Sequential";
  /** The layers, in the order forward applies them. */
  readonly layers: readonly Layer[];
  // the shape each layer is checked with in `checkInput` (scratch, no allocation)
  private readonly probe = { rows: 0, cols: 0 };
  private readonly undo: ForwardUndo; // which layers the running forward has begun (see forward-undo.ts)

  constructor(layers: Layer[]) {
    super();
    if (!Array.isArray(layers) || layers.length === 0) {
      throw new InputError(
        "Sequential: pass a non-empty array of layers, e.g. new Sequential([new Linear(2, 8, { rng }), new ReLU()]).",
      );
    }
    layers.forEach((layer, k) => assertLayer(layer, `Sequential layers[${k}]`));
    assertDistinctLayers(layers);
    this.layers = [...layers];
    this.undo = new ForwardUndo(this.layers);
  }

  /**
   * x: [N, Din] → out: [N, Dout], through every layer in order. With `{ reuse: true }` every layer
   * writes into its own buffers (see `PassOptions`): each hₖ stays valid until the next reusing forward.
   * Every layer's checks run first (`checkInput`), so a batch that layer k rejects leaves layers
   * 0…k−1 as they were (their caches still hold the last good batch, ready for its backward).
   * A batch rejected half-way (a value that overflowed to ±∞ reaching a BatchNorm) is undone
   * (see forward-undo.ts): caches, buffers and running statistics stay those of the last good batch.
   */
  forward(x: Matrix, options?: PassOptions): Matrix {
    this.checkForward(x);
    let h = x; // h₀ = x
    try {
      for (let k = 0; k < this.layers.length; k++) {
        const expected = layerOutputSize(this.layers[k], h.cols);
        h = this.undo.forward(k, h, options); // hₖ₊₁ = layers[k].forward(hₖ), begun so that it can be undone
        if (h.cols !== expected) throw widthMismatch(this.layers[k], k, expected, h.cols);
      }
    } catch (error) {
      this.undo.finish(false); // rejected: every layer that ran puts back what it replaced
      throw error;
    }
    this.undo.finish(true); // accepted: every layer commits (BatchNorm's running statistics move now)
    return h;
  }

  /** Everything `forward` can check before a layer runs: x's kind and shape at every layer, finite values. */
  private checkForward(x: Matrix): void {
    assertMatrix(x, `${this.name}.forward x`);
    this.checkInput(x);
    if (this.requiresFiniteInput())
      assertFinite(
        x.data,
        x.cols,
        `${this.name}.forward x (a BatchNorm1d in training mode would store it in its running statistics)`,
      );
  }

  /** Inside another Sequential: the layers are ended by `endForward`, when the outer model has run. */
  override beginForward(): void {
    this.undo.nest();
  }

  /** Commits (accepted) or undoes every layer the last forward began (see `Layer.endForward`). */
  override endForward(accepted: boolean): void {
    this.undo.end(accepted);
  }

  /** dOut: [N, Dout] → dX: [N, Din], through every layer in reverse; accumulates every parameter's grad. */
  backward(dOut: Matrix, options?: PassOptions): Matrix {
    assertMatrix(dOut, `${this.name}.backward dOut`);
    let g = dOut;
    for (let k = this.layers.length - 1; k >= 0; k--) g = this.layers[k].backward(g, options);
    return g;
  }

  /**
   * `backward` for a caller that needs only the parameters' gradients (`trainStep`): the same `grad`s,
   * but the first layer may skip dX = ∂L/∂x, which nothing reads (an MLP's first `Linear` skips
   * dOut·Wᵀ: [N, inputSize], the largest product of an MNIST step). PyTorch skips it too.
   * The intermediate gₖ are never seen by the caller, so they live in the layers' reused buffers.
   */
  backwardParameters(dOut: Matrix): void {
    assertMatrix(dOut, `${this.name}.backward dOut`);
    let g = dOut;
    for (let k = this.layers.length - 1; k >= 1; k--) g = this.layers[k].backward(g, { reuse: true });
    backwardParameters(this.layers[0], g);
  }

  /**
   * The checks of every layer's forward, in order, on the shapes the batch will have there
   * ([N, Din] in, each layer's `outputSize` out): throws the first layer's `InputError`, changing nothing.
   */
  override checkInput(x: Shaped): void {
    assertNonEmpty(x, `${this.name}.forward x`);
    let cols = x.cols;
    let k = 0;
    try {
      for (; k < this.layers.length; k++) {
        this.probe.rows = x.rows;
        this.probe.cols = cols;
        this.layers[k].checkInput?.(this.probe);
        cols = layerOutputSize(this.layers[k], cols);
      }
    } catch (error) {
      throw withOutputSizeHint(error, this.layers.slice(0, k));
    } finally {
      this.probe.rows = this.probe.cols = 0; // scratch: back to [0, 0], so a check leaves no trace
    }
  }

  /** True when some layer rejects NaN/±∞ (a BatchNorm1d in training): `forward` then checks x first. */
  requiresFiniteInput(): boolean {
    for (const layer of this.layers) if (layer.requiresFiniteInput?.()) return true;
    return false;
  }

  /** Every layer's parameters, renamed "index.name" (sharing value and grad with the layer's own). */
  override parameters(): Parameter[] {
    return this.layers.flatMap((layer, k) => layer.parameters().map((p) => p.withName(`${k}.${p.name}`)));
  }

  /** Training mode for this model and every layer. */
  override train(): void {
    super.train();
    for (const layer of this.layers) layer.train();
  }

  /** Evaluation mode for this model and every layer. */
  override eval(): void {
    super.eval();
    for (const layer of this.layers) layer.eval();
  }

  /** Zeroes the gradient of every layer's parameters. */
  override zeroGrad(): void {
    for (const layer of this.layers) layer.zeroGrad();
  }

  /** The output features after all layers, for `inputSize` input features. */
  override outputSize(inputSize: number): number {
    return this.layers.reduce((size, layer) => layerOutputSize(layer, size), inputSize);
  }

  /**
   * A table of the layers for `inputSize` input features: output shape and parameter count of each.
   * Pass `batchSize` to show it in the shapes (otherwise `null`, "any N"). See model-summary.ts.
   */
  summary(inputSize: number, options: { batchSize?: number } = {}): ModelSummary {
    return summarizeLayers(this.layers, inputSize, options);
  }
}
