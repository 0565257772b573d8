/**
 * Population statistics for inference (Ioffe & Szegedy 2015, Algorithm 2, steps 8–11).
 *
 * After training, freeze the parameters, feed training mini-batches B of size m through the
 * network (BatchNorm still normalizing with batch statistics) and average, per feature:
 *   E[x]   ← E_B[μ_B]
 *   Var[x] ← m/(m − 1) · E_B[σ²_B]            σ²_B biased (÷m); m/(m − 1) makes it unbiased
 * Inference then uses y = γ·(x − E[x])/√(Var[x] + ε) + β. This replaces the moving averages of
 * `BatchNorm1d` (which are cheaper but weight recent batches more) by a plain average.
 */
import { assertFinite, assertMatrix, assertNonEmpty, describeValue, InputError } from "../core/checks";
import { Matrix } from "../core/matrix";
import type { Layer } from "../layers/layer";
import { Sequential } from "../layers/sequential";
import { batchNormForward } from "./batchnorm-functional";
import { BatchNorm1d } from "./batchnorm1d";

/** The result of `populationStatistics`: E[x], Var[x] ([1, D]) and how many batches were averaged. */
export interface PopulationStatistics {
  mean: Matrix;
  variance: Matrix;
  batchCount: number;
}

/**
 * Algorithm 2's averages over batches of the BatchNorm input, each [m, D] with m ≥ 2:
 *   mean = (1/B) Σ_B μ_B,   variance = (1/B) Σ_B m_B/(m_B − 1)·σ²_B
 * With equal batch sizes m the variance is exactly m/(m − 1)·E_B[σ²_B].
 */
export function populationStatistics(batchInputs: Iterable<Matrix>): PopulationStatistics {
  assertIterable(batchInputs, "populationStatistics batchInputs");
  const accumulator = new BatchAverager("populationStatistics");
  for (const batch of batchInputs) accumulator.add(batch);
  return accumulator.result();
}

/**
 * Sets `batchNorm`'s running statistics to the population statistics of `batchInputs`
 * (batches of that layer's input, [m, numFeatures]); numBatchesTracked becomes the batch count.
 */
export function calibrateBatchNorm(batchNorm: BatchNorm1d, batchInputs: Iterable<Matrix>): PopulationStatistics {
  if (!(batchNorm instanceof BatchNorm1d))
    throw new InputError(`calibrateBatchNorm batchNorm: expected a BatchNorm1d, got ${describeValue(batchNorm)}.`);
  const statistics = populationStatistics(batchInputs);
  setRunningStats(batchNorm, statistics, "calibrateBatchNorm");
  return statistics;
}

/**
 * Algorithm 2 for every `BatchNorm1d` of a model (a `Sequential`, or an array of layers), in one
 * pass over batches of model inputs x: [m, Din]. Every BatchNorm normalizes with batch statistics
 * (the training network) and records its input; other layers run in eval mode (no dropout). Modes
 * are restored afterwards. Returns the calibrated BatchNorm layers, in order.
 */
export function calibrateBatchNormLayers(
  model: { readonly layers: readonly Layer[] } | readonly Layer[],
  xBatches: Iterable<Matrix>,
): BatchNorm1d[] {
  if (!isLayerList(model) && !(typeof model === "object" && model !== null && Array.isArray(model.layers))) {
    throw new InputError(
      `calibrateBatchNormLayers model: expected a Sequential or an array of layers, got ${describeValue(model)}.`,
    );
  }
  assertIterable(xBatches, "calibrateBatchNormLayers xBatches");
  const layers = flattenLayers(isLayerList(model) ? model : model.layers);
  const batchNorms = layers.filter((layer): layer is BatchNorm1d => layer instanceof BatchNorm1d);
  if (batchNorms.length === 0)
    throw new InputError("calibrateBatchNormLayers: the model has no BatchNorm1d layer to calibrate.");
  const averagers = batchNorms.map((layer) => new BatchAverager(`calibrateBatchNormLayers ${layer.name}`));
  const wasTraining = layers.map((layer) => layer.training);
  layers.forEach((layer) => layer.eval());
  try {
    for (const x of xBatches) {
      let h = x;
      for (const layer of layers) {
        if (!(layer instanceof BatchNorm1d)) h = layer.forward(h);
        else h = normalizeAndRecord(layer, h, averagers[batchNorms.indexOf(layer)]);
      }
    }
    batchNorms.forEach((layer, k) => setRunningStats(layer, averagers[k].result(), "calibrateBatchNormLayers"));
  } finally {
    layers.forEach((layer, k) => (wasTraining[k] ? layer.train() : layer.eval()));
  }
  return batchNorms;
}

function normalizeAndRecord(layer: BatchNorm1d, h: Matrix, averager: BatchAverager): Matrix {
  averager.add(h);
  const unbiased = layer.trainingVariance === "unbiased";
  // the training network's output
  return batchNormForward(h, layer.gamma.value, layer.beta.value, layer.eps, { unbiased }).out;
}

function setRunningStats(
  batchNorm: BatchNorm1d,
  { mean, variance, batchCount }: PopulationStatistics,
  where: string,
): void {
  if (!batchNorm.trackRunningStats) {
    throw new InputError(
      `${where}: ${batchNorm.name} has trackRunningStats false, so eval ` +
        `ignores running statistics; make it with trackRunningStats: true.`,
    );
  }
  if (mean.cols !== batchNorm.numFeatures) {
    throw new InputError(
      `${where}: ${batchNorm.name} has ${batchNorm.numFeatures} features, the batches have ${mean.cols}.`,
    );
  }
  batchNorm.runningMean.data.set(mean.data);
  batchNorm.runningVar.data.set(variance.data);
  batchNorm.numBatchesTracked = batchCount;
}

/** Running sums of μ_B and of the unbiased m_B/(m_B − 1)·σ²_B over the batches seen. */
class BatchAverager {
  private sumMean: Matrix | null = null;
  private sumVariance: Matrix | null = null;
  private count = 0;

  constructor(private readonly where: string) {}

  add(batch: Matrix): void {
    assertMatrix(batch, `${this.where} batch ${this.count}`);
    assertNonEmpty(batch, `${this.where} batch ${this.count}`);
    assertFinite(batch.data, batch.cols, `${this.where} batch ${this.count}`); // NaN/±∞ would poison the averages
    if (batch.rows < 2) {
      throw new InputError(
        `${this.where}: batch ${this.count} has ${batch.rows} row; each batch needs m ≥ 2 examples for m/(m − 1)·σ²_B.`,
      );
    }
    if (this.sumMean !== null && batch.cols !== this.sumMean.cols) {
      throw new InputError(
        `${this.where}: batch ${this.count} has ${batch.cols} features, the first batch had ${this.sumMean.cols}.`,
      );
    }
    const m = batch.rows;
    const mean = batch.meanRows(); // μ_B
    const unbiasedVariance = batch
      .map((v, _i, j) => (v - mean.data[j]) ** 2)
      .sumRows()
      .scale(1 / (m - 1)); // m/(m − 1)·σ²_B
    this.sumMean = this.sumMean === null ? mean : this.sumMean.add(mean);
    this.sumVariance = this.sumVariance === null ? unbiasedVariance : this.sumVariance.add(unbiasedVariance);
    this.count += 1;
  }

  result(): PopulationStatistics {
    if (this.sumMean === null || this.sumVariance === null) {
      throw new InputError(
        `${this.where}: got no batches; pass at least one batch (e.g. an array of [m, D] matrices).`,
      );
    }
    return {
      mean: this.sumMean.scale(1 / this.count),
      variance: this.sumVariance.scale(1 / this.count),
      batchCount: this.count,
    };
  }
}

function isLayerList(model: { readonly layers: readonly Layer[] } | readonly Layer[]): model is readonly Layer[] {
  return Array.isArray(model);
}

/** Nested `Sequential`s are opened up into their layers. */
function flattenLayers(layers: readonly Layer[]): Layer[] {
  return layers.flatMap((layer) => (layer instanceof Sequential ? flattenLayers(layer.layers) : [layer]));
}

/** Throws unless `value` can be iterated (an array of batches, a generator). */
function assertIterable(value: unknown, where: string): void {
  if (
    typeof value !== "object" ||
    value === null ||
    typeof (value as Iterable<unknown>)[Symbol.iterator] !== "function"
  ) {
    throw new InputError(
      `${where}: expected an array (or other iterable) of [m, D] Matrix batches, got ${describeValue(value)}.`,
    );
  }
}
