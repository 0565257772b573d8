/**
 * Small seeded 2-D toy data sets for classification: spiral, moons, circles, blobs.
 *
 * Every generator takes an `rng` (from `makeRng(seed)`), so the same seed gives
 * bit-identical data. Classes are exactly balanced (`pointsPerClass` each) and the
 * rows come class after class (all of class 0, then class 1, …), as in cs231n;
 * `trainValidationSplit` and `batches` shuffle them.
 */
import { assertNonNegative, assertPositiveInteger, assertRng, InputError } from "../core/checks";
import { Matrix } from "../core/matrix";
import { cosSinTurns } from "../core/math";
import type { Rng } from "../core/random";
import type { Dataset } from "./dataset";

/** Options of `makeSpiral`. */
export interface SpiralOptions {
  /** Points in each arm (default 100). */
  pointsPerClass?: number;
  /** Number of arms = classes C (default 3). */
  classes?: number;
  /** Standard deviation of the Gaussian noise added to the angle, in radians (default 0.2). */
  noise?: number;
  rng: Rng;
}

/**
 * cs231n's spiral: C arms winding out from the origin, not linearly separable.
 * For arm j and point i of n: r = i/(n−1), θ = 4j + 4·i/(n−1) + noise·z, z ~ N(0, 1);
 * x = [r·sin θ, r·cos θ], y = j.
 * Returns x: [n·C, 2], y: [n·C].
 */
export function makeSpiral({ pointsPerClass = 100, classes = 3, noise = 0.2, rng }: SpiralOptions): Dataset {
  const where = "makeSpiral";
  checkCommon(where, pointsPerClass, noise, rng);
  assertPositiveInteger(classes, "classes", where);
  const n = pointsPerClass;
  return build(n, classes, (j, i) => {
    const t = i / Math.max(n - 1, 1); // np.linspace(0, 1, n)
    const r = t;
    const theta = 4 * j + 4 * t + noise * rng.normal(); // np.linspace(4j, 4(j+1), n) + noise
    const [cos, sin] = cosSinTurns(theta / (2 * Math.PI)); // cos θ, sin θ: the same bits in every engine (core/math)
    return [r * sin, r * cos];
  });
}

/** Options of `makeMoons` and `makeCircles`. */
export interface TwoClassOptions {
  /** Points in each of the two classes (default 100). */
  pointsPerClass?: number;
  /** Standard deviation of the Gaussian noise added to each coordinate (default 0.1 moons, 0.05 circles). */
  noise?: number;
  rng: Rng;
}

/**
 * Two interleaving half circles (scikit-learn's `make_moons`).
 * For i of n, s = π·i/(n−1): class 0 is [cos s, sin s], class 1 is [1 − cos s, 0.5 − sin s];
 * then noise·z is added to every coordinate. Returns x: [2n, 2], y: [2n].
 */
export function makeMoons({ pointsPerClass = 100, noise = 0.1, rng }: TwoClassOptions): Dataset {
  checkCommon("makeMoons", pointsPerClass, noise, rng);
  const n = pointsPerClass;
  return build(n, 2, (j, i) => {
    const [cos, sin] = cosSinTurns((0.5 * i) / Math.max(n - 1, 1)); // of s = np.linspace(0, π, n): ½ turn at most
    const point = j === 0 ? [cos, sin] : [1 - cos, 0.5 - sin];
    return point.map((v) => v + noise * rng.normal());
  });
}

/** Options of `makeCircles`. */
export interface CirclesOptions extends TwoClassOptions {
  /** Radius of the inner circle relative to the outer one, in (0, 1) (default 0.5). */
  factor?: number;
}

/**
 * Two concentric circles (scikit-learn's `make_circles`): not linearly separable.
 * For i of n, s = 2π·i/n: class 0 is [cos s, sin s] (radius 1), class 1 is
 * factor·[cos s, sin s]; then noise·z is added to every coordinate. Returns x: [2n, 2], y: [2n].
 */
export function makeCircles({ pointsPerClass = 100, noise = 0.05, factor = 0.5, rng }: CirclesOptions): Dataset {
  const where = "makeCircles";
  checkCommon(where, pointsPerClass, noise, rng);
  if (!(factor > 0 && factor < 1)) throw new InputError(`${where}: factor must lie in (0, 1), got ${factor}.`);
  const n = pointsPerClass;
  return build(n, 2, (j, i) => {
    const [cos, sin] = cosSinTurns(i / n); // of s = np.linspace(0, 2π, n, endpoint=False): i/n turns
    const radius = j === 0 ? 1 : factor;
    return [radius * cos, radius * sin].map((v) => v + noise * rng.normal());
  });
}

/** Options of `makeBlobs`. */
export interface BlobsOptions {
  /** The class centres as a list of points (each of length D), or a count C of random centres (default 3). */
  centers?: number[][] | number;
  /** Standard deviation of every blob, per coordinate (default 1). */
  std?: number;
  /** Points in each blob (default 100). */
  pointsPerClass?: number;
  /** Dimension D of random centres (default 2; ignored when `centers` lists points). */
  dimensions?: number;
  /** Random centres are drawn uniformly from [low, high]ᴰ (default [−10, 10], as scikit-learn). */
  centerBox?: [number, number];
  rng: Rng;
}

/**
 * Gaussian blobs (scikit-learn's `make_blobs`): class c is x = center_c + std·z, z ~ N(0, I).
 * Returns x: [n·C, D], y: [n·C], and the centres used, `centers: [C, D]`.
 */
export function makeBlobs(options: BlobsOptions): Dataset & { centers: Matrix } {
  const { centers = 3, std = 1, pointsPerClass = 100, dimensions = 2, centerBox = [-10, 10], rng } = options;
  const where = "makeBlobs";
  checkCommon(where, pointsPerClass, std, rng);
  const centerMatrix =
    typeof centers === "number"
      ? randomCenters(centers, dimensions, centerBox, rng, where)
      : listedCenters(centers, where);
  const dataset = build(pointsPerClass, centerMatrix.rows, (j) =>
    Array.from(centerMatrix.rowAt(j).data, (c) => c + std * rng.normal()),
  );
  return { ...dataset, centers: centerMatrix };
}

function randomCenters(
  count: number,
  dimensions: number,
  [low, high]: [number, number],
  rng: Rng,
  where: string,
): Matrix {
  assertPositiveInteger(count, "centers", where);
  assertPositiveInteger(dimensions, "dimensions", where);
  if (!(Number.isFinite(low) && Number.isFinite(high) && low < high)) {
    throw new InputError(`${where}: centerBox must be [low, high] with low < high, got [${low}, ${high}].`);
  }
  const out = new Matrix(count, dimensions);
  for (let k = 0; k < out.size; k++) out.data[k] = rng.uniform(low, high);
  return out;
}

function listedCenters(centers: number[][], where: string): Matrix {
  if (centers.length === 0 || centers[0].length === 0) {
    throw new InputError(
      `${where}: centers must list at least one point with at least one coordinate, e.g. [[0, 0], [3, 3]].`,
    );
  }
  const m = Matrix.from(centers);
  if (!m.data.every(Number.isFinite))
    throw new InputError(`${where}: every centre coordinate must be a finite number.`);
  return m;
}

/** Checks shared by all generators: size, noise scale, and that an rng was passed. */
function checkCommon(where: string, pointsPerClass: number, noise: number, rng: Rng | undefined): void {
  assertPositiveInteger(pointsPerClass, "pointsPerClass", where);
  assertNonNegative(noise, where === "makeBlobs" ? "std" : "noise", where);
  if (!rng)
    throw new InputError(
      `${where}: pass a seeded generator, e.g. { rng: makeRng(1337) }, so the data are reproducible.`,
    );
  assertRng(rng, `${where} options.rng`);
}

/** Fills [n·C, D] class after class: row j·n + i is `point(j, i)`, label j. */
function build(n: number, classes: number, point: (j: number, i: number) => number[]): Dataset {
  const rows: number[][] = [];
  const y = new Int32Array(n * classes);
  for (let j = 0; j < classes; j++) {
    for (let i = 0; i < n; i++) {
      rows.push(point(j, i));
      y[j * n + i] = j;
    }
  }
  return { x: Matrix.from(rows), y };
}
