/**
 * Checking a fast GEMM against the reference: the same random product through both.
 *
 *   relative error = max |C_kernel − C_reference| / max |C_reference|
 *
 * Used by the tests of every fast kernel and by the benchmark's sanity check.
 */
import { gemmReference, type GemmArgs, type GemmKernel } from "../core/gemm";
import type { Rng } from "../core/random";

/** One product to check: op(A) is [m, k], op(B) is [k, n]. */
export interface GemmCase {
  m: number;
  n: number;
  k: number;
  transposeA: boolean;
  transposeB: boolean;
  accumulate: boolean;
}

/**
 * Runs `kernel` and `gemmReference` on the same normal-random a, b and starting c, and returns
 * the relative error above. Without `accumulate` the kernel's c starts as NaN, so a kernel
 * that forgets to overwrite c fails.
 */
export function gemmRelativeError(
  kernel: GemmKernel,
  rng: Rng,
  { m, n, k, transposeA, transposeB, accumulate }: GemmCase,
): number {
  const a = rng.normalArray(m * k, 0.5, 2); // stored [k, m] when transposeA, else [m, k]
  const b = rng.normalArray(k * n, -0.3, 1); // stored [n, k] when transposeB, else [k, n]
  const c0 = rng.normalArray(m * n);
  const expected = c0.slice();
  const actual = accumulate ? c0.slice() : new Float64Array(m * n).fill(NaN);
  const args = (c: Float64Array): GemmArgs => ({ m, n, k, a, b, c, transposeA, transposeB, accumulate });
  gemmReference(args(expected));
  kernel(args(actual));
  let maxDiff = 0,
    maxRef = 0;
  for (let i = 0; i < m * n; i++) {
    const diff = Math.abs(actual[i] - expected[i]);
    maxDiff = Number.isNaN(diff) ? Infinity : Math.max(maxDiff, diff);
    maxRef = Math.max(maxRef, Math.abs(expected[i]));
  }
  return maxRef === 0 ? maxDiff : maxDiff / maxRef;
}

/** Every combination of transposeA, transposeB and accumulate, for one shape. */
export function gemmCases(m: number, n: number, k: number): GemmCase[] {
  const cases: GemmCase[] = [];
  for (const transposeA of [false, true]) {
    for (const transposeB of [false, true]) {
      for (const accumulate of [false, true]) cases.push({ m, n, k, transposeA, transposeB, accumulate });
    }
  }
  return cases;
}

/**
 * Shapes [m, n, k] that reach every edge of a tiled kernel: odd sizes hit every edge tile; k = 300 and 513 cross
 * the KC = 256 depth blocks, m = 130 the MC = 64 row blocks.
 */
export const GEMM_EDGE_SHAPES: readonly (readonly [number, number, number])[] = [
  [1, 1, 1],
  [3, 7, 17],
  [17, 3, 7],
  [7, 17, 3],
  [61, 100, 17],
  [100, 61, 7],
  [1, 784, 3],
  [784, 1, 61],
  [60, 100, 784],
  [784, 100, 60],
  [3, 1, 300],
  [130, 5, 513],
];

/** The largest `gemmRelativeError` of `kernel` over every case (`gemmCases`) of every GEMM_EDGE_SHAPES shape. */
export function worstEdgeCaseError(kernel: GemmKernel, rng: Rng): { error: number; gemmCase: GemmCase } {
  let worst = { error: -1, gemmCase: gemmCases(1, 1, 1)[0] };
  for (const [m, n, k] of GEMM_EDGE_SHAPES) {
    for (const gemmCase of gemmCases(m, n, k)) {
      const error = gemmRelativeError(kernel, rng, gemmCase);
      if (!(error <= worst.error)) worst = { error, gemmCase };
    }
  }
  return worst;
}
