/**
 * Helpers for the optimizer tests (not exported from the library).
 */
import assert from "node:assert/strict";
import { Matrix } from "../core/matrix";
import { Parameter } from "../core/parameter";

/** A `[1, D]` parameter with the given values and a zero gradient. */
export function param(name: string, values: number[]): Parameter {
  return new Parameter(name, Matrix.row(values));
}

/** Asserts |actual[i] − expected[i]| ≤ tol for every i, naming the first element that is off. */
export function close(actual: ArrayLike<number>, expected: number[], tol = 1e-15): void {
  expected.forEach((e, i) => assert.ok(Math.abs(actual[i] - e) <= tol, `element ${i}: ${actual[i]} vs ${e}`));
}
