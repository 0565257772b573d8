/**
 * Choosing the matrix-multiply kernel behind every `Matrix.matmul*`.
 *
 *   useFastKernels()                WebAssembly SIMD if it was built and loads, else packed TypeScript
 *   useFastKernels({ threads: 2 })  the same wasm multiply, large products split over a worker thread
 *   useReferenceKernels()           (lib/core/gemm.ts) the plain three loops, to read or to compare
 *
 * `kernels.name` says which one is active: "wasm-simd×2", "wasm-simd", "packed-ts" or "reference".
 * Importing the library (`lib/index.ts`) selects the fast kernels on one thread; every fast
 * kernel is tested against `gemmReference` to ≈1e-12 relative, and the two-thread one bit for bit
 * against the one-thread wasm kernel.
 */
import { isMainThread } from "node:worker_threads";
import { kernels, type GemmKernel } from "../core/gemm";
import { InputError } from "../core/checks";
import { gemmPacked } from "./gemm-packed";
import { loadWasmGemm } from "./gemm-wasm";
import { loadTwoThreadGemm, type TwoThreadGemm } from "./gemm-threads";

/** Options of `useFastKernels`. */
export interface FastKernelOptions {
  /** Try the WebAssembly kernel first (default true); false selects the packed TS kernel. */
  wasm?: boolean;
  /**
   * 1 (default) or 2: split products with m·n·k ≥ 10⁶ between this thread and one worker
   * (wasm only; from the main thread only, so worker threads never start workers of their own).
   */
  threads?: number;
}

let wasmGemm: GemmKernel | null | undefined; // undefined: not tried yet; null: unavailable
let twoThreadGemm: TwoThreadGemm | null | undefined;

/** The wasm kernel, loaded once on first use; `null` if `dist/wasm/gemm.wasm` is missing or does not compile. */
export function wasmGemmKernel(): GemmKernel | null {
  if (wasmGemm === undefined) wasmGemm = loadWasmGemm();
  return wasmGemm;
}

/**
 * The two-thread wasm kernel, loaded once on first use (its worker starts at the first large
 * product); `null` without the one-thread wasm kernel, shared memory, or off the main thread.
 */
export function twoThreadGemmKernel(): TwoThreadGemm | null {
  if (twoThreadGemm === undefined) {
    const single = wasmGemmKernel();
    twoThreadGemm = single && isMainThread ? loadTwoThreadGemm(single, { onWorkerFailure: () => dropToOneThread(single) }) : null;
  }
  return twoThreadGemm;
}

/** After a worker failure: if the two-thread kernel is still selected, name the one-thread one. */
function dropToOneThread(single: GemmKernel): void {
  if (twoThreadGemm && kernels.gemm === twoThreadGemm.gemm) {
    kernels.gemm = single;
    kernels.name = "wasm-simd";
  }
}

/**
 * Selects the fastest available kernel and returns its name. Falls back silently from two
 * threads to one, and from WebAssembly to packed TypeScript; check `kernels.name` to see which is active.
 */
export function useFastKernels({ wasm = true, threads = 1 }: FastKernelOptions = {}): string {
  if (threads !== 1 && threads !== 2) {
    throw new InputError(`useFastKernels: threads must be 1 or 2, got ${threads}.`);
  }
  const wasmKernel = wasm ? wasmGemmKernel() : null;
  const parallel = wasmKernel && threads === 2 ? twoThreadGemmKernel() : null;
  const usable = parallel && parallel.failure === null ? parallel : null;
  kernels.gemm = usable ? usable.gemm : wasmKernel ?? gemmPacked;
  kernels.name = usable ? "wasm-simd×2" : wasmKernel ? "wasm-simd" : "packed-ts";
  return kernels.name;
}
