/**
 * The little of the WebAssembly JS API that lib/fast uses (tsconfig's lib "es2022" does not
 * declare it), the exports of wasm/gemm.ts, and the copies into and out of its memory that the
 * one- and two-thread kernels share. Internal to lib/fast: not re-exported.
 */
import type { GemmArgs } from "../core/gemm";

/** A wasm linear memory; `shared: true` backs it with a SharedArrayBuffer two threads can use. */
export interface WasmMemory {
  buffer: ArrayBuffer | SharedArrayBuffer;
  grow(pages: number): number;
}

/** The constructors used: compile bytes, instantiate with imports, create a memory. */
export interface WebAssemblyApi {
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: object) => { exports: unknown };
  Memory: new (descriptor: { initial: number; maximum?: number; shared?: boolean }) => WasmMemory;
}

/** The global `WebAssembly`, typed as above. */
export const wasmApi = (globalThis as unknown as { WebAssembly: WebAssemblyApi }).WebAssembly;

/** The exports of `wasm/gemm.ts` (pointers are byte offsets into `memory`; booleans are 0 or 1). */
export interface GemmExports {
  memory: WasmMemory;
  gemm(m: number, n: number, k: number, a: number, b: number, c: number,
    transposeA: number, transposeB: number, accumulate: number, scratch: number): void;
  gemmBlock(m: number, n: number, k: number, a: number, b: number, c: number,
    transposeA: number, transposeB: number, accumulate: number, scratch: number,
    rowBegin: number, rowEnd: number, colBegin: number, colEnd: number): void;
  scratchBytes(n: number): number;
}

/** Bytes in a wasm memory page. */
export const PAGE = 65536;

/** Copies a ([m, k] after op), b ([k, n]) and, when accumulating, c ([m, n]) into wasm memory at the given byte offsets. */
export function copyOperandsIn(heap: Float64Array, { m, n, k, a, b, c, accumulate }: Pick<GemmArgs, "m" | "n" | "k" | "a" | "b" | "c" | "accumulate">,
  aAt: number, bAt: number, cAt: number): void {
  heap.set(a.length === m * k ? a : a.subarray(0, m * k), aAt / 8);
  heap.set(b.length === k * n ? b : b.subarray(0, k * n), bAt / 8);
  if (accumulate) heap.set(c.length === m * n ? c : c.subarray(0, m * n), cAt / 8);
}

/** Copies the `size` numbers of C at byte offset cAt out of wasm memory into c. */
export function copyProductOut(heap: Float64Array, c: Float64Array, size: number, cAt: number): void {
  c.set(heap.subarray(cAt / 8, cAt / 8 + size)); // a view, then one memcpy (a JS copy loop was 100× slower here)
}
