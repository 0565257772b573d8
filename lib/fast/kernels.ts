/**
 * Choosing the kernels behind the library's two slots: `kernels.gemm` (lib/core/gemm.ts), behind
 * every `Matrix.matmul*`, and `batchNormKernels` (lib/normalization/batchnorm-kernels.ts), behind
 * `BatchNorm1d`'s training forward and backward.
 *
 *   useFastKernels()                 WebAssembly SIMD multiply if it was built and loads, else packed
 *                                    TypeScript; the fused BatchNorm passes of batchnorm-fused.ts
 *   useFastKernels({ wasm: false })  the packed TypeScript multiply; the fused BatchNorm passes
 *   useReferenceKernels()            the readable versions: the three-loop `gemmReference` and
 *                                    `batchNormForward` / `batchNormBackward`, to read or to compare
 *
 * `kernels.name` says which set is active: "wasm-simd", "packed-ts" or "reference". Importing the
 * library (`lib/index.ts`) selects the fast kernels. Every fast kernel is tested against the
 * readable one: the multiplies to ≈1e-12 relative, the BatchNorm passes to 1e-12 and bit for bit in the layer.
 */
import { assertOptions } from "../core/checks";
import { gemmReference, kernels, type GemmKernel } from "../core/gemm";
import { batchNormBackward, batchNormForward } from "../normalization/batchnorm-functional";
import { batchNormKernels } from "../normalization/batchnorm-kernels";
import { batchNormBackwardFused, batchNormForwardFused } from "./batchnorm-fused";
import { gemmPacked } from "./gemm-packed";
import { loadWasmGemm } from "./gemm-wasm";

/** Options of `useFastKernels`. */
export interface FastKernelOptions {
  /** Try the WebAssembly multiply first (default true); false selects the packed TS one. */
  wasm?: boolean;
}

let wasmGemm: GemmKernel | null | undefined; // undefined: not tried yet; null: unavailable

/** The wasm kernel, loaded once on first use; `null` if `dist/wasm/gemm.wasm` is missing or does not compile. */
export function wasmGemmKernel(): GemmKernel | null {
  if (wasmGemm === undefined) wasmGemm = loadWasmGemm();
  return wasmGemm;
}

/**
 * Selects the fastest available kernels and returns their name. Falls back silently from
 * WebAssembly to packed TypeScript; check `kernels.name` to see which is active.
 */
export function useFastKernels(options: FastKernelOptions = {}): string {
  assertOptions(options, "useFastKernels options", "{ wasm: false }");
  const { wasm = true } = options;
  const wasmKernel = wasm ? wasmGemmKernel() : null;
  kernels.gemm = wasmKernel ?? gemmPacked;
  kernels.name = wasmKernel ? "wasm-simd" : "packed-ts";
  batchNormKernels.forward = batchNormForwardFused;
  batchNormKernels.backward = batchNormBackwardFused;
  return kernels.name;
}

/** Selects the readable kernels (slower): `gemmReference` and `batchNormForward` / `batchNormBackward`. */
export function useReferenceKernels(): void {
  kernels.gemm = gemmReference;
  kernels.name = "reference";
  batchNormKernels.forward = batchNormForward;
  batchNormKernels.backward = batchNormBackward;
}
