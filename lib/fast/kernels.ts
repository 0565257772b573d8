/**
 * Choosing the kernels behind the library's slots: `kernels.gemm` (lib/core/gemm.ts), behind
 * every `Matrix.matmul*`; `batchNormKernels` (lib/normalization/batchnorm-kernels.ts), behind
 * `BatchNorm1d`'s training forward and backward; and the passes around the multiply,
 * `layerKernels` (lib/layers/layer-kernels.ts: sigmoid, bias add and sums, softmax cross-entropy),
 * `sgdKernels` (lib/optim/sgd-kernels.ts) and `arrayKernels` (lib/core/array-kernels.ts: grad += dW).
 *
 *   useFastKernels()                 WebAssembly SIMD multiply if it was built and loads, else packed
 *                                    TypeScript; the fused BatchNorm passes of batchnorm-fused.ts;
 *                                    the module's sigmoid forward / backward and softmax cross-entropy
 *                                    (elementwise-wasm.ts) with the wasm multiply
 *   useFastKernels({ wasm: false })  the packed TypeScript multiply; the fused BatchNorm passes
 *   useReferenceKernels()            the readable versions: the three-loop `gemmReference`,
 *                                    `batchNormForward` / `batchNormBackward` and the readable passes
 *                                    of layer-kernels.ts, sgd-kernels.ts and array-kernels.ts
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
import { arrayKernels, addInto } from "../core/array-kernels";
import { layerKernels, readableLayerKernels } from "../layers/layer-kernels";
import { readableSGDKernels, sgdKernels } from "../optim/sgd-kernels";
import { wasmLayerKernels } from "./elementwise-wasm";
import { gemmPacked } from "./gemm-packed";
import { loadWasmInstance, makeWasmGemm, type WasmInstance } from "./gemm-wasm";

/** Options of `useFastKernels`. */
export interface FastKernelOptions {
  /** Try the WebAssembly multiply first (default true); false selects the packed TS one. */
  wasm?: boolean;
}

// undefined: not tried yet; null: unavailable
let wasm: { instance: WasmInstance; gemm: GemmKernel; layers: ReturnType<typeof wasmLayerKernels> } | null | undefined;

/**
 * The wasm module's kernels, loaded once on first use; `null` if `dist/wasm/gemm.wasm` is missing or does not compile.
 */
function wasmKernels(): typeof wasm {
  if (wasm === undefined) {
    const instance = loadWasmInstance();
    wasm = instance && { instance, gemm: makeWasmGemm(instance), layers: wasmLayerKernels(instance) };
  }
  return wasm;
}

/** The wasm multiply, loaded once on first use; `null` if `dist/wasm/gemm.wasm` is missing or does not compile. */
export function wasmGemmKernel(): GemmKernel | null {
  return wasmKernels()?.gemm ?? null;
}

/**
 * Selects the fastest available kernels and returns their name. Falls back silently from
 * WebAssembly to packed TypeScript; check `kernels.name` to see which is active.
 */
export function useFastKernels(options: FastKernelOptions = {}): string {
  assertOptions(options, "useFastKernels options", "{ wasm: false }");
  const { wasm: tryWasm = true } = options;
  const fast = tryWasm ? wasmKernels() : null;
  kernels.gemm = fast?.gemm ?? gemmPacked;
  kernels.name = fast ? "wasm-simd" : "packed-ts";
  batchNormKernels.forward = batchNormForwardFused;
  batchNormKernels.backward = batchNormBackwardFused;
  Object.assign(layerKernels, readableLayerKernels, fast?.layers ?? {});
  return kernels.name;
}

/** Selects the readable kernels (slower): `gemmReference` and `batchNormForward` / `batchNormBackward`. */
export function useReferenceKernels(): void {
  kernels.gemm = gemmReference;
  kernels.name = "reference";
  batchNormKernels.forward = batchNormForward;
  batchNormKernels.backward = batchNormBackward;
  Object.assign(layerKernels, readableLayerKernels);
  Object.assign(sgdKernels, readableSGDKernels);
  arrayKernels.addInto = addInto;
}
