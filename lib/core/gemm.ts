/**
 * Matrix multiply, the reference version: three plain loops.
 *
 *   C = op(A) · op(B)      (+ C when `accumulate`)
 *
 * where op(A) is A or Aᵀ. Transposes are never materialized: Aᵀ·B reads A by
 * columns instead. All matrices are row-major `Float64Array`s.
 *
 * The library calls `gemm` through `kernels.gemm`, so a faster implementation
 * (see `lib/fast/`) can be swapped in and checked against this one.
 */

/** The operands of one multiply. `a` is `[m, k]` after op, `b` is `[k, n]` after op, `c` is `[m, n]`. */
export interface GemmArgs {
  m: number;
  n: number;
  k: number;
  a: Float64Array;
  b: Float64Array;
  c: Float64Array;
  transposeA: boolean; // true: a is stored [k, m] and read as aᵀ
  transposeB: boolean; // true: b is stored [n, k] and read as bᵀ
  accumulate: boolean; // true: c += op(a)·op(b); false: c = op(a)·op(b)
}

/** A matrix-multiply implementation. */
export type GemmKernel = (args: GemmArgs) => void;

/** The reference multiply: c[i][j] = Σₚ op(a)[i][p] · op(b)[p][j]. */
export function gemmReference({ m, n, k, a, b, c, transposeA, transposeB, accumulate }: GemmArgs): void {
  if (!accumulate) c.fill(0, 0, m * n);
  for (let i = 0; i < m; i++) {
    for (let p = 0; p < k; p++) {
      const aip = transposeA ? a[p * m + i] : a[i * k + p]; // op(a)[i][p]
      const cRow = i * n;
      if (transposeB) {
        for (let j = 0; j < n; j++) c[cRow + j] += aip * b[j * k + p]; // op(b)[p][j] = b[j][p]
      } else {
        const bRow = p * n;
        for (let j = 0; j < n; j++) c[cRow + j] += aip * b[bRow + j];
      }
    }
  }
}

/**
 * The slot of the matrix multiply, `gemmReference` until something else is registered. Importing
 * the library (`lib/index.ts`) runs `useFastKernels()` from `lib/fast/`, which swaps in a faster
 * `gemm` (`name` "wasm-simd" or "packed-ts"); `useReferenceKernels()` (also there) restores this one.
 */
export const kernels: { gemm: GemmKernel; name: string } = { gemm: gemmReference, name: "reference" };
