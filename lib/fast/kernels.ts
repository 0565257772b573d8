/**
 * Choosing the matrix-multiply kernel behind every `Matrix.matmul*`.
 *
 *   useFastKernels()                 WebAssembly SIMD if it was built and loads, else packed TypeScript
 *   useFastKernels({ wasm: false })  packed TypeScript
 *   useReferenceKernels()            (lib/core/gemm.ts) the plain three loops, to read or to compare
 *
 * `kernels.name` says which one is active: "wasm-simd", "packed-ts" or "reference".
 * Importing the library (`lib/index.ts`) selects the fast kernels; every fast kernel is tested
 * against `gemmReference` to ≈1e-12 relative.
 */
import { kernels, type GemmKernel } from "../core/gemm";
import { gemmPacked } from "./gemm-packed";
import { loadWasmGemm } from "./gemm-wasm";

/** Options of `useFastKernels`. */
export interface FastKernelOptions {
  /** Try the WebAssembly kernel first (default true); false selects the packed TS kernel. */
  wasm?: boolean;
}

let wasmGemm: GemmKernel | null | undefined; // undefined: not tried yet; null: unavailable

/** The wasm kernel, loaded once on first use; `null` if `dist/wasm/gemm.wasm` is missing or does not compile. */
export function wasmGemmKernel(): GemmKernel | null {
  if (wasmGemm === undefined) wasmGemm = loadWasmGemm();
  return wasmGemm;
}

/**
 * Selects the fastest available kernel and returns its name. Falls back silently from
 * WebAssembly to packed TypeScript; check `kernels.name` to see which is active.
 */
export function useFastKernels({ wasm = true }: FastKernelOptions = {}): string {
  const wasmKernel = wasm ? wasmGemmKernel() : null;
  kernels.gemm = wasmKernel ?? gemmPacked;
  kernels.name = wasmKernel ? "wasm-simd" : "packed-ts";
  return kernels.name;
}
