/**
 * The WebAssembly SIMD matrix multiply on two threads: the main thread and one worker.
 *
 *   C = op(A) · op(B)      (+ C when `accumulate`)      — the contract of lib/core/gemm.ts
 *   C = [ C₀ | C₁ ]  (columns split when n ≥ m)   or   C = [ C₀ ; C₁ ]  (rows split otherwise)
 *
 * Each thread computes one block of C with the same wasm code, on one shared WebAssembly.Memory
 * (dist/wasm/gemm-shared.wasm). Splitting C does not change any element's sum Σₚ op(A)[i][p]·op(B)[p][j]
 * nor its order, so the result is bit for bit the one-thread result. The main thread copies a, b
 * (and c) in, posts the worker's block, computes its own, then waits (Atomics.wait) and copies c out.
 *
 * The worker starts lazily, at the first product large enough (m·n·k ≥ `minimumWork`); until it
 * is ready, the main thread takes its block back and computes both (see gemm-threads-protocol.ts).
 * Small products, products that do not fit the shared memory, and every product after a worker
 * failure go to the one-thread kernel. The worker is `unref()`ed: it never keeps the process alive.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { Worker } from "node:worker_threads";
import type { GemmArgs, GemmKernel } from "../core/gemm";
import { copyOperandsIn, copyProductOut, PAGE, wasmApi, type GemmExports, type WasmMemory } from "./wasm-api";
import { CLAIMED, CONTROL_LENGTH, FAILED, JOB, PARAMS, POSTED, STATE, TAKEN } from "./gemm-threads-protocol";

/** Where the shared-memory build lives after `npm run build` (dist/lib/fast → dist/wasm). */
export const sharedWasmGemmPath = join(__dirname, "..", "..", "wasm", "gemm-shared.wasm");

/** Options of `loadTwoThreadGemm`. */
export interface TwoThreadGemmOptions {
  /** Products with m·n·k below this stay on one thread: waking the worker costs ≈ 15 µs (default 1e6). */
  minimumWork?: number;
  /** 64 KiB pages the shared memory may grow to (default 1024 = 64 MiB; W1 needs ≈ 4 MiB). */
  maximumPages?: number;
  /** false: once the worker is ready, always wait for it instead of taking its block back (tests). */
  stealWork?: boolean;
  /** Called once if the worker fails to start or throws; the kernel then stays on one thread. */
  onWorkerFailure?: (error: Error) => void;
  /** The shared-memory .wasm and the worker script (defaults: the built ones). */
  wasmPath?: string;
  workerPath?: string;
}

/** Byte offsets of one product's operands and of each thread's scratch in the shared memory. */
interface Layout { aAt: number; bAt: number; cAt: number; scratchAt: [number, number]; end: number }

/** One block of C: rows [rowBegin, rowEnd) × columns [colBegin, colEnd). */
type Block = [rowBegin: number, rowEnd: number, colBegin: number, colEnd: number];

/**
 * Loads the shared-memory wasm multiply and returns a two-thread kernel around it, or `null` when
 * this runtime lacks SharedArrayBuffer or shared wasm memory, or the .wasm is missing.
 * `single` is the one-thread kernel it hands small or failed products to.
 */
export function loadTwoThreadGemm(single: GemmKernel, options: TwoThreadGemmOptions = {}): TwoThreadGemm | null {
  try {
    if (typeof SharedArrayBuffer !== "function" || typeof Atomics !== "object") return null;
    const module = new wasmApi.Module(readFileSync(options.wasmPath ?? sharedWasmGemmPath));
    const memory = new wasmApi.Memory({ initial: 2, maximum: options.maximumPages ?? 1024, shared: true });
    const wasm = new wasmApi.Instance(module, { env: { memory } }).exports as GemmExports;
    return new TwoThreadGemm(single, module, memory, wasm, options);
  } catch {
    return null;
  }
}

/** The two-thread kernel: `gemm` is the `GemmKernel`; `start()` waits for the worker. */
export class TwoThreadGemm {
  /** Products computed: on two threads (`parallel`), by the worker's block (`byWorker`), on one thread (`single`). */
  readonly counts = { parallel: 0, byWorker: 0, single: 0 };
  /** Why the worker is out of use, or null while it is fine. */
  failure: Error | null = null;
  private readonly control = new Int32Array(new SharedArrayBuffer(4 * CONTROL_LENGTH));
  private heap: Float64Array;
  private worker: Worker | null = null;
  private ready: Promise<boolean> | null = null;
  private workerReady = false;
  private warned = false;
  private readonly options: Required<Pick<TwoThreadGemmOptions, "minimumWork" | "maximumPages" | "stealWork">>;

  constructor(private readonly single: GemmKernel, private readonly module: object, private readonly memory: WasmMemory,
    private readonly wasm: GemmExports, private readonly given: TwoThreadGemmOptions) {
    const { minimumWork = 1e6, maximumPages = 1024, stealWork = true } = given;
    this.options = { minimumWork, maximumPages, stealWork };
    this.heap = new Float64Array(memory.buffer);
  }

  /** The kernel: C = op(A)·op(B) (+ C), split over two threads when large enough. */
  readonly gemm: GemmKernel = (args: GemmArgs): void => {
    const layout = this.failure || args.m * args.n * args.k < this.options.minimumWork ? null : this.place(args);
    if (layout === null) {
      this.counts.single += 1;
      return this.single(args);
    }
    if (this.worker === null) void this.start();
    copyOperandsIn(this.heap, args, layout.aAt, layout.bAt, layout.cAt);
    const [mine, theirs] = splitBlocks(args.m, args.n);
    this.post(args, layout, theirs);
    this.compute(args, layout, mine, 0);
    if (!this.finish(args, layout, theirs)) return this.single(args); // the worker threw: redo it alone
    this.counts.parallel += 1;
    copyProductOut(this.heap, args.c, args.m * args.n, layout.cAt);
  };

  /** Starts the worker if it is not running; resolves true once it is ready, false if it failed. */
  start(): Promise<boolean> {
    if (this.ready) return this.ready;
    this.ready = new Promise<boolean>((resolve) => {
      try {
        const worker = new Worker(this.given.workerPath ?? join(__dirname, "gemm-worker.js"),
          { workerData: { module: this.module, memory: this.memory, control: this.control } });
        worker.unref(); // an idle worker must not keep the process alive
        worker.once("message", () => resolve((this.workerReady = true)));
        worker.once("error", (error: Error) => resolve(this.fail(error)));
        worker.once("exit", (code: number) => resolve(this.fail(new Error(`the GEMM worker exited (code ${code})`))));
        this.worker = worker;
      } catch (error) {
        resolve(this.fail(error as Error));
      }
    });
    return this.ready;
  }

  /** Stops the worker (products then run on one thread); the kernel stays usable. */
  async close(): Promise<void> {
    const worker = this.worker;
    this.fail(new Error("closed"));
    if (worker) await worker.terminate();
  }

  private fail(error: Error): boolean {
    if (this.failure === null) {
      this.failure = error;
      this.given.onWorkerFailure?.(error);
    }
    return false;
  }

  /** Lays out a, b, c, two scratch areas from page 1 on, growing the memory; null if it cannot fit. */
  private place({ m, n, k }: GemmArgs): Layout | null {
    const aAt = PAGE, bAt = aAt + 8 * m * k, cAt = bAt + 8 * k * n;
    const scratch = this.wasm.scratchBytes(n), first = cAt + 8 * m * n, end = first + 2 * scratch;
    if (end > this.options.maximumPages * PAGE) {
      this.warnTooLarge(m, n, k, end);
      return null;
    }
    if (end > this.heap.byteLength) {
      this.memory.grow(Math.ceil((end - this.heap.byteLength) / PAGE));
      this.heap = new Float64Array(this.memory.buffer); // a grown shared memory has a longer buffer
    }
    return { aAt, bAt, cAt, scratchAt: [first, first + scratch], end };
  }

  private warnTooLarge(m: number, n: number, k: number, end: number): void {
    if (this.warned) return;
    this.warned = true;
    process.emitWarning(`two-thread GEMM: the product [${m}, ${k}]·[${k}, ${n}] needs ${Math.ceil(end / PAGE)} pages of ` +
      `shared memory, more than maximumPages = ${this.options.maximumPages}; it runs on one thread. ` +
      "Raise maximumPages in loadTwoThreadGemm to split it.");
  }

  /** Writes the worker's block's parameters, then posts it and wakes the worker. */
  private post(args: GemmArgs, layout: Layout, block: Block): void {
    const { m, n, k, transposeA, transposeB, accumulate } = args;
    this.control.set([m, n, k, layout.aAt, layout.bAt, layout.cAt, +transposeA, +transposeB, +accumulate,
      layout.scratchAt[1], ...block], PARAMS);
    Atomics.store(this.control, STATE, POSTED);
    Atomics.add(this.control, JOB, 1);
    Atomics.notify(this.control, JOB, 1);
  }

  private compute({ m, n, k, transposeA, transposeB, accumulate }: GemmArgs, layout: Layout, block: Block, scratch: 0 | 1): void {
    this.wasm.gemmBlock(m, n, k, layout.aAt, layout.bAt, layout.cAt, +transposeA, +transposeB, +accumulate,
      layout.scratchAt[scratch], block[0], block[1], block[2], block[3]);
  }

  /** Takes the worker's block back if it has not started (or waits for it); false if the worker threw. */
  private finish(args: GemmArgs, layout: Layout, theirs: Block): boolean {
    const mayTake = this.options.stealWork || !this.workerReady;
    if (mayTake && Atomics.compareExchange(this.control, STATE, POSTED, TAKEN) === POSTED) {
      this.compute(args, layout, theirs, 0);
      return true;
    }
    let state: number;
    while ((state = Atomics.load(this.control, STATE)) === POSTED || state === CLAIMED) Atomics.wait(this.control, STATE, state);
    if (state !== FAILED) {
      this.counts.byWorker += 1;
      return true;
    }
    this.fail(new Error("the GEMM worker's wasm call threw"));
    return false;
  }
}

/**
 * Splits C in two: by columns when n ≥ m, else by rows, at a multiple of 4 (the micro-kernel's
 * tile) so both halves keep the one-thread tile grid. The first, larger half is the main thread's.
 */
export function splitBlocks(m: number, n: number): [Block, Block] {
  if (n >= m) {
    const split = Math.min(n, 4 * Math.ceil(n / 8));
    return [[0, m, 0, split], [0, m, split, n]];
  }
  const split = Math.min(m, 4 * Math.ceil(m / 8));
  return [[0, split, 0, n], [split, m, 0, n]];
}
