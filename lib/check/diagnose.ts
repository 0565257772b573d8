/**
 * Friendly diagnoses of a wrong answer: what the difference between the student's
 * numbers and the expected ones most likely means (a sign, a factor, a transpose…).
 */
import { formatNumber, positionText, shapeText, type Grid } from "./values";

/** A hint for a shape mismatch, from the two shapes alone. */
export function diagnoseShape(actual: Grid, expected: Grid): string {
  if (actual.rows === expected.cols && actual.cols === expected.rows) {
    return (
      "It looks transposed: this kit puts one example per row, " +
      "[N, D] (the lecture text writes one column per example)."
    );
  }
  if (actual.rows === 1 && expected.rows > 1 && actual.cols === expected.cols) {
    return "You returned one row: did you sum or average over the batch where every example needs its own row?";
  }
  if (expected.rows === 1 && actual.rows > 1 && actual.cols === expected.cols) {
    return "Expected one row per feature ([1, D]): reduce over the batch (sum or mean over the rows).";
  }
  if (actual.rows * actual.cols === expected.rows * expected.cols) {
    return "Same count of numbers, different shape: check how you laid out rows and columns.";
  }
  return `Check the sizes: expected ${shapeText(expected)}.`;
}

/** A hint for numbers of the right shape that differ; "" when nothing specific is found. */
export function diagnoseValues(actual: Grid, expected: Grid): string {
  const bad = firstNonFinite(actual);
  if (bad >= 0) {
    return (
      `Found ${actual.data[bad]} at ${positionText(actual, bad)}: ` +
      `a division by zero (is ε inside the square root?) or a 0/0.`
    );
  }
  if (isAllZero(actual) && !isAllZero(expected))
    return "Every number is 0: did you forget to compute or return the result?";
  const factor = commonFactor(actual, expected);
  if (factor !== null && Math.abs(factor + 1) < 1e-6)
    return "Every number has the wrong sign: check the sign of a term (x − μ, not μ − x?).";
  if (factor !== null && actual.data.length > 1 && Math.abs(factor - 1) > 1e-6) {
    return `Every number is ${formatNumber(factor)} × the expected one: a missing or extra factor (1/m? 2? γ?).`;
  }
  const offset = commonOffset(actual, expected);
  if (offset !== null)
    return `Every number is off by the same ${formatNumber(offset)}: a missing or extra shift (β? μ?).`;
  return "";
}

function firstNonFinite(g: Grid): number {
  for (let k = 0; k < g.data.length; k++) if (!Number.isFinite(g.data[k])) return k;
  return -1;
}

function isAllZero(g: Grid): boolean {
  return g.data.every((v) => v === 0);
}

/** c when actual ≈ c · expected for every element (least squares, then verified), else null. */
function commonFactor(actual: Grid, expected: Grid): number | null {
  let dot = 0;
  let norm = 0;
  for (let k = 0; k < actual.data.length; k++) {
    dot += actual.data[k] * expected.data[k];
    norm += expected.data[k] ** 2;
  }
  if (norm === 0) return null;
  const c = dot / norm;
  return fitsEverywhere(actual, expected, (e) => c * e) ? c : null;
}

/** d when actual ≈ expected + d for every element (d ≠ 0), else null. */
function commonOffset(actual: Grid, expected: Grid): number | null {
  if (actual.data.length < 2) return null; // one number: any difference "is" an offset
  const d = actual.data[0] - expected.data[0];
  if (d === 0) return null;
  return fitsEverywhere(actual, expected, (e) => e + d) ? d : null;
}

function fitsEverywhere(actual: Grid, expected: Grid, model: (e: number) => number): boolean {
  for (let k = 0; k < actual.data.length; k++) {
    const predicted = model(expected.data[k]);
    if (Math.abs(actual.data[k] - predicted) > 1e-6 * Math.max(1, Math.abs(predicted))) return false;
  }
  return true;
}
