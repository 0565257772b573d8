/**
 * Preparing a `Dataset`: checks, subsets, shuffles, a train/validation split, and
 * standardization fitted on the training set only (so no validation or test
 * statistics leak into training).
 */
import {
  assertFinite,
  assertIndices,
  assertLabels,
  assertNonEmpty,
  assertNonNegative,
  assertPositiveInteger,
  assertRng,
  describeValue,
  InputError,
  isNumberList,
} from "../core/checks";
import { Matrix } from "../core/matrix";
import type { Rng } from "../core/random";
import type { Dataset } from "./dataset";

/** Throws unless `x` has one row per label in `y` and every label is a whole number ≥ 0. */
export function assertDataset(dataset: Dataset, where: string): void {
  if (typeof dataset !== "object" || dataset === null) {
    throw new InputError(
      `${where}: expected a Dataset { x: Matrix [N, D], y: Int32Array [N] }, got ${describeValue(dataset)}.`,
    );
  }
  const { x, y } = dataset;
  if (!(x instanceof Matrix) || !(y instanceof Int32Array)) {
    const got = `x is ${describeValue(x)}, y is ${describeValue(y)}`;
    throw new InputError(
      `${where}: a Dataset is { x: Matrix [N, D], y: Int32Array [N] }, but ` +
        `${got}; build x with Matrix.from(rows) and y with Int32Array.from(labels).`,
    );
  }
  if (x.rows !== y.length) {
    throw new InputError(`${where}: x has ${x.rows} rows but y has ${y.length} labels; they must match one to one.`);
  }
  const bad = y.findIndex((label) => label < 0);
  if (bad >= 0) throw new InputError(`${where}: label y[${bad}] = ${y[bad]}; class labels must be 0, 1, …, C−1.`);
}

/** The examples at `indices`, in that order (a copy): x: [indices.length, D]. */
export function subsetDataset(dataset: Dataset, indices: ArrayLike<number>): Dataset {
  const where = "subsetDataset";
  assertDataset(dataset, where);
  assertIndices(indices, dataset.y.length, `${where} indices`);
  const y = new Int32Array(indices.length);
  for (let r = 0; r < indices.length; r++) y[r] = dataset.y[indices[r]];
  return { x: dataset.x.selectRows(indices), y };
}

/** The examples in a random order drawn from `rng` (a copy; the input is unchanged). */
export function shuffleDataset(dataset: Dataset, rng: Rng): Dataset {
  assertDataset(dataset, "shuffleDataset dataset");
  assertRng(rng, "shuffleDataset rng");
  return subsetDataset(dataset, rng.shuffle([...Array(dataset.y.length).keys()]));
}

/** counts[c] = number of examples with label c, for c = 0 … C−1 (C defaults to max label + 1). */
export function classCounts(y: Int32Array, classes?: number): number[] {
  assertLabels(y, isNumberList(y) ? y.length : 0, Infinity, "classCounts y");
  if (classes !== undefined) assertPositiveInteger(classes, "classes", "classCounts");
  let max = -1;
  for (let i = 0; i < y.length; i++) max = Math.max(max, y[i]);
  const counts = new Array<number>(classes ?? max + 1).fill(0);
  for (let i = 0; i < y.length; i++) {
    if (y[i] >= counts.length)
      throw new InputError(`classCounts: label ${y[i]} at ${i} is ≥ classes = ${counts.length}.`);
    counts[y[i]] += 1;
  }
  return counts;
}

/** Options of `trainValidationSplit`. */
export interface SplitOptions {
  /** Share of the examples held out for validation, in (0, 1) (default 0.2). */
  validationFraction?: number;
  /** Shuffles before splitting (the synthetic sets come sorted by class). */
  rng: Rng;
}

/**
 * Shuffles with `rng`, then holds out round(N · validationFraction) examples for validation.
 * Both parts must be non-empty. Returns `{ train, validation }`, together N examples.
 */
export function trainValidationSplit(
  dataset: Dataset,
  { validationFraction = 0.2, rng }: SplitOptions,
): { train: Dataset; validation: Dataset } {
  const where = "trainValidationSplit";
  assertDataset(dataset, where);
  if (!(validationFraction > 0 && validationFraction < 1)) {
    throw new InputError(
      `${where}: validationFraction must lie strictly between 0 and 1 (e.g. 0.2), got ${validationFraction}.`,
    );
  }
  if (!rng) throw new InputError(`${where}: pass { rng: makeRng(seed) } so the split is reproducible.`);
  assertRng(rng, `${where} options.rng`);
  const n = dataset.y.length;
  const validationCount = Math.round(n * validationFraction);
  if (validationCount < 1 || validationCount > n - 1) {
    throw new InputError(
      `${where}: ${n} examples × validationFraction ${validationFraction} leaves ${validationCount} for ` +
        `validation and ${n - validationCount} for training; both need at least 1. Use more data or another fraction.`,
    );
  }
  const order = rng.shuffle([...Array(n).keys()]);
  return {
    train: subsetDataset(dataset, order.slice(validationCount)),
    validation: subsetDataset(dataset, order.slice(0, validationCount)),
  };
}

/** A standardization fitted on training data. */
export interface Standardizer {
  /** Per-feature training mean, [1, D]. */
  readonly mean: Matrix;
  /** Per-feature training standard deviation (÷N), [1, D]; a constant feature's 0 is replaced by 1. */
  readonly std: Matrix;
  /** (x − mean) / std for every row: [N, D] → [N, D]. */
  apply(inputs: Matrix): Matrix;
  /** The same on a data set's inputs; labels are kept. */
  apply(dataset: Dataset): Dataset;
}

/**
 * Fits a standardization on the TRAINING inputs only and returns it to apply everywhere:
 *   mean_j = (1/N) Σᵢ x_ij,   std_j = sqrt((1/N) Σᵢ (x_ij − mean_j)²),   x̂_ij = (x_ij − mean_j) / std_j.
 * Features that are (numerically) constant on the training set — std_j ≤ minStd·max(1, |mean_j|),
 * minStd = 1e-12 by default, e.g. MNIST's blank border pixels — are divided by 1 instead of 0
 * (scikit-learn's StandardScaler does the same), so they become 0 rather than NaN.
 * `train`: x: [N, D] or a Dataset, all finite (a NaN or ±∞ is rejected, naming its row and column:
 * it would make that feature NaN in everything standardized later). Result: mean, std: [1, D] and `apply`.
 * Example: `const s = standardize(train); const validationStd = s.apply(validation);`
 */
export function standardize(train: Matrix | Dataset, { minStd = 1e-12 }: { minStd?: number } = {}): Standardizer {
  const x = train instanceof Matrix ? train : typeof train === "object" && train !== null ? train.x : train;
  if (!(x instanceof Matrix))
    throw new InputError(`standardize train: expected a Matrix [N, D] or a Dataset, got ${describeValue(train)}.`);
  assertNonEmpty(x, "standardize train");
  assertFinite(x.data, x.cols, "standardize train", "remove or impute it before fitting the standardization");
  assertNonNegative(minStd, "minStd", "standardize");
  const mean = x.meanRows();
  const variance = x.map((v, _i, j) => (v - mean.data[j]) ** 2).meanRows(); // biased, ÷N
  const std = variance.map((v, _i, j) => {
    const s = Math.sqrt(v);
    return s <= minStd * Math.max(1, Math.abs(mean.data[j])) ? 1 : s; // guard: constant feature
  });
  const applyMatrix = (m: Matrix): Matrix => {
    if (!(m instanceof Matrix) || m.cols !== x.cols) {
      throw new InputError(
        `Standardizer.apply: expected inputs with ${x.cols} features (as the ` +
          `training set), got ${m instanceof Matrix ? `${m.cols}` : describeValue(m)}.`,
      );
    }
    return m.map((v, _i, j) => (v - mean.data[j]) / std.data[j]);
  };
  function apply(inputs: Matrix): Matrix;
  function apply(dataset: Dataset): Dataset;
  function apply(input: Matrix | Dataset): Matrix | Dataset {
    if (input instanceof Matrix) return applyMatrix(input);
    assertDataset(input, "Standardizer.apply dataset");
    return { x: applyMatrix(input.x), y: input.y };
  }
  return { mean, std, apply };
}
