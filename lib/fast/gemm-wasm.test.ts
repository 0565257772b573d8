import { test } from "node:test";
import assert from "node:assert/strict";
import { writeFileSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { makeRng } from "../core/random";
import { loadWasmGemm } from "./gemm-wasm";
import { gemmCases, gemmRelativeError, worstEdgeCaseError } from "./compare-kernels";

const gemmWasm = loadWasmGemm();
const skip = gemmWasm === null && "dist/wasm/gemm.wasm is not built (npm run build) or WebAssembly SIMD is unavailable";

test("the wasm GEMM matches the reference for every transpose and accumulate, odd sizes included", { skip }, () => {
  const { error, gemmCase } = worstEdgeCaseError(gemmWasm!, makeRng(9)); // GEMM_EDGE_SHAPES
  assert.ok(error < 1e-12, `${JSON.stringify(gemmCase)}: relative error ${error}`);
});

test("the wasm GEMM stays correct when its memory grows and shrinks back to small shapes", { skip }, () => {
  const rng = makeRng(91);
  for (const [m, n, k] of [
    [7, 7, 7],
    [300, 200, 400],
    [3, 5, 2],
    [301, 199, 401],
  ]) {
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
