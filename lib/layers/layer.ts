/**
 * `Layer` and `Module`: the bookkeeping every layer shares (its learned tensors are `Parameter`s,
 * lib/core/parameter.ts).
 *
 * A layer maps a batch `x: [N, Din]` to `out: [N, Dout]` in `forward`, keeps what
 * `backward` needs in a typed cache, and in `backward(dOut)` adds the gradients of
 * its parameters into `parameter.grad` (`+=`, never `=`) and returns `dX`.
 */
import { assertNonEmpty, type Shaped } from "../core/checks";
import type { Matrix } from "../core/matrix";
import type { Parameter } from "../core/parameter";
import { Workspace } from "../core/workspace";

/**
 * Options of `forward` and `backward`.
 *
 * By default each call returns a fresh matrix that the caller may keep (notebooks keep activations
 * for histograms). With `reuse: true` the result is written into a buffer the layer owns and may
 * overwrite at its next `reuse` call: no allocation step after step. That suits a caller that is
 * done with the result before calling again, such as `trainStep` (forward, loss, backward, update).
 * (Inside `Sequential` a layer alternates between two sets of buffers, see `Workspace.swapSides`.)
 * A layer may ignore the option and return a fresh matrix anyway: that is always allowed.
 */
export interface PassOptions {
  /** Return a buffer of the layer, valid until its next `reuse` call (default false: a fresh matrix). */
  reuse?: boolean;
}

/** The contract of every layer. */
export interface Layer {
  /** A readable name used in summaries and error messages, e.g. "BatchNorm1d(100)". */
  readonly name: string;
  /** True in training mode (the default), false after `eval()`. */
  readonly training: boolean;
  /** x: [N, Din] → out: [N, Dout] (fresh, or the layer's buffer with `{ reuse: true }`). */
  forward(x: Matrix, options?: PassOptions): Matrix;
  /** dOut: [N, Dout] → dX: [N, Din]; accumulates into the parameters' `grad`. `options`: as `forward`. */
  backward(dOut: Matrix, options?: PassOptions): Matrix;
  /**
   * Optional: `backward` for a caller that throws dX away (`trainStep`): the same `grad`s, but dX
   * may be skipped. Call it through `backwardParameters(layer, dOut)`, which falls back to `backward`.
   */
  backwardParameters?(dOut: Matrix): void;
  /** The learned parameters (empty for activations). */
  parameters(): Parameter[];
  /** Training mode: BatchNorm uses batch statistics, Dropout drops. */
  train(): void;
  /** Evaluation mode: BatchNorm uses running statistics, Dropout passes through. */
  eval(): void;
  /** Zeroes the gradient of every parameter; call before each backward pass. */
  zeroGrad(): void;
  /**
   * The number of output features for `inputSize` input features (used by `Sequential.summary`).
   * Optional: a layer without it is taken to keep the size, as activations and BatchNorm do.
   * `trainStep` and `fit` check the labels against the model's outputSize (C) before the first forward,
   * so a layer that changes the width must override it.
   */
  outputSize?(inputSize: number): number;
  /**
   * Optional: throws the `InputError` that `forward` would throw for an input of shape x ([N, Din]),
   * changing nothing. `Sequential` and `trainStep` call it for every layer before any layer runs,
   * so a batch that a later layer rejects never reaches (or is cached by) an earlier one.
   */
  checkInput?(x: Shaped): void;
  /** Optional: true when `forward` rejects NaN/±∞ in its input (BatchNorm1d in training, which would store it). */
  requiresFiniteInput?(): boolean;
  /**
   * Optional, for a layer that keeps state between calls: `Sequential` calls `beginForward()` right before the
   * layer's forward and `endForward(accepted)` once the whole model has run. When a LATER layer rejected the batch
   * (say a value overflowed to ±∞ on the way), `accepted` is false and the layer puts back what its forward
   * replaced, so the backward of the previous batch still works; when true, it may commit what waited for the
   * whole model (BatchNorm1d averages the batch into its running statistics only then). Either way it then
   * forgets what it remembered. `Module` implements both for a cache kept in `this.cache` and its `workspace`.
   */
  beginForward?(): void;
  endForward?(accepted: boolean): void;
}

/**
 * Accumulates the gradients of `layer`'s parameters for dOut without needing dX: the layer's own
 * `backwardParameters` when it has one (a `Linear` then skips dX = dOut·Wᵀ), else `backward`.
 */
export function backwardParameters(layer: Layer, dOut: Matrix): void {
  if (layer.backwardParameters) layer.backwardParameters(dOut);
  else layer.backward(dOut);
}

/** Shared mode switching; subclasses implement the maths. */
export abstract class Module implements Layer {
  /** A readable name for summaries and error messages, e.g. "Linear(2→100)". */
  abstract readonly name: string;
  /** True in training mode (the default), false after `eval()`. */
  training = true;
  /** This layer's kept buffers: its results under `{ reuse: true }`, a kernel's cache and scratch. */
  protected readonly workspace = new Workspace();
  /** What `backward` needs from the last forward (each layer narrows the type); unset before the first forward. */
  protected cache: unknown;
  private cacheBeforeForward: unknown; // between beginForward and endForward: the cache to put back (scratch)

  /** x: [N, Din] → out: [N, Dout]; keeps what backward needs. See `PassOptions` for `reuse`. */
  abstract forward(x: Matrix, options?: PassOptions): Matrix;
  /** dOut: [N, Dout] → dX: [N, Din]; adds into the parameters' `grad`. See `PassOptions` for `reuse`. */
  abstract backward(dOut: Matrix, options?: PassOptions): Matrix;

  /**
   * Where a result of shape [rows, cols] goes: a fresh zero matrix, or with `reuse` this layer's
   * buffer for `role` ("out", "dX", …), made once per shape. A reused buffer holds the last call's
   * numbers, so the caller must overwrite every element.
   */
  protected resultMatrix(role: string, rows: number, cols: number, options: PassOptions = {}): Matrix {
    return this.workspace.result(role, rows, cols, options);
  }

  /** The learned parameters; none by default (activations). */
  parameters(): Parameter[] {
    return [];
  }

  /** Training mode: BatchNorm uses batch statistics, Dropout drops. */
  train(): void {
    this.training = true;
  }

  /** Evaluation mode: BatchNorm uses running statistics, Dropout passes through. */
  eval(): void {
    this.training = false;
  }

  /** Zeroes the gradient of every parameter. */
  zeroGrad(): void {
    for (const p of this.parameters()) p.zeroGrad();
  }

  /**
   * The shape checks of `forward` (see `Layer.checkInput`): a non-empty batch by default; layers
   * add their own rules (a width, a batch size) and call it first in `forward`.
   */
  checkInput(x: Shaped): void {
    assertNonEmpty(x, `${this.name}.forward x`);
  }

  /** Output features for `inputSize` input features; shape-keeping by default (override in e.g. `Linear`). */
  outputSize(inputSize: number): number {
    return inputSize;
  }

  /**
   * Remembers the cache a forward is about to replace and swaps to the workspace's spare buffers, so the last
   * batch's stay intact (see `Layer.beginForward`, `Workspace.swapSides`): two references moved, no copy.
   */
  beginForward(): void {
    this.cacheBeforeForward = this.cache;
    this.workspace.swapSides();
  }

  /** When the batch was rejected, puts back the cache and the buffers; then forgets them (see `Layer.endForward`). */
  endForward(accepted: boolean): void {
    if (!accepted) {
      this.cache = this.cacheBeforeForward;
      this.workspace.swapSides();
    }
    this.cacheBeforeForward = undefined;
  }
}
