import { test } from "node:test";
import assert from "node:assert/strict";
import { Matrix } from "./core/matrix";
import { Parameter } from "./core/parameter";
import { makeRng } from "./core/random";
import {
  allclose,
  formatGradcheckReport,
  gradcheckParameters,
  maxAbsDiff,
  normRatio,
  numericalGradient,
  relError,
} from "./gradcheck";

test("numerical gradient of x ↦ x² ⊙ dOut is 2x ⊙ dOut", () => {
  const rng = makeRng(11);
  const x = new Matrix(3, 4, rng.normalArray(12, 2, 3));
  const dOut = new Matrix(3, 4, rng.normalArray(12));
  const numeric = numericalGradient((v) => v.map((a) => a * a), x, dOut);
  const exact = x.map((a, i, j) => 2 * a * dOut.get(i, j));
  assert.ok(relError(numeric, exact) < 1e-8, `relError ${relError(numeric, exact)}`);
});

test("a closure that ignores its argument gets a zero gradient, so it cannot pass; x is left untouched", () => {
  const rng = makeRng(12);
  const x = new Matrix(2, 3, rng.normalArray(6, 1, 2));
  const dOut = new Matrix(2, 3, rng.normalArray(6));
  const before = x.clone();
  const ignoring = numericalGradient(() => x.map((a) => a * a), x, dOut);
  assert.ok(ignoring.data.every((g) => g === 0));
  assert.ok(
    relError(
      ignoring,
      x.map((a, i, j) => 2 * a * dOut.get(i, j)),
    ) > 0.9,
  );
  assert.deepEqual(x.data, before.data);
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

test("relError has cs231n's 1e-8 floor: two tiny numbers are not a large relative error", () => {
  // |a − b| / 1e-8, not |a − b| / (|a| + |b|) = 0.5
  const tiny = relError(Matrix.from([[1e-12]]), Matrix.from([[3e-12]]));
  assert.ok(Math.abs(tiny - 2e-4) < 1e-15, `relError ${tiny}`);
  assert.equal(relError(Matrix.from([[0]]), Matrix.from([[0]])), 0);
  assert.equal(normRatio(Matrix.zeros(2, 2), Matrix.zeros(2, 2)), 0);
  assert.throws(
    () => relError(Matrix.zeros(1, 2), Matrix.zeros(2, 1)),
    /relError: shapes must match, got \[1, 2\] and \[2, 1\]/,
  );
});

/** out = x ⊙ w (w: [1, D], broadcast); backward gives dW = Σᵢ dOut ⊙ x, scaled by `error` (1 = right). */
function scaledLayer(error: number) {
  const w = new Parameter("w", Matrix.row([0.5, -1.5, 2]));
  const x = Matrix.from([
    [1, 2, -3],
    [0.5, -1, 4],
  ]);
  const dOut = Matrix.from([
    [0.3, -0.7, 1.1],
    [2, 0.4, -0.9],
  ]);
  const forward = () => x.mulRow(w.value);
  const loss = () => forward().mul(dOut).sum();
  const gradients = () => {
    w.zeroGrad();
    w.accumulate(dOut.mul(x).sumRows().scale(error));
  };
  return { w, loss, gradients };
}

test("gradcheckParameters passes a right gradient and flags a wrong one in its report", () => {
  const right = scaledLayer(1);
  const [good] = gradcheckParameters([right.w], right.loss, right.gradients);
  assert.ok(good.passed && good.relError < 1e-9, JSON.stringify(good));
  const wrong = scaledLayer(1.01);
  const [bad] = gradcheckParameters([wrong.w], wrong.loss, wrong.gradients);
  assert.equal(bad.passed, false);
  assert.ok(bad.relError > 1e-3 && bad.normRatio > 1e-3 && bad.maxAbsDiff > 1e-3, JSON.stringify(bad));
  const report = formatGradcheckReport([good, bad]);
  assert.match(report, /^parameter\s+shape\s+relError\s+normRatio\s+maxAbsDiff\s+ok\n/);
  assert.match(report, /\nw\s+\[1, 3\]\s+\S+\s+\S+\s+\S+\s+✓\nw\s+\[1, 3\]\s+\S+\s+\S+\s+\S+\s+✗$/);
});
