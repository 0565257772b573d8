import { test } from "node:test";
import assert from "node:assert/strict";
import { Matrix } from "./core/matrix";
import { makeRng } from "./core/random";
import { allclose, maxAbsDiff, normRatio, numericalGradient, relError } from "./gradcheck";

test("numerical gradient of x ↦ x² ⊙ dOut is 2x ⊙ dOut", () => {
  const rng = makeRng(11);
  const x = new Matrix(3, 4, rng.normalArray(12, 2, 3));
  const dOut = new Matrix(3, 4, rng.normalArray(12));
  const numeric = numericalGradient((v) => v.map((a) => a * a), x, dOut);
  const exact = x.map((a, i, j) => 2 * a * dOut.get(i, j));
  assert.ok(relError(numeric, exact) < 1e-8, `relError ${relError(numeric, exact)}`);
});

test("a wrong gradient is caught by every metric", () => {
  const a = Matrix.from([[1, 2, 3]]);
  const wrong = Matrix.from([[1, 2, 3.3]]);
  assert.ok(relError(a, wrong) > 1e-3);
  assert.ok(normRatio(a, wrong) > 1e-3);
  assert.ok(maxAbsDiff(a, wrong) > 0.29);
  assert.equal(allclose(a, wrong), false);
  assert.equal(allclose(a, a.clone()), true);
});

test("a NaN never passes", () => {
  const a = Matrix.from([[1, NaN]]);
  const b = Matrix.from([[1, 2]]);
  assert.ok(Number.isNaN(relError(a, b)));
  assert.ok(Number.isNaN(maxAbsDiff(a, b)));
  assert.equal(allclose(a, b), false);
});
