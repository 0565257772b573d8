import { test } from "node:test";
import assert from "node:assert/strict";
import { makeRng } from "../core/random";
import { gemmPacked } from "./gemm-packed";
import { gemmCases, gemmRelativeError, worstEdgeCaseError } from "./compare-kernels";

test("the packed GEMM matches the reference for every transpose and accumulate, odd sizes included", () => {
  const { error, gemmCase } = worstEdgeCaseError(gemmPacked, makeRng(8)); // GEMM_EDGE_SHAPES
  assert.ok(error < 1e-12, `${JSON.stringify(gemmCase)}: relative error ${error}`);
});

test("the packed GEMM matches the reference on random shapes", () => {
  const rng = makeRng(81);
  const sizes = [1, 3, 7, 17, 61, 100];
  for (let trial = 0; trial < 40; trial++) {
    const [m, n, k] = [0, 1, 2].map(() => sizes[rng.int(sizes.length)]);
    const gemmCase = gemmCases(m, n, k)[rng.int(8)];
    const error = gemmRelativeError(gemmPacked, rng, gemmCase);
    assert.ok(error < 1e-12, `${JSON.stringify(gemmCase)}: relative error ${error}`);
  }
});

test("the packed GEMM computes a hand-worked product and leaves its inputs alone", () => {
  const a = new Float64Array([1, 2, 3, 4, 5, 6]); // [2, 3]
  const b = new Float64Array([7, 8, 9, 10, 11, 12]); // [3, 2]
  const c = new Float64Array(4).fill(NaN);
  gemmPacked({ m: 2, n: 2, k: 3, a, b, c, transposeA: false, transposeB: false, accumulate: false });
  assert.deepEqual(Array.from(c), [58, 64, 139, 154]);
  assert.deepEqual(Array.from(a), [1, 2, 3, 4, 5, 6]);
  assert.deepEqual(Array.from(b), [7, 8, 9, 10, 11, 12]);
});

test("a relative-error check catches a wrong kernel", () => {
  const rng = makeRng(3);
  const wrong = gemmRelativeError(
    (args) => gemmPacked({ ...args, transposeB: !args.transposeB }),
    rng,
    gemmCases(5, 5, 5)[0],
  );
  assert.ok(wrong > 1e-3);
});
