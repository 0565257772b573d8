/**
 * The WebAssembly module built from `wasm/gemm.ts` (AssemblyScript, with `wasm/elementwise.ts`) by
 * `npm run build` into `dist/wasm/gemm.wasm`, loaded here synchronously, and its SIMD (f64x2) multiply:
 *
 *   C = op(A) · op(B)      (+ C when `accumulate`)      — the same contract as `gemmReference`
 *
 * The module has its own memory, so each call copies a and b in (and c when accumulating),
 * multiplies there, and copies c out: O(mk + kn + mn) copies for O(mnk) multiply-adds.
 * The memory only grows, so after the first call of the largest shape nothing is allocated.
 * The passes around the multiply (elementwise-wasm.ts) use the same instance and memory.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import type { GemmArgs, GemmKernel } from "../core/gemm";

/**
 * The exports of `wasm/gemm.ts` and `wasm/elementwise.ts` (pointers are byte offsets into `memory`; booleans 0 or 1).
 */
export interface WasmExports {
  memory: { buffer: ArrayBuffer; grow(pages: number): number };
  gemm(
    m: number,
    n: number,
    k: number,
    a: number,
    b: number,
    c: number,
    transposeA: number,
    transposeB: number,
    accumulate: number,
    scratch: number,
  ): void;
  scratchBytes(n: number): number;
  exp(x: number): number;
  expArray(x: number, out: number, count: number): void;
  sigmoidForward(x: number, out: number, count: number): void;
  sigmoidBackward(dOut: number, out: number, dX: number, count: number): void;
  softmaxCrossEntropyRows(z: number, labels: number, p: number, dZ: number, n: number, c: number): number;
}

/** The little of the WebAssembly JS API used here (tsconfig's lib "es2022" does not declare it). */
interface WebAssemblyApi {
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: object) => { exports: unknown };
}
const { WebAssembly } = globalThis as unknown as { WebAssembly: WebAssemblyApi };

const PAGE = 65536; // bytes in a wasm memory page
/** The first byte the loaders use: page 0 is left to the module's own data. */
export const HEAP_BASE = PAGE;

/** Where the compiled module lives after `npm run build` (dist/lib/fast → dist/wasm). */
export const wasmGemmPath = join(__dirname, "..", "..", "wasm", "gemm.wasm");

/** One instance of the module and views of its memory, renewed whenever the memory grows. */
export class WasmInstance {
  private view: Float64Array;
  private int32View: Int32Array;

  constructor(readonly exports: WasmExports) {
    this.view = new Float64Array(exports.memory.buffer);
    this.int32View = new Int32Array(exports.memory.buffer);
  }

  /**
   * The float64 view of the memory, at least `end` bytes long (grows the memory if needed: growing detaches old views).
   */
  heap(end: number): Float64Array {
    const memory = this.exports.memory;
    if (end > memory.buffer.byteLength) memory.grow(Math.ceil((end - memory.buffer.byteLength) / PAGE));
    if (this.view.buffer !== memory.buffer) {
      this.view = new Float64Array(memory.buffer);
      this.int32View = new Int32Array(memory.buffer);
    }
    return this.view;
  }

  /** The int32 view of the same memory (valid until the next `heap` call that grows it). */
  get heapInt32(): Int32Array {
    return this.int32View;
  }
}

/**
 * Compiles and instantiates the module at `path`; `null` when the file is missing or this runtime cannot compile it (no
 * SIMD).
 */
export function loadWasmInstance(path: string = wasmGemmPath): WasmInstance | null {
  try {
    const module = new WebAssembly.Module(readFileSync(path));
    return new WasmInstance(new WebAssembly.Instance(module, {}).exports as WasmExports);
  } catch {
    return null;
  }
}

/**
 * Loads the wasm multiply from `path` and returns it as a `GemmKernel`, or `null` when the file
 * is missing or this runtime cannot compile it (no WebAssembly SIMD): callers then fall back to TS.
 */
export function loadWasmGemm(path: string = wasmGemmPath): GemmKernel | null {
  const instance = loadWasmInstance(path);
  return instance && makeWasmGemm(instance);
}

/** The multiply of `instance`: lays out a, b, c and scratch in its memory, copies in, calls, copies out. */
export function makeWasmGemm(instance: WasmInstance): GemmKernel {
  const wasm = instance.exports;
  return ({ m, n, k, a, b, c, transposeA, transposeB, accumulate }: GemmArgs): void => {
    const aAt = HEAP_BASE,
      bAt = aAt + 8 * m * k,
      cAt = bAt + 8 * k * n,
      scratchAt = cAt + 8 * m * n;
    const heap = instance.heap(scratchAt + wasm.scratchBytes(n));
    const size = m * n;
    heap.set(a.length === m * k ? a : a.subarray(0, m * k), aAt / 8);
    heap.set(b.length === k * n ? b : b.subarray(0, k * n), bAt / 8);
    if (accumulate) heap.set(c.length === size ? c : c.subarray(0, size), cAt / 8);
    wasm.gemm(m, n, k, aAt, bAt, cAt, +transposeA, +transposeB, +accumulate, scratchAt);
    c.set(heap.subarray(cAt / 8, cAt / 8 + size)); // a view, then one memcpy (a JS copy loop was 100× slower here)
  };
}
