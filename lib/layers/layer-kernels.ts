/**
 * The slot of the layers' passes around the multiply, as `kernels.gemm` is the slot of the multiply
 * itself: one call per pass, on whole arrays, so a faster implementation can take each one's place.
 *
 *   sigmoidForward(x, out)             out = σ(x) = 1 / (1 + e⁻ˣ)          x, out: N·D numbers
 *   sigmoidBackward(dOut, out, dX)     dX = dOut ⊙ σ(x)(1 − σ(x)), with out = σ(x)
 *   addRow(out, row)                   out[i][j] += row[j]                 out: [N, D], row: [1, D]   (bias add)
 *   addColumnSums(sums, m)             sums[j] += Σᵢ m[i][j]               sums: [1, D], m: [N, D]    (dB)
 *   softmaxCrossEntropyRows(z, labels, p, dZ) → L     (formulas in losses.ts)   z, p, dZ: [N, C], labels: [N]
 *
 * Until something else is registered they are the readable loops below. `useFastKernels()` (lib/fast,
 * run when the library is imported) puts WebAssembly versions in their place where they measured
 * faster; `useReferenceKernels()` puts these back. The layers (Sigmoid, Linear, softmaxCrossEntropy)
 * check their inputs once and then make one call per pass; they never ask which version runs.
 */
import type { Matrix } from "../core/matrix";
import { exp, log } from "../core/math";

/** out[k] = σ(x[k]) for every k (x and out of the same length). */
export function sigmoidForward(x: Float64Array, out: Float64Array): void {
  for (let k = 0; k < x.length; k++) out[k] = sigmoid(x[k]); // σ(x)
}

/** σ(x) for one number, without overflow: e^(−|x|) ∈ (0, 1]. */
export function sigmoid(x: number): number {
  if (x >= 0) return 1 / (1 + exp(-x));
  const e = exp(x); // in (0, 1): no overflow
  return e / (1 + e);
}

/** dX[k] = dOut[k] · σ′(x[k]) = dOut[k] · out[k](1 − out[k]), with out = σ(x) saved by forward: no second exp. */
export function sigmoidBackward(dOut: Float64Array, out: Float64Array, dX: Float64Array): void {
  for (let k = 0; k < out.length; k++) dX[k] = dOut[k] * (out[k] * (1 - out[k])); // dOut · σ(1 − σ)
}

/** out[i][j] += row[j] for every row i (out: [N, D], row: [1, D]): the bias, broadcast over the batch. */
export function addRow(out: Matrix, row: Matrix): void {
  const D = out.cols;
  for (let i = 0, at = 0; i < out.rows; i++) for (let j = 0; j < D; j++, at++) out.data[at] += row.data[j];
}

/** sums[j] += Σᵢ m[i][j] (sums: [1, D], m: [N, D]); each column summed first, in row order like `Matrix.sumRows`. */
export function addColumnSums(sums: Matrix, m: Matrix): void {
  const D = m.cols;
  for (let j = 0; j < D; j++) {
    let sum = 0;
    for (let i = 0; i < m.rows; i++) sum += m.data[i * D + j];
    sums.data[j] += sum;
  }
}

/**
 * Softmax cross-entropy's arithmetic on checked inputs (see `softmaxCrossEntropy` in losses.ts):
 * fills p = softmax(z) and dZ = (p − onehot(y)) / N, row by row, and returns L = (1/N) Σᵢ −log pᵢ,yᵢ
 * = (1/N) Σᵢ (mᵢ + log Σₖ e^(zᵢₖ − mᵢ) − zᵢ,yᵢ), mᵢ = maxₖ zᵢₖ. z, p, dZ: [N, C]; labels: N integers in [0, C).
 */
export function softmaxCrossEntropyRows(z: Matrix, labels: ArrayLike<number>, p: Matrix, dZ: Matrix): number {
  const { rows: N, cols: C } = z;
  let total = 0;
  for (let i = 0; i < N; i++) {
    const row = i * C; // row i starts at i·C
    const m = rowMax(z.data, row, C); // mᵢ
    let sumExp = 0;
    for (let j = 0; j < C; j++) {
      p.data[row + j] = exp(z.data[row + j] - m); // e^(zᵢⱼ − mᵢ), kept to normalize below
      sumExp += p.data[row + j]; // Σₖ e^(zᵢₖ − mᵢ) ≥ 1
    }
    const y = labels[i];
    total += m + log(sumExp) - z.data[row + y]; // −log pᵢ,yᵢ
    for (let j = 0; j < C; j++) {
      p.data[row + j] /= sumExp; // pᵢⱼ
      dZ.data[row + j] = (p.data[row + j] - (j === y ? 1 : 0)) / N; // (p − onehot) / N
    }
  }
  return total / N;
}

/** max of values[start], …, values[start + count − 1]. */
function rowMax(values: Float64Array, start: number, count: number): number {
  let m = -Infinity;
  for (let j = start; j < start + count; j++) if (values[j] > m) m = values[j];
  return m;
}

/** The passes `layerKernels` holds; see the file comment. */
export interface LayerKernels {
  sigmoidForward: (x: Float64Array, out: Float64Array) => void;
  sigmoidBackward: (dOut: Float64Array, out: Float64Array, dX: Float64Array) => void;
  addRow: (out: Matrix, row: Matrix) => void;
  addColumnSums: (sums: Matrix, m: Matrix) => void;
  softmaxCrossEntropyRows: (z: Matrix, labels: ArrayLike<number>, p: Matrix, dZ: Matrix) => number;
}

/** The readable passes, to restore them (`useReferenceKernels`) or compare with a faster set. */
export const readableLayerKernels: Readonly<LayerKernels> = Object.freeze({
  sigmoidForward,
  sigmoidBackward,
  addRow,
  addColumnSums,
  softmaxCrossEntropyRows,
});

/** The slot: the passes the layers call (the readable ones until lib/fast registers others). */
export const layerKernels: LayerKernels = { ...readableLayerKernels };
