/**
 * Browser twin of `node:worker_threads`: the kernel's web worker counts as the main thread, and
 * starting a Node worker thread fails with a clear message. The two-thread GEMM never gets here
 * (it needs SharedArrayBuffer, which a page without cross-origin isolation lacks) and
 * `runSearchParallel` has its own twin (lite/twins/search-parallel.ts).
 */
export const isMainThread = true;
export const parentPort = null;
export const workerData = null;

export class Worker {
  constructor() {
    throw new Error(
      "worker_threads are not available in the browser kernel; this part of the library runs on one thread here.",
    );
  }
}

export default { isMainThread, parentPort, workerData, Worker };
