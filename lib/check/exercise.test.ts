import { test } from "node:test";
import assert from "node:assert/strict";
import { inspect } from "node:util";
import { Matrix } from "../core/matrix";
import { makeRng } from "../core/random";
import { checkClose, checkGradient, checkShape, checkThrows, checkTrue, ExerciseCheckError } from "./exercise";

/** Runs `fn`, asserts it throws an ExerciseCheckError, returns its message. */
function failure(fn: () => unknown): string {
  try {
    fn();
  } catch (error) {
    assert.ok(error instanceof ExerciseCheckError, `expected ExerciseCheckError, got ${String(error)}`);
    return error.message;
  }
  assert.fail("the check passed on a wrong answer");
}

test("checkTrue passes on true and fails with the hint on false", () => {
  assert.equal(String(checkTrue("fraction in (0, 1)", true)), "✓ fraction in (0, 1)");
  const message = failure(() => checkTrue("fraction in (0, 1)", false, "divide by the count"));
  assert.match(message, /✗ fraction in \(0, 1\): the condition is false/);
  assert.match(message, /Hint: divide by the count/);
});

test("a passing check prints as its message in a notebook", () => {
  assert.equal(inspect(checkTrue("ok", true)), "✓ ok");
});

test("checkShape passes on the right shape and spots a transpose", () => {
  assert.match(String(checkShape("xHat", new Matrix(4, 3), [4, 3])), /✓ xHat: shape \[4, 3\]/);
  const message = failure(() => checkShape("xHat", new Matrix(3, 4), [4, 3]));
  assert.match(message, /expected shape \[4, 3\], got \[3, 4\]/);
  assert.match(message, /transposed/);
});

test("checkShape says when a batch was reduced to one row", () => {
  assert.match(
    failure(() => checkShape("dX", new Matrix(1, 3), [4, 3])),
    /one row/,
  );
});

test("checkClose passes on equal values up to the tolerance", () => {
  const rng = makeRng(1);
  const x = new Matrix(3, 2, rng.normalArray(6));
  const nudged = x.map((v) => v * (1 + 1e-9));
  assert.match(String(checkClose("mean", nudged, x)), /✓ mean: matches \(max relative error/);
  assert.match(String(checkClose("sum", [1, 2], [1, 2])), /✓ sum/);
  assert.match(String(checkClose("one", 0.5, 0.5)), /✓ one/);
});

test("checkClose reports expected, got, position and relative error", () => {
  const message = failure(() => checkClose("variance", Matrix.from([[1, 2.5]]), Matrix.from([[1, 2]])));
  assert.match(message, /expected 2, got 2\.5 at \[1\]/);
  assert.match(message, /relative error 0\.111111/);
});

test("checkClose names a flipped sign", () => {
  const message = failure(() => checkClose("xHat", [-1, 2, -3], [1, -2, 3]));
  assert.match(message, /wrong sign/);
});

test("checkClose names a missing factor, e.g. 1/m", () => {
  const message = failure(() => checkClose("dX", [3, 6, 9], [1, 2, 3]));
  assert.match(message, /3 × the expected one/);
});

test("checkClose names a common offset", () => {
  assert.match(
    failure(() => checkClose("out", [1.5, 2.5, 3.5], [1, 2, 3])),
    /off by the same 0\.5/,
  );
});

test("checkClose points at NaN and a missing ε", () => {
  const message = failure(() => checkClose("xHat", [NaN, 1], [0, 1]));
  assert.match(message, /Found NaN at \[0\]/);
  assert.match(message, /ε/);
});

test("checkClose rejects what is not numbers, and a wrong shape", () => {
  assert.match(
    failure(() => checkClose("mean", undefined as unknown as number, 1)),
    /expected numbers, got a value of type undefined/,
  );
  assert.match(
    failure(() => checkClose("mean", [1, 2, 3], [1, 2])),
    /expected shape \[1, 2\], got \[1, 3\]/,
  );
});

test("checkGradient accepts the true gradient of x ↦ x² and rejects a wrong one", () => {
  const rng = makeRng(7);
  const x = new Matrix(3, 2, rng.normalArray(6, 1, 2));
  const dOut = new Matrix(3, 2, rng.normalArray(6));
  const square = (v: Matrix) => v.map((a) => a * a);
  const right = x.map((a, i, j) => 2 * a * dOut.get(i, j));
  assert.match(String(checkGradient("d(x²)", right, { f: square, x, dOut })), /agrees with finite differences/);
  const halved = right.scale(0.5); // forgot the 2 of the power rule
  const message = failure(() => checkGradient("d(x²)", halved, { f: square, x, dOut, hint: "power rule" }));
  assert.match(message, /relative error 0\.333/);
  assert.match(message, /0\.5 × the expected one/);
  assert.match(message, /Hint: .*power rule/);
});

test("checkGradient rejects a gradient of the wrong shape", () => {
  const x = Matrix.from([[1, 2]]);
  const message = failure(() => checkGradient("dX", new Matrix(2, 1), { f: (v) => v, x, dOut: Matrix.from([[1, 1]]) }));
  assert.match(message, /shape of its input \[1, 2\], got \[2, 1\]/);
});

test("checkThrows passes on an error with the right words and fails otherwise", () => {
  const boom = () => {
    throw new Error("batch of 1: need at least 2 examples");
  };
  assert.match(String(checkThrows("batch of 1", boom, { includes: "at least 2" })), /✓ batch of 1: throws "batch of 1/);
  assert.match(
    failure(() => checkThrows("batch of 1", () => 1)),
    /expected an error to be thrown/,
  );
  assert.match(
    failure(() => checkThrows("batch of 1", boom, { includes: "ε" })),
    /does not mention "ε"/,
  );
});
