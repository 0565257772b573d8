import { test } from "node:test";
import assert from "node:assert/strict";
import { writeFileSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { makeRng } from "../core/random";
import { loadWasmGemm } from "./gemm-wasm";
import { gemmCases, gemmRelativeError } from "./compare-kernels";

const gemmWasm = loadWasmGemm();
const skip = gemmWasm === null && "dist/wasm/gemm.wasm is not built (npm run build) or WebAssembly SIMD is unavailable";

test("the wasm GEMM matches the reference for every transpose and accumulate, odd sizes included", { skip }, () => {
  const rng = makeRng(9);
  const shapes = [[1, 1, 1], [3, 7, 17], [17, 3, 7], [61, 100, 17], [100, 61, 7], [1, 784, 3], [784, 1, 61], [60, 100, 784], [784, 100, 60], [130, 5, 513]];
  for (const [m, n, k] of shapes) {
    for (const gemmCase of gemmCases(m, n, k)) {
      const error = gemmRelativeError(gemmWasm!, rng, gemmCase);
      assert.ok(error < 1e-12, `${JSON.stringify(gemmCase)}: relative error ${error}`);
    }
  }
});

test("the wasm GEMM stays correct when its memory grows and shrinks back to small shapes", { skip }, () => {
  const rng = makeRng(91);
  for (const [m, n, k] of [[7, 7, 7], [300, 200, 400], [3, 5, 2], [301, 199, 401]]) {
    const error = gemmRelativeError(gemmWasm!, rng, gemmCases(m, n, k)[3]);
    assert.ok(error < 1e-12, `[${m}, ${n}, ${k}]: relative error ${error}`);
  }
});

test("loading falls back to null when the .wasm is missing or not WebAssembly", () => {
  assert.equal(loadWasmGemm(join(tmpdir(), "no-such-dir", "gemm.wasm")), null);
  const junk = join(mkdtempSync(join(tmpdir(), "gemm-")), "gemm.wasm");
  writeFileSync(junk, "not wasm");
  assert.equal(loadWasmGemm(junk), null);
});
