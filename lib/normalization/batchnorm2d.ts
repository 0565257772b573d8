/**
 * `BatchNorm2d`: batch normalization of image feature maps, with PyTorch's `nn.BatchNorm2d` semantics.
 *
 * A batch of feature maps [N, C, H, W] is stored as a `Matrix` [N, C·H·W]: one row per example, the
 * C channels one after the other, each channel's H·W values row by row (PyTorch's contiguous NCHW
 * order flattened), so element (n, c, h, w) is `x.get(n, c·H·W + h·W + w)`. We keep the library's one
 * 2-D type rather than add a 4-D one: a convolution or `Linear` after it reads the same rows.
 *
 * Statistics are per CHANNEL, over the N·H·W values of that channel in the batch (a channel shares its
 * γ, β at every position, so it is normalized as one feature seen m = N·H·W times):
 *   μ_c  = (1/m) Σ_{n,h,w} x[n,c,h,w],    σ²_c = (1/m) Σ (x − μ_c)²            biased, as PyTorch
 *   out[n,c,h,w] = γ_c · (x[n,c,h,w] − μ_c) / √(σ²_c + ε) + β_c
 *   runningVar_c ← (1 − momentum)·runningVar_c + momentum·σ²_c·m/(m − 1)         unbiased over m = N·H·W
 * That is BatchNorm1d applied to the "channels-last" matrix [N·H·W, C] whose rows are the positions:
 * `toChannelsLast` builds it, the layer runs a BatchNorm1d(C) on it, `fromChannelsLast` undoes it
 * (the reshape CS231n's spatial batch norm uses). gamma, beta, runningMean, runningVar: [1, C].
 */
import {
  assertNonEmpty,
  assertPositiveInteger,
  assertShape,
  formatShape,
  InputError,
  missingForward,
} from "../core/checks";
import { Matrix } from "../core/matrix";
import type { Parameter } from "../core/parameter";
import { Module } from "../layers/layer";
import { BatchNorm1d } from "./batchnorm1d";
import type { BatchNormOptions } from "./batchnorm-options";

/**
 * [N, C·H·W] (channels one after the other) → [N·H·W, C]: row n·H·W + p holds position p of example n,
 * column c its value in channel c. `channels` = C; H·W = cols / C.
 */
export function toChannelsLast(x: Matrix, channels: number): Matrix {
  const spatial = spatialSize(x, channels, "toChannelsLast");
  const out = new Matrix(x.rows * spatial, channels);
  for (let n = 0; n < x.rows; n++) {
    for (let c = 0; c < channels; c++) {
      for (let p = 0; p < spatial; p++)
        out.data[(n * spatial + p) * channels + c] = x.data[n * x.cols + c * spatial + p];
    }
  }
  return out;
}

/** The inverse of `toChannelsLast`: [N·H·W, C] → [N, C·H·W] for a batch of N examples. */
export function fromChannelsLast(y: Matrix, N: number): Matrix {
  assertPositiveInteger(N, "N", "fromChannelsLast");
  if (y.rows % N !== 0) {
    throw new InputError(
      `fromChannelsLast: ${y.rows} rows (positions) do not split into N = ${N} examples; y must be [N·H·W, C].`,
    );
  }
  const [spatial, channels] = [y.rows / N, y.cols];
  const out = new Matrix(N, channels * spatial);
  for (let n = 0; n < N; n++) {
    for (let c = 0; c < channels; c++) {
      for (let p = 0; p < spatial; p++)
        out.data[n * out.cols + c * spatial + p] = y.data[(n * spatial + p) * channels + c];
    }
  }
  return out;
}

/** H·W = x.cols / channels, checked to be a whole number ≥ 1. */
function spatialSize(x: Matrix, channels: number, where: string): number {
  assertPositiveInteger(channels, "channels", where);
  if (x.cols === 0 || x.cols % channels !== 0) {
    throw new InputError(
      `${where}: x has shape ${formatShape(x)}, but its ${x.cols} columns do not split into ${channels} channels; ` +
        `a batch of feature maps is [N, C·H·W] (C = ${channels}).`,
    );
  }
  return x.cols / channels;
}

/** Options of `BatchNorm2d`: those of `BatchNorm1d` (PyTorch's defaults: eps 1e-5, momentum 0.1). */
export type BatchNorm2dOptions = BatchNormOptions;

/**
 * Batch normalization over the N·H·W positions of each channel of x: [N, numFeatures·H·W]
 * (PyTorch's `nn.BatchNorm2d(numFeatures)`); H·W is read from the width of x at every call.
 *   new BatchNorm2d(8)                          8 channels, PyTorch's defaults
 *   new BatchNorm2d(8, { eps: 1e-8 })           the lecture's ε
 * Training needs more than one value per channel (N·H·W ≥ 2): one image of 4×4 pixels is enough.
 */
export class BatchNorm2d extends Module {
  /** "BatchNorm2d(C)", used in error messages. */
  readonly name: string;
  // parameters γ, β: [1, C] (shared with the inner per-channel layer)
  readonly gamma: Parameter;
  readonly beta: Parameter;
  // buffers: [1, C]
  readonly runningMean: Matrix;
  readonly runningVar: Matrix;

  private readonly perChannel: BatchNorm1d; // the same maths on the channels-last matrix [N·H·W, C]
  // [N, C·H·W] of the last forward, to check dOut and reshape dX back
  private lastShape: [number, number] | null = null;
  private shapeBeforeForward: [number, number] | null = null; // lastShape when beginForward was called (scratch)

  constructor(
    readonly numFeatures: number,
    options: BatchNorm2dOptions = {},
  ) {
    super();
    assertPositiveInteger(numFeatures, "numFeatures", "BatchNorm2d");
    this.name = `BatchNorm2d(${numFeatures})`;
    this.perChannel = new BatchNorm1d(numFeatures, options);
    this.gamma = this.perChannel.gamma;
    this.beta = this.perChannel.beta;
    this.runningMean = this.perChannel.runningMean;
    this.runningVar = this.perChannel.runningVar;
  }

  /** ε in √(σ² + ε). */
  get eps(): number {
    return this.perChannel.eps;
  }

  /** Training batches seen (as PyTorch's `num_batches_tracked`). */
  get numBatchesTracked(): number {
    return this.perChannel.numBatchesTracked;
  }

  /** inputSize: this layer keeps the width (declared, so `Sequential` can tell it from a layer that does not say). */
  override outputSize(inputSize: number): number {
    return inputSize;
  }

  /** x: [N, C·H·W] → out: [N, C·H·W]. Training: per-channel batch statistics, running statistics updated. */
  forward(x: Matrix): Matrix {
    assertNonEmpty(x, `${this.name}.forward x`);
    const spatial = spatialSize(x, this.numFeatures, `${this.name}.forward`);
    if (this.training && x.rows * spatial < 2) {
      throw new InputError(
        `${this.name}.forward: expected more than 1 value per ` +
          `channel when training, got input of shape ${formatShape(x)} ` +
          (`(N·H·W = ${x.rows * spatial}); use a batch of at least ` +
            `2 examples, or call eval() to use the running statistics.`),
      );
    }
    this.perChannel.training = this.training;
    const out = fromChannelsLast(this.perChannel.forward(toChannelsLast(x, this.numFeatures)), x.rows);
    this.lastShape = x.shape;
    return out;
  }

  /**
   * Remembers the per-channel BatchNorm1d's cache and running statistics, and the last shape (see
   * `Layer.beginForward`).
   */
  override beginForward(): void {
    this.perChannel.beginForward();
    this.shapeBeforeForward = this.lastShape;
  }

  /** Puts back what `beginForward` remembered when the batch was rejected; then forgets it. */
  override endForward(accepted: boolean): void {
    this.perChannel.endForward(accepted);
    if (!accepted) this.lastShape = this.shapeBeforeForward;
    this.shapeBeforeForward = null;
  }

  /** dOut: [N, C·H·W] → dX: [N, C·H·W]; adds dGamma = Σ dOut·x̂, dBeta = Σ dOut (over N·H·W) into the grads. */
  backward(dOut: Matrix): Matrix {
    if (this.lastShape === null) missingForward(`${this.name}.backward`);
    assertShape(
      dOut,
      this.lastShape,
      `${this.name}.backward dOut`,
      "dOut must have the shape of the last forward output.",
    );
    return fromChannelsLast(this.perChannel.backward(toChannelsLast(dOut, this.numFeatures)), this.lastShape[0]);
  }

  /** [gamma, beta] when affine, else []. */
  override parameters(): Parameter[] {
    return this.perChannel.parameters();
  }

  /** Restarts the running statistics (mean 0, variance 1) and numBatchesTracked. */
  resetRunningStats(): void {
    this.perChannel.resetRunningStats();
  }
}
