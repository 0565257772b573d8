import { test } from "node:test";
import assert from "node:assert/strict";
import * as math from "mathjs";
import { expandPolynomial, formatPolynomial, isZeroPolynomial } from "./polynomial";
import { checkIdenticallyZero, ExerciseCheckError } from "./exercise";

const expand = (text: string) => expandPolynomial(math.parse(text));

test("a·b − b·a expands to 0 (where mathjs's simplify may not reduce it)", () => {
  assert.ok(isZeroPolynomial(expand("s^2 * g1 * gamma - gamma * g1 * s^2")));
});

test("(a + b)² − a² − 2ab − b² is identically 0; (a + b)² − a² − b² is 2ab", () => {
  assert.ok(isZeroPolynomial(expand("(a + b)^2 - a^2 - 2*a*b - b^2")));
  assert.equal(formatPolynomial(expand("(a + b)^2 - a^2 - b^2")), "2·a·b");
});

test("thirds add up exactly (rational, not float, coefficients)", () => {
  assert.ok(isZeroPolynomial(expand("x/3 + x/3 + x/3 - x")));
  // the float64 numbers 0.1 + 0.2 ≠ 0.3, exactly
  assert.equal(isZeroPolynomial(expand("0.1*x + 0.2*x - 0.3*x")), false);
});

test("division by a monomial and negative powers: (2s)·(c/(2s)) = c, s^-3 · s^3 = 1", () => {
  assert.ok(isZeroPolynomial(expand("2*s * (c / (2*s)) - c")));
  assert.equal(formatPolynomial(expand("s^-3 * s^3 * 5")), "5");
});

test("refuses sqrt and division by a sum, with a message saying what to do", () => {
  assert.throws(() => expand("sqrt(v + e)"), /replace functions such as sqrt by a symbol first/);
  assert.throws(() => expand("1 / (a + b)"), /divides by a sum/);
  assert.throws(() => expand("a^b"), /must be a whole number/);
});

test("checkIdenticallyZero passes on 0 and shows the leftover terms otherwise", () => {
  assert.match(
    String(checkIdenticallyZero("Σ(xᵢ − μ)", math.parse("(x1 - (x1 + x2)/2) + (x2 - (x1 + x2)/2)"))),
    /✓ Σ\(xᵢ − μ\): identically 0/,
  );
  assert.throws(
    () => checkIdenticallyZero("Σ(xᵢ − μ)", math.parse("(x1 - (x1 + x2)/3) + (x2 - (x1 + x2)/3)"), "μ divides by m"),
    (error: unknown) =>
      error instanceof ExerciseCheckError &&
      /leaves 1\/3·x1 \+ 1\/3·x2/.test(error.message) &&
      /Hint: μ divides by m/.test(error.message),
  );
});
