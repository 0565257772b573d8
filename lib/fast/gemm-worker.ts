/**
 * The GEMM worker thread (started by lib/fast/gemm-threads.ts as
 * `new Worker(".../dist/lib/fast/gemm-worker.js")`). It instantiates the shared-memory build of
 * the wasm multiply on the memory the main thread passes, says "ready", and then serves blocks
 * forever, sleeping in Atomics.wait between jobs (the main thread `unref()`s it, so it never keeps
 * the process alive). The protocol is in gemm-threads-protocol.ts.
 */
import { parentPort, workerData } from "node:worker_threads";
import { wasmApi, type GemmExports, type WasmMemory } from "./wasm-api";
import { CLAIMED, DONE, FAILED, JOB, PARAMS, POSTED, STATE } from "./gemm-threads-protocol";

/** What the main thread hands over: the compiled module, the shared memory, the control block. */
export interface GemmWorkerData {
  module: object;
  memory: WasmMemory;
  control: Int32Array;
}

/** Computes the claimed block: gemmBlock(…the 14 parameters…), then STATE = DONE or FAILED. */
function runJob(wasm: GemmExports, control: Int32Array): void {
  const p = Array.from(control.subarray(PARAMS, PARAMS + 14));
  try {
    wasm.gemmBlock(p[0], p[1], p[2], p[3], p[4], p[5], p[6], p[7], p[8], p[9], p[10], p[11], p[12], p[13]);
    Atomics.store(control, STATE, DONE);
  } catch {
    Atomics.store(control, STATE, FAILED);
  }
  Atomics.notify(control, STATE);
}

/** Instantiates on the shared memory and serves jobs until the process exits. */
function serve({ module, memory, control }: GemmWorkerData): void {
  const wasm = new wasmApi.Instance(module, { env: { memory } }).exports as GemmExports;
  parentPort?.postMessage("ready");
  for (;;) {
    const seen = Atomics.load(control, JOB);
    if (Atomics.compareExchange(control, STATE, POSTED, CLAIMED) === POSTED) runJob(wasm, control);
    else Atomics.wait(control, JOB, seen); // returns at once if a job was posted since `seen`
  }
}

serve(workerData as GemmWorkerData);
