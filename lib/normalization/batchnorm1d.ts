/**
 * `BatchNorm1d`: batch normalization as a layer, with PyTorch's semantics by default.
 *
 * Training (batch statistics, then the running statistics are updated):
 *   out = γ · (x − μ_B) / √(σ²_B + ε) + β,          σ²_B biased (÷N)
 *   runningMean ← (1 − momentum)·runningMean + momentum·μ_B
 *   runningVar  ← (1 − momentum)·runningVar  + momentum·σ²_B·N/(N − 1)     (unbiased)
 * (momentum null: the plain average of all batches so far, weight 1/numBatchesTracked).
 * Evaluation (`eval()`), with the running statistics:
 *   out = γ · (x − runningMean) / √(runningVar + ε) + β
 * x, out: [N, D]; gamma, beta, runningMean, runningVar: [1, D]. The maths is in
 * `batchnorm-functional.ts`; this class owns the parameters, the buffers and the mode. Training
 * runs through the slot `batchNormKernels` (batchnorm-kernels.ts), where a faster kernel with the
 * same numbers may stand in for `batchNormForward` / `batchNormBackward`.
 */
import {
  assertFinite,
  assertMatrix,
  assertNonEmpty,
  assertOptions,
  assertPositiveInteger,
  assertShape,
  formatShape,
  InputError,
  missingForward,
  type Shaped,
} from "../core/checks";
import { Matrix } from "../core/matrix";
import { Parameter } from "../core/parameter";
import { Module, type PassOptions } from "../layers/layer";
import {
  batchNormInference,
  batchNormInferenceBackward,
  type BatchNormBackwardCache,
  type BatchNormInferenceCache,
} from "./batchnorm-functional";
import { batchNormKernels } from "./batchnorm-kernels";
import { resolveBatchNormOptions, type BatchNormOptions } from "./batchnorm-options";
import {
  runningAverage,
  runningAverageWeight,
  varianceForRunningAverage,
  type RunningStatsConvention,
} from "./running-statistics";

type ForwardCache =
  { kind: "batch"; cache: BatchNormBackwardCache } | { kind: "fixed"; cache: BatchNormInferenceCache };

/**
 * Batch normalization over the batch dimension of x: [N, numFeatures] (PyTorch's `nn.BatchNorm1d`).
 *   new BatchNorm1d(100)                                     PyTorch: momentum 0.1 weights the NEW batch
 *   new BatchNorm1d(100, { momentum: null })                 PyTorch: cumulative average of all batches
 *   new BatchNorm1d(100, { convention: "cs231n" })           cs231n: momentum 0.9 weights the OLD value, biased
 *   variance
 *   new BatchNorm1d(100, { trainingVariance: "unbiased" })   Karpathy's makemore: normalize with ÷(N − 1)
 */
export class BatchNorm1d extends Module {
  /** "BatchNorm1d(D)", used in error messages. */
  readonly name: string;
  /** ε in √(σ² + ε). */
  readonly eps: number;
  /** The running-average momentum as the `convention` reads it (null: cumulative average). */
  readonly momentum: number | null;
  /** Whether γ and β are learned. */
  readonly affine: boolean;
  /** Whether running statistics are kept (and used by `eval()`). */
  readonly trackRunningStats: boolean;
  /** "pytorch" or "cs231n": see `running-statistics.ts`. */
  readonly convention: RunningStatsConvention;
  /** The variance that normalizes a training batch: ÷N ("biased") or ÷(N − 1) ("unbiased"). */
  readonly trainingVariance: "biased" | "unbiased";

  // parameters (learned by gradient descent)
  readonly gamma: Parameter; // γ: [1, D], starts at 1
  readonly beta: Parameter; // β: [1, D], starts at 0

  // buffers (estimated from the data, never by gradient descent; not updated when trackRunningStats is false)
  readonly runningMean: Matrix; // [1, D], starts at 0
  readonly runningVar: Matrix; // [1, D], starts at 1 ("pytorch") or 0 ("cs231n", as its np.zeros)
  numBatchesTracked = 0; // training batches seen (the cumulative average divides by it)

  protected override cache: ForwardCache | null = null;
  // inside Sequential (between beginForward and endForward): the batch mean waiting to be averaged in, or null
  private waitingMean: Matrix | null = null;
  private insideModel = false; // true between beginForward and endForward
  readonly #batchVariance: Matrix; // [1, D], the variance averaged into runningVar (scratch, reused)

  constructor(
    readonly numFeatures: number,
    options: BatchNormOptions = {},
  ) {
    super();
    assertPositiveInteger(numFeatures, "numFeatures", "BatchNorm1d");
    this.name = `BatchNorm1d(${numFeatures})`;
    assertOptions(options, `${this.name} options`, "{ momentum: 0.1, eps: 1e-5 }");
    const { convention, eps, momentum, affine, trackRunningStats, trainingVariance } = resolveBatchNormOptions(
      options,
      this.name,
    );
    this.eps = eps;
    this.momentum = momentum;
    this.affine = affine;
    this.trackRunningStats = trackRunningStats;
    this.convention = convention;
    this.trainingVariance = trainingVariance;
    this.gamma = new Parameter("gamma", Matrix.full(1, numFeatures, 1));
    this.beta = new Parameter("beta", Matrix.zeros(1, numFeatures));
    this.runningMean = Matrix.zeros(1, numFeatures);
    this.runningVar = Matrix.zeros(1, numFeatures);
    this.#batchVariance = Matrix.zeros(1, numFeatures);
    this.resetRunningStats();
  }

  /** inputSize: this layer keeps the width (declared, so `Sequential` can tell it from a layer that does not say). */
  override outputSize(inputSize: number): number {
    return inputSize;
  }

  /**
   * x: [N, D] → out: [N, D]. Training: batch statistics, then the running statistics are updated (inside
   * `Sequential`: once the whole model has accepted the batch, see `endForward`).
   */
  forward(x: Matrix, options?: PassOptions): Matrix {
    assertMatrix(x, `${this.name}.forward x`);
    this.checkInput(x);
    // never let NaN/±∞ into the running statistics
    if (this.training) assertFinite(x.data, x.cols, `${this.name}.forward x`);
    if (!this.training && this.trackRunningStats) {
      const { out, cache } = batchNormInference(
        x,
        this.runningMean,
        this.runningVar,
        this.gamma.value,
        this.beta.value,
        this.eps,
        options?.reuse ? this.workspace : undefined, // reuse: x̂ and out in this layer's buffers
      );
      this.cache = { kind: "fixed", cache };
      return out;
    }
    const unbiased = this.trainingVariance === "unbiased";
    const { out, mean, variance, cache } = batchNormKernels.forward(x, this.gamma.value, this.beta.value, this.eps, {
      unbiased,
      workspace: this.workspace,
      reuse: options?.reuse,
    });
    if (this.training && this.trackRunningStats) {
      this.checkBatchStatistics(mean, variance, cache.varianceDivisor, x.rows); // before anything is stored
      // inside a model: averaged in by endForward(true), once the whole model has accepted the batch
      if (this.insideModel) this.waitingMean = mean;
      else this.updateRunningStats(mean);
    }
    this.cache = { kind: "batch", cache };
    return out;
  }

  /**
   * Inside `Sequential`: from here to `endForward`, a training forward leaves the running statistics alone (see
   * `Layer.beginForward`), so a batch that a later layer rejects never reaches them and nothing needs copying.
   */
  override beginForward(): void {
    super.beginForward();
    this.insideModel = true;
  }

  /** When the whole model accepted the batch, averages its statistics into the running ones; else drops them. */
  override endForward(accepted: boolean): void {
    super.endForward(accepted);
    if (accepted && this.waitingMean !== null) this.updateRunningStats(this.waitingMean);
    this.waitingMean = null;
    this.insideModel = false;
  }

  /**
   * dOut: [N, D] → dX: [N, D]; adds dGamma, dBeta into `gamma.grad`, `beta.grad` (when affine). `options`: as
   * `forward`.
   */
  backward(dOut: Matrix, options?: PassOptions): Matrix {
    assertMatrix(dOut, `${this.name}.backward dOut`);
    if (this.cache === null) missingForward(`${this.name}.backward`);
    const { rows, cols } = this.cache.cache.xHat;
    assertShape(
      dOut,
      [rows, cols],
      `${this.name}.backward dOut`,
      "dOut must have the shape of the last forward output.",
    );
    const { dX, dGamma, dBeta } =
      this.cache.kind === "fixed"
        ? batchNormInferenceBackward(dOut, this.cache.cache)
        : batchNormKernels.backward(dOut, this.cache.cache, { workspace: this.workspace, reuse: options?.reuse });
    if (this.affine) {
      this.gamma.accumulate(dGamma); // gamma.grad += dGamma
      this.beta.accumulate(dBeta); // beta.grad += dBeta
    }
    return dX;
  }

  /** The checks of `forward`: x is [N, numFeatures], with N ≥ 2 when normalizing with batch statistics. */
  override checkInput(x: Shaped): void {
    assertNonEmpty(x, `${this.name}.forward x`);
    assertShape(
      x,
      [null, this.numFeatures],
      `${this.name}.forward x`,
      `x needs one column per feature (numFeatures = ${this.numFeatures}); check the output size of the layer before.`,
    );
    if (this.training || !this.trackRunningStats) this.checkBatchSize(x);
  }

  /**
   * True in training mode: `forward` then rejects NaN/±∞ (with its row and column) before computing or storing
   * anything.
   */
  requiresFiniteInput(): boolean {
    return this.training;
  }

  /** [gamma, beta] when affine, else []. The running statistics are buffers, not parameters. */
  override parameters(): Parameter[] {
    return this.affine ? [this.gamma, this.beta] : [];
  }

  /** Restarts the running statistics: mean 0, variance 1 (0 for "cs231n"), numBatchesTracked 0. */
  resetRunningStats(): void {
    this.runningMean.data.fill(0);
    this.runningVar.data.fill(this.convention === "cs231n" ? 0 : 1);
    this.numBatchesTracked = 0;
  }

  /**
   * Computes the variance the running average takes (into a scratch [1, D]) and throws unless it and the batch
   * mean are finite: an overflow is rejected before any running statistic moves.
   */
  private checkBatchStatistics(mean: Matrix, variance: Matrix, varianceDivisor: number, N: number): void {
    varianceForRunningAverage(this.convention, variance, varianceDivisor, N, this.#batchVariance);
    const fix =
      "finite inputs this large overflow float64 when squared (|x| ≳ " +
      "1e154); standardize them. The running statistics were not updated";
    assertFinite(mean.data, this.numFeatures, `${this.name}.forward: the batch mean`, fix);
    assertFinite(this.#batchVariance.data, this.numFeatures, `${this.name}.forward: the batch variance`, fix);
  }

  /** running ← (1 − w)·running + w·batch for the mean and the variance `checkBatchStatistics` computed. */
  private updateRunningStats(mean: Matrix): void {
    this.numBatchesTracked += 1;
    const weight = runningAverageWeight(this.convention, this.momentum, this.numBatchesTracked);
    runningAverage(this.runningMean, mean, weight, this.runningMean); // in place
    runningAverage(this.runningVar, this.#batchVariance, weight, this.runningVar); // in place
  }

  private checkBatchSize(x: Shaped): void {
    if (x.rows > 1) return;
    const fix = this.trackRunningStats
      ? "use a batch of at least 2 examples, or call eval() to normalize with the running statistics"
      : "use a batch of at least 2 examples (eval() does not help: " +
        "with trackRunningStats false it also uses batch statistics)";
    throw new InputError(
      `${this.name}.forward: expected more than 1 value per ` +
        `feature when training, got input of shape ${formatShape(x)}; ` +
        `one example has variance 0 in every feature, so it cannot be normalized: ${fix}.`,
    );
  }
}
