import { test } from "node:test";
import assert from "node:assert/strict";
import { kernels, gemmReference, useReferenceKernels } from "../core/gemm";
import { Matrix } from "../core/matrix";
import { makeRng } from "../core/random";
import { gemmPacked } from "./gemm-packed";
import { useFastKernels, twoThreadGemmKernel, wasmGemmKernel } from "./kernels";
import { InputError } from "../core/checks";
import { Worker } from "node:worker_threads";
import { join } from "node:path";

test("useFastKernels picks wasm when it loads, else packed TS, and names it", () => {
  const name = useFastKernels();
  assert.equal(name, kernels.name);
  if (wasmGemmKernel() === null) {
    assert.equal(name, "packed-ts");
    assert.equal(kernels.gemm, gemmPacked);
  } else {
    assert.equal(name, "wasm-simd");
    assert.equal(kernels.gemm, wasmGemmKernel());
  }
});

test("useFastKernels({ wasm: false }) selects the packed TS kernel; useReferenceKernels the three loops", () => {
  assert.equal(useFastKernels({ wasm: false }), "packed-ts");
  assert.equal(kernels.gemm, gemmPacked);
  useReferenceKernels();
  assert.equal(kernels.name, "reference");
  assert.equal(kernels.gemm, gemmReference);
});

test("Matrix.matmul gives the same numbers through every kernel", () => {
  const rng = makeRng(17);
  const x = new Matrix(61, 17, rng.normalArray(61 * 17));
  const w = new Matrix(17, 7, rng.normalArray(17 * 7));
  useReferenceKernels();
  const expected = x.matmul(w).data;
  for (const wasm of [false, true]) {
    useFastKernels({ wasm });
    const actual = x.matmul(w).data;
    for (let i = 0; i < expected.length; i++) assert.ok(Math.abs(actual[i] - expected[i]) < 1e-12 * (1 + Math.abs(expected[i])), kernels.name);
  }
});

test("useFastKernels({ threads: 2 }) names the two-thread wasm kernel, or the one it fell back to", () => {
  const name = useFastKernels({ threads: 2 });
  const parallel = twoThreadGemmKernel();
  if (parallel === null) assert.notEqual(name, "wasm-simd×2");
  else {
    assert.equal(name, "wasm-simd×2");
    assert.equal(kernels.gemm, parallel.gemm);
  }
  assert.equal(useFastKernels({ threads: 2, wasm: false }), "packed-ts");
  assert.throws(() => useFastKernels({ threads: 3 }), (error: Error) => error instanceof InputError && /threads must be 1 or 2, got 3/.test(error.message));
  useFastKernels();
});

test("a worker thread asking for two threads gets one: only the main thread starts a GEMM worker", { skip: wasmGemmKernel() === null }, async () => {
  const kernelsModule = JSON.stringify(join(__dirname, "kernels.js"));
  const worker = new Worker(`const { parentPort } = require("node:worker_threads");
    const fast = require(${kernelsModule});
    parentPort.postMessage([fast.useFastKernels({ threads: 2 }), fast.twoThreadGemmKernel()]);`, { eval: true });
  const [name, parallel] = await new Promise<[string, unknown]>((resolve, reject) => worker.once("message", resolve).once("error", reject));
  assert.equal(name, "wasm-simd");
  assert.equal(parallel, null);
  await worker.terminate();
});
