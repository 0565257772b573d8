/**
 * The WebAssembly SIMD (f64x2) matrix multiply, built from `wasm/gemm.ts` (AssemblyScript) by
 * `npm run build` into `dist/wasm/gemm.wasm`, and loaded here synchronously.
 *
 *   C = op(A) · op(B)      (+ C when `accumulate`)      — the same contract as `gemmReference`
 *
 * The module has its own memory, so each call copies a and b in (and c when accumulating),
 * multiplies there, and copies c out: O(mk + kn + mn) copies for O(mnk) multiply-adds.
 * The memory only grows, so after the first call of the largest shape nothing is allocated.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import type { GemmArgs, GemmKernel } from "../core/gemm";
import { copyOperandsIn, copyProductOut, PAGE, wasmApi, type GemmExports } from "./wasm-api";

const BASE = PAGE; // page 0 is left to the module's own data

/** Where the compiled module lives after `npm run build` (dist/lib/fast → dist/wasm). */
export const wasmGemmPath = join(__dirname, "..", "..", "wasm", "gemm.wasm");

/**
 * Loads the wasm multiply from `path` and returns it as a `GemmKernel`, or `null` when the file
 * is missing or this runtime cannot compile it (no WebAssembly SIMD): callers then fall back to TS.
 */
export function loadWasmGemm(path: string = wasmGemmPath): GemmKernel | null {
  try {
    const module = new wasmApi.Module(readFileSync(path));
    const exports = new wasmApi.Instance(module, {}).exports as GemmExports;
    return makeKernel(exports);
  } catch {
    return null;
  }
}

/** Wraps the raw exports: lays out a, b, c and scratch in wasm memory, copies in, calls, copies out. */
function makeKernel(wasm: GemmExports): GemmKernel {
  let heap = new Float64Array(wasm.memory.buffer);
  return ({ m, n, k, a, b, c, transposeA, transposeB, accumulate }: GemmArgs): void => {
    const aAt = BASE, bAt = aAt + 8 * m * k, cAt = bAt + 8 * k * n, scratchAt = cAt + 8 * m * n;
    const end = scratchAt + wasm.scratchBytes(n);
    if (end > wasm.memory.buffer.byteLength) {
      wasm.memory.grow(Math.ceil((end - wasm.memory.buffer.byteLength) / PAGE));
      heap = new Float64Array(wasm.memory.buffer); // growing detaches the old view
    }
    copyOperandsIn(heap, { m, n, k, a, b, c, accumulate }, aAt, bAt, cAt);
    wasm.gemm(m, n, k, aAt, bAt, cAt, +transposeA, +transposeB, +accumulate, scratchAt);
    copyProductOut(heap, c, m * n, cAt);
  };
}

