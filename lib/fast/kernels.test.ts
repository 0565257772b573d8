import { test } from "node:test";
import assert from "node:assert/strict";
import { kernels, gemmReference } from "../core/gemm";
import { Matrix } from "../core/matrix";
import { makeRng } from "../core/random";
import { gemmPacked } from "./gemm-packed";
import { useFastKernels, useReferenceKernels, wasmGemmKernel } from "./kernels";

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
    for (let i = 0; i < expected.length; i++)
      assert.ok(Math.abs(actual[i] - expected[i]) < 1e-12 * (1 + Math.abs(expected[i])), kernels.name);
  }
});
