/**
 * Dimensions of a search space: how one hyperparameter (超参数) is sampled.
 *
 *   uniform(a, b)             x = a + (b − a)·u,                 u ~ U[0, 1)
 *   logUniform(a, b)          α = 10^r,  r ~ U[log₁₀ a, log₁₀ b]  (each decade equally likely)
 *   oneMinusLogUniform(a, b)  β = 1 − 10^r, r ~ U[log₁₀(1 − b), log₁₀(1 − a)]  (for β near 1)
 *   integer(a, b)             a whole number in [a, b], each equally likely
 *   choice([v₁, v₂, …])       one of the values, each equally likely
 *
 * Every continuous dimension works in its own *scale* s (x, log₁₀ α, log₁₀(1 − β)): sampling,
 * grids, narrowing (coarse-to-fine) and the position of a value in its range all happen in s.
 */
import { InputError, assertPositiveInteger } from "../core/checks";
import type { Rng } from "../core/random";

/** The values a hyperparameter can take. */
export type ParameterValue = number | string | boolean;

/** The kinds of dimension. */
export type DimensionKind = "uniform" | "logUniform" | "oneMinusLogUniform" | "integer" | "choice";

/** One hyperparameter's range and how to sample it. */
export interface Dimension<T extends ParameterValue> {
  readonly kind: DimensionKind;
  /** One value drawn with `rng`. */
  sample(rng: Rng): T;
  /** `points` values evenly spaced in the dimension's scale, ends included (every value for `choice`). */
  grid(points: number): T[];
  /**
   * The same kind of dimension around `values` (e.g. the best trials'), padded by `margin` × this width in the scale,
   * clipped to this range.
   */
  narrow(values: readonly T[], margin: number): Dimension<T>;
  /** Where `value` sits in the range, in the scale: 0 = lower edge, 1 = upper edge (NaN for `choice`). */
  position(value: T): number;
  /** "logUniform(0.0001, 1)". */
  describe(): string;
}

/**
 * A continuous dimension defined by its scale s = toScale(x) on [a, b] = [toScale(low), toScale(high)]
 * (a > b when toScale decreases, as log₁₀(1 − β) does: position 0 is always `low`, 1 always `high`).
 */
function continuous(
  kind: DimensionKind,
  low: number,
  high: number,
  toScale: (x: number) => number,
  fromScale: (s: number) => number,
): Dimension<number> {
  const [a, b] = [toScale(low), toScale(high)];
  const at = (p: number) => fromScale(a + (b - a) * p); // the value at position p ∈ [0, 1]
  const position = (value: number) => (b !== a ? (toScale(value) - a) / (b - a) : 0.5);
  return {
    kind,
    sample: (rng) => at(rng.uniform()),
    grid: (points) => evenly(0, 1, points).map(at),
    narrow(values, margin) {
      const positions = checkValues(values, kind).map(position);
      const lo = Math.max(0, Math.min(...positions) - margin);
      const hi = Math.min(1, Math.max(...positions) + margin);
      return continuous(kind, at(lo), at(hi), toScale, fromScale);
    },
    position,
    describe: () => `${kind}(${formatValue(low)}, ${formatValue(high)})`,
  };
}

/** x ~ U[low, high): every value in the range equally likely. */
export function uniform(low: number, high: number): Dimension<number> {
  checkRange(low, high, "uniform");
  return continuous(
    "uniform",
    low,
    high,
    (x) => x,
    (s) => s,
  );
}

/**
 * α = 10^r with r ~ U[log₁₀ low, log₁₀ high]: as many samples in [1e-4, 1e-3] as in [0.1, 1].
 * The scale for learning rates (学习率), weight decays, ε: anything that spans decades.
 */
export function logUniform(low: number, high: number): Dimension<number> {
  checkRange(low, high, "logUniform");
  if (!(low > 0))
    throw new InputError(
      `logUniform: low must be > 0 (the log of ${low} is undefined), got ${low}; e.g. logUniform(1e-4, 1).`,
    );
  return continuous("logUniform", low, high, Math.log10, (s) => 10 ** s);
}

/**
 * β = 1 − 10^r with r ~ U[log₁₀(1 − high), log₁₀(1 − low)], for averaging coefficients near 1
 * (momentum β, Adam's β₂). β ∈ [0.9, 0.999] → 1 − β ∈ [1e-3, 1e-1] → r ∈ [−3, −1]: [0.9, 0.99]
 * and [0.99, 0.999] get the same number of samples, because 1/(1 − β) (the number of steps
 * averaged, ≈ 10 vs ≈ 1000) changes as much across each of them.
 */
export function oneMinusLogUniform(low: number, high: number): Dimension<number> {
  checkRange(low, high, "oneMinusLogUniform");
  if (!(low >= 0 && high < 1))
    throw new InputError(
      `oneMinusLogUniform: the range must lie in [0, 1), got [${low}, ${high}]; e.g. oneMinusLogUniform(0.9, 0.999).`,
    );
  return continuous(
    "oneMinusLogUniform",
    low,
    high,
    (x) => Math.log10(1 - x),
    (s) => 1 - 10 ** s,
  );
}

/** A whole number in [low, high] (both included), each equally likely; grids are rounded. */
export function integer(low: number, high: number): Dimension<number> {
  if (!(Number.isInteger(low) && Number.isInteger(high) && low <= high)) {
    throw new InputError(`integer: low and high must be whole numbers with low ≤ high, got ${low} and ${high}.`);
  }
  return {
    kind: "integer",
    sample: (rng) => low + rng.int(high - low + 1),
    grid: (points) => unique(evenly(low, high, points).map(Math.round)),
    narrow(values, margin) {
      checkValues(values, "integer");
      const pad = Math.round(margin * (high - low));
      return integer(Math.max(low, Math.min(...values) - pad), Math.min(high, Math.max(...values) + pad));
    },
    position: (value) => (high > low ? (value - low) / (high - low) : 0.5),
    describe: () => `integer(${low}, ${high})`,
  };
}

/** One of `values`, each equally likely (a categorical hyperparameter: optimizer, activation, width). */
export function choice<T extends ParameterValue>(values: readonly T[]): Dimension<T> {
  if (!Array.isArray(values) || values.length === 0)
    throw new InputError("choice: give at least one value, e.g. choice([32, 64, 128]).");
  const kept = (values as readonly T[]).slice(); // typed again: Array.isArray narrows a readonly T[] to any[]
  return {
    kind: "choice",
    sample: (rng) => rng.choice(kept),
    grid: () => kept.slice(),
    narrow: (best) => choice(kept.filter((v) => best.includes(v))), // keep the values the best trials used
    position: () => NaN,
    describe: () => `choice([${kept.map((v) => JSON.stringify(v)).join(", ")}])`,
  };
}

/** n numbers evenly spaced from a to b, both included (one point: the middle). */
export function evenly(a: number, b: number, n: number): number[] {
  assertPositiveInteger(n, "points", "grid");
  if (n === 1) return [(a + b) / 2];
  return Array.from({ length: n }, (_, i) => a + ((b - a) * i) / (n - 1));
}

function checkRange(low: number, high: number, where: string): void {
  if (!(Number.isFinite(low) && Number.isFinite(high) && low <= high)) {
    throw new InputError(`${where}: expected finite low ≤ high, got ${low} and ${high}.`);
  }
}

function checkValues<T>(values: readonly T[], where: string): T[] {
  if (values.length === 0) throw new InputError(`${where}.narrow: needs at least one value (no successful trial?).`);
  return values.slice();
}

function unique<T>(values: T[]): T[] {
  return values.filter((v, i) => values.indexOf(v) === i);
}

/** Short number text: 3 significant digits (0.000123, 0.0316, 1.23e-7). */
export function formatValue(x: number): string {
  return String(Number(x.toPrecision(3)));
}
