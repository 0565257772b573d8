import { test } from "node:test";
import assert from "node:assert/strict";
import {
  assertFinite,
  assertIndices,
  assertLayer,
  assertMatrix,
  assertRng,
  describeValue,
  InputError,
  isMatrix,
} from "./checks";
import { Matrix } from "./matrix";
import { makeRng } from "./random";

test("describeValue says what came, in words a student recognises", () => {
  class Linear {}
  const cases: [unknown, string][] = [
    [null, "null"],
    [undefined, "undefined"],
    [42, "the number 42"],
    ["a", 'the string "a"'],
    [true, "boolean true"],
    [[1, 2], "an array of 2 numbers"],
    [[[1], [2]], "nested arrays (2 rows)"],
    [[], "an empty array"],
    [[null, 1], "an array of 2 items (the first is null)"],
    [new Float64Array(3), "a Float64Array of 3 numbers"],
    [Matrix.zeros(2, 3), "a Matrix [2, 3]"],
    [Linear, "the class Linear itself, not an instance of it"],
    [function f() {}, "a function f"],
    [{ a: 1, b: 2 }, "an object with keys {a, b}"],
    [new Map(), "a Map"],
    [makeRng(1), "a Xoshiro128"],
  ];
  for (const [value, expected] of cases) assert.equal(describeValue(value), expected);
});

test("isMatrix is structural: a Matrix counts, a look-alike without Float64Array data or methods does not", () => {
  assert.ok(isMatrix(Matrix.from([[1, 2]])));
  assert.ok(!isMatrix({ rows: 1, cols: 2, data: [1, 2], matmul: () => 0 }));
  assert.ok(!isMatrix({ rows: 1, cols: 2, data: new Float64Array(2) }));
  assert.ok(!isMatrix({ rows: 1, cols: 3, data: new Float64Array(2), matmul: () => 0 }), "inconsistent size");
});

test("assertFinite names the row and column of the first NaN or ±∞, wherever it is (fast pass, then the scan)", () => {
  for (const length of [1, 4, 5, 7, 8, 13]) {
    for (const bad of [NaN, Infinity, -Infinity]) {
      for (let at = 0; at < length; at++) {
        const values = new Float64Array(length).fill(1e308); // huge but finite: no false alarm
        values[at] = bad;
        assert.throws(
          () => assertFinite(values, 3, "f x"),
          new RegExp(`^InputError: f x: found ${bad} at row ${Math.floor(at / 3)}, column ${at % 3}; clean`),
        );
      }
      assert.doesNotThrow(() => assertFinite(new Float64Array(length).fill(-0), 3, "f x"));
    }
  }
  assert.throws(
    () => assertFinite([1, NaN], 2, "g y", "say why"),
    /^InputError: g y: found NaN at row 0, column 1; say why\.$/,
  );
});

test("the kind checks throw InputError naming the argument and the fix", () => {
  const failing: [() => void, RegExp][] = [
    [
      () => assertMatrix([[1]], "f x"),
      /^f x: expected a Matrix, got nested arrays \(1 rows\); convert nested arrays with Matrix\.from\(rows\)\.$/,
    ],
    [() => assertMatrix(new Float64Array(2), "f x"), /make one row with Matrix\.row\(values\)/],
    [
      () => assertRng(7, "f rng"),
      /^f rng: expected a generator from makeRng\(seed\), got the number 7; pass makeRng\(7\)\.$/,
    ],
    [() => assertRng(Math.random, "f rng"), /got a function random; pass makeRng\(1337\)/],
    [
      () => assertLayer(Matrix, "f layer"),
      /^f layer: expected a layer, got the class Matrix itself, not an instance of it; create one: new Matrix\(…\)\.$/,
    ],
    [
      () => assertIndices([0, 2.5], 3, "f indices"),
      /^f indices: index 2\.5 \(position 1\) is outside 0…2; each index must be a whole number in \[0, 3\)\.$/,
    ],
  ];
  for (const [run, message] of failing)
    assert.throws(run, (error: Error) => error instanceof InputError && message.test(error.message));
  assert.doesNotThrow(() => assertRng(makeRng(1), "f rng"));
  assert.doesNotThrow(() => assertIndices(Int32Array.from([0, 2]), 3, "f"));
});
