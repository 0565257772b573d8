/**
 * `batches`: one epoch of mini-batches from a `Dataset`.
 */
import { InputError, assertOptions, assertPositiveInteger, assertRng } from "../core/checks";
import { Matrix } from "../core/matrix";
import type { Rng } from "../core/random";
import type { Dataset } from "../data/dataset";
import { assertDataset } from "../data/preprocess";

/** One mini-batch: x: [B, D], y: [B], and the rows of the data set it was taken from. */
export interface Batch {
  x: Matrix;
  y: Int32Array;
  /** indices[r] is the row of the data set copied into row r of x. */
  indices: Int32Array;
}

/** Options of `batches`. */
export interface BatchOptions {
  /** B, examples per batch (a whole number ≥ 1). */
  batchSize: number;
  /** Draws the shuffle; required when `shuffle` is true. */
  rng?: Rng;
  /** Visit the examples in a new random order each epoch (default true); false keeps 0, 1, …, N−1. */
  shuffle?: boolean;
  /** Drop the last batch when it has fewer than B examples (default false, as PyTorch's DataLoader). */
  dropLast?: boolean;
  /**
   * Yield the same `Batch` (x, y, indices) every time, refilled with the next batch's rows: no
   * allocation per batch. Only for a loop that is done with a batch before taking the next (`fit`).
   * Default false: every batch is new and may be kept.
   */
  reuse?: boolean;
}

/**
 * Splits one epoch into mini-batches, like iterating PyTorch's `DataLoader` once.
 * Every example appears in exactly one batch (with `dropLast`, the N mod B left over
 * after the last full batch are skipped this epoch). Batches hold copies of the rows.
 *
 *   for (const { x, y } of batches(train, { batchSize: 64, rng })) { … }
 *
 * Number of batches: ⌈N / B⌉, or ⌊N / B⌋ with `dropLast`.
 * Options are checked at once, before the first batch is drawn.
 */
export function batches(dataset: Dataset, options: BatchOptions): Generator<Batch> {
  assertDataset(dataset, "batches dataset");
  assertOptions(options, "batches options", "{ batchSize: 64, rng: makeRng(1337) }");
  const { batchSize, rng, shuffle = true, dropLast = false, reuse = false } = options;
  assertPositiveInteger(batchSize, "batchSize", "batches");
  if (shuffle && !rng) {
    throw new InputError(
      "batches: shuffle needs an rng; pass { rng: makeRng(seed) }, or { shuffle: false } for a fixed order.",
    );
  }
  if (shuffle) assertRng(rng, "batches options.rng");
  const order = [...Array(dataset.y.length).keys()];
  if (shuffle && rng) rng.shuffle(order); // Fisher–Yates, drawn now: the order is fixed when batches() is called
  return generateBatches(dataset, order, batchSize, dropLast, reuse);
}

/** Number of batches in one epoch of N examples: ⌈N / B⌉, or ⌊N / B⌋ with dropLast. */
export function batchCount(examples: number, batchSize: number, dropLast = false): number {
  return dropLast ? Math.floor(examples / batchSize) : Math.ceil(examples / batchSize);
}

function* generateBatches(
  dataset: Dataset,
  order: number[],
  batchSize: number,
  dropLast: boolean,
  reuse: boolean,
): Generator<Batch> {
  const count = batchCount(order.length, batchSize, dropLast);
  let batch: Batch | undefined;
  for (let b = 0; b < count; b++) {
    const size = Math.min(batchSize, order.length - b * batchSize); // B, or what is left for the last batch
    if (!reuse || batch === undefined || batch.indices.length !== size) batch = emptyBatch(size, dataset.x.cols);
    const { x, y, indices } = batch;
    for (let r = 0; r < size; r++) indices[r] = order[b * batchSize + r];
    for (let r = 0; r < size; r++) y[r] = dataset.y[indices[r]];
    dataset.x.selectRows(indices, x); // copies of the rows
    yield batch;
  }
}

function emptyBatch(size: number, features: number): Batch {
  return { x: new Matrix(size, features), y: new Int32Array(size), indices: new Int32Array(size) };
}
