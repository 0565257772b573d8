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

/** The exports of `wasm/gemm.ts` (pointers are byte offsets into `memory`; booleans are 0 or 1). */
interface GemmExports {
  memory: { buffer: ArrayBuffer; grow(pages: number): number };
  gemm(m: number, n: number, k: number, a: number, b: number, c: number,
    transposeA: number, transposeB: number, accumulate: number, scratch: number): void;
  scratchBytes(n: number): number;
}

/** The little of the WebAssembly JS API used here (tsconfig's lib "es2022" does not declare it). */
interface WebAssemblyApi {
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: object) => { exports: unknown };
}
const { WebAssembly } = globalThis as unknown as { WebAssembly: WebAssemblyApi };

const PAGE = 65536; // bytes in a wasm memory page
const BASE = PAGE; // page 0 is left to the module's own data

/** Where the compiled module lives after `npm run build` (dist/lib/fast → dist/wasm). */
export const wasmGemmPath = join(__dirname, "..", "..", "wasm", "gemm.wasm");

/**
 * Loads the wasm multiply from `path` and returns it as a `GemmKernel`, or `null` when the file
 * is missing or this runtime cannot compile it (no WebAssembly SIMD): callers then fall back to TS.
 */
export function loadWasmGemm(path: string = wasmGemmPath): GemmKernel | null {
  try {
    const module = new WebAssembly.Module(readFileSync(path));
    const exports = new WebAssembly.Instance(module, {}).exports as GemmExports;
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
    const size = m * n;
    heap.set(a.length === m * k ? a : a.subarray(0, m * k), aAt / 8);
    heap.set(b.length === k * n ? b : b.subarray(0, k * n), bAt / 8);
    if (accumulate) heap.set(c.length === size ? c : c.subarray(0, size), cAt / 8);
    wasm.gemm(m, n, k, aAt, bAt, cAt, +transposeA, +transposeB, +accumulate, scratchAt);
    c.set(heap.subarray(cAt / 8, cAt / 8 + size)); // a view, then one memcpy (a JS copy loop was 100× slower here)
  };
}
