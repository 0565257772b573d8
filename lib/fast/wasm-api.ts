/**
 * The little of the WebAssembly JS API that lib/fast uses (tsconfig's lib "es2022" does not
 * declare it), and the exports of wasm/gemm.ts. Internal to lib/fast: not re-exported.
 */

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
