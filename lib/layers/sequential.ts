/**
 * `Sequential`: layers applied one after another, like PyTorch's `nn.Sequential`.
 *
 *   forward    h₀ = x,  hₖ₊₁ = layers[k].forward(hₖ),  out = h_L
 *   backward   the chain rule in reverse: g_L = dOut,  gₖ = layers[k].backward(gₖ₊₁),  dX = g₀
 *
 * Parameters are named with their layer's index ("0.weight", "1.gamma", …), like the keys of
 * PyTorch's `state_dict()`; `train()`/`eval()` switch every layer.
 */
import {
  assertFinite,
  assertLayer,
  assertMatrix,
  assertNonEmpty,
  assertPositiveInteger,
  describeValue,
  InputError,
  type Shaped,
} from "../core/checks";
import type { Matrix } from "../core/matrix";
import type { Parameter } from "../core/parameter";
import { backwardParameters, type Layer, Module, type PassOptions } from "./layer";
import { layerOutputSize, widthMismatch, withOutputSizeHint } from "./output-size";

/** One row of `Sequential.summary`. */
export interface LayerSummaryRow {
  index: number;
  name: string;
  /** [batch size or null for "any", output features]. */
  outputShape: [number | null, number];
  /** Number of learned numbers in the layer (running statistics are buffers, not counted). */
  parameterCount: number;
}

/** What `Sequential.summary` returns: one row per layer and the total parameter count. */
export interface ModelSummary {
  inputShape: [number | null, number];
  rows: LayerSummaryRow[];
  totalParameters: number;
}

/** Layers applied in order; see the file comment. */
export class Sequential extends Module {
  readonly name = "Sequential";
  /** The layers, in the order forward applies them. */
  readonly layers: readonly Layer[];
  // the shape each layer is checked with in `checkInput` (scratch, no allocation)
  private readonly probe = { rows: 0, cols: 0 };
  // why backward must wait for a new forward (a rejected forward overwrote reused buffers), or ""
  private staleReuse = "";
  private nested = false; // true between beginForward and endForward: an outer Sequential ends the layers (scratch)
  private begun = 0; // layers begun by the running forward (scratch, 0 between calls)

  constructor(layers: Layer[]) {
    super();
    if (!Array.isArray(layers) || layers.length === 0) {
      throw new InputError(
        "Sequential: pass a non-empty array of layers, e.g. new Sequential([new Linear(2, 8, { rng }), new ReLU()]).",
      );
    }
    layers.forEach((layer, k) => assertLayer(layer, `Sequential layers[${k}]`));
    this.layers = [...layers];
  }

  /**
   * x: [N, Din] → out: [N, Dout], through every layer in order. With `{ reuse: true }` every layer
   * writes into its own buffer (see `PassOptions`): each hₖ stays valid until the next reusing forward.
   * Every layer's checks run first (`checkInput`), so a batch that layer k rejects leaves layers
   * 0…k−1 as they were (their caches still hold the last good batch, ready for its backward).
   * A batch rejected half-way (a value that overflowed to ±∞ reaching a BatchNorm) is undone: every
   * layer that ran gets `endForward(false)`, which puts back its cache and running statistics. With
   * `reuse`, the layers' buffers cannot be put back, so `backward` then asks for a new forward.
   */
  forward(x: Matrix, options?: PassOptions): Matrix {
    assertMatrix(x, `${this.name}.forward x`);
    this.checkInput(x);
    if (this.requiresFiniteInput())
      assertFinite(
        x.data,
        x.cols,
        `${this.name}.forward x (a BatchNorm1d in training mode would store it in its running statistics)`,
      );
    let h = x;
    try {
      for (const layer of this.layers) {
        const expected = layerOutputSize(layer, h.cols);
        layer.beginForward?.();
        this.begun += 1;
        h = layer.forward(h, options);
        if (h.cols !== expected) throw widthMismatch(layer, this.begun - 1, expected, h.cols);
      }
    } catch (error) {
      if (!this.nested) this.endLayers(false, options?.reuse);
      throw error;
    }
    if (!this.nested) this.endLayers(true, options?.reuse);
    return h;
  }

  /** Inside another Sequential: the layers are ended by `endForward`, when the outer model has run. */
  override beginForward(): void {
    this.nested = true;
  }

  /** Ends every layer the last forward began (see `Layer.endForward`). */
  override endForward(accepted: boolean): void {
    this.nested = false;
    this.endLayers(accepted, false);
  }

  /** `endForward(accepted)` on the layers begun, last first; a rejected `reuse` forward leaves stale buffers. */
  private endLayers(accepted: boolean, reuse = false): void {
    const rejectedAt = this.begun - 1;
    for (let k = this.begun - 1; k >= 0; k--) this.layers[k].endForward?.(accepted);
    this.begun = 0;
    if (accepted) this.staleReuse = "";
    else if (reuse)
      this.staleReuse =
        `the last forward ({ reuse: true }) was rejected at layer ` +
        `${rejectedAt}, after the layers before it had overwritten their buffers`;
  }

  /** dOut: [N, Dout] → dX: [N, Din], through every layer in reverse; accumulates every parameter's grad. */
  backward(dOut: Matrix, options?: PassOptions): Matrix {
    assertMatrix(dOut, `${this.name}.backward dOut`);
    this.assertFreshCaches();
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
    this.assertFreshCaches();
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

  private assertFreshCaches(): void {
    if (this.staleReuse)
      throw new InputError(`${this.name}.backward: ${this.staleReuse}; run forward again before backward.`);
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
   * Pass `batchSize` to show it in the shapes (otherwise `null`, "any N").
   */
  summary(inputSize: number, { batchSize }: { batchSize?: number } = {}): ModelSummary {
    assertPositiveInteger(inputSize, "inputSize", "Sequential.summary");
    if (batchSize !== undefined) assertPositiveInteger(batchSize, "batchSize", "Sequential.summary");
    const n = batchSize ?? null;
    let size = inputSize;
    const rows = this.layers.map((layer, index): LayerSummaryRow => {
      size = layerOutputSize(layer, size);
      const parameterCount = layer.parameters().reduce((total, p) => total + p.value.size, 0);
      return { index, name: layer.name, outputShape: [n, size], parameterCount };
    });
    const totalParameters = rows.reduce((total, row) => total + row.parameterCount, 0);
    return { inputShape: [n, inputSize], rows, totalParameters };
  }
}

/** Formats a `ModelSummary` as a fixed-width text table (`N` stands for "any batch size"). */
export function formatModelSummary(summary: ModelSummary): string {
  if (typeof summary !== "object" || summary === null || !Array.isArray(summary.rows)) {
    throw new InputError(
      `formatModelSummary summary: expected what model.summary(inputSize) returns, got ${describeValue(summary)}.`,
    );
  }
  const shape = ([n, d]: [number | null, number]) => `[${n ?? "N"}, ${d}]`;
  const nameWidth = Math.max(5, ...summary.rows.map((r) => r.name.length));
  const line = (index: string, name: string, out: string, count: string) =>
    `${index.padStart(3)}  ${name.padEnd(nameWidth)}  ${out.padEnd(12)}  ${count.padStart(10)}`;
  const header = line("#", "layer", "output shape", "parameters");
  const body = summary.rows.map((r) => line(String(r.index), r.name, shape(r.outputShape), String(r.parameterCount)));
  const rule = "─".repeat(header.length);
  return [
    `input ${shape(summary.inputShape)}`,
    header,
    rule,
    ...body,
    rule,
    `total parameters: ${summary.totalParameters}`,
  ].join("\n");
}
