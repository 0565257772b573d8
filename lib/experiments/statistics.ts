/**
 * Numbers that summarize a layer while it trains (Karpathy's "diagnostics", makemore part 3;
 * CS231n's "babysitting the learning process"):
 *
 *   valueStatistics(v)             mean, std (÷n), min, max of any set of numbers
 *   percentilesOf(v, [15, 50, 85]) the p-th percentiles (linear interpolation, NumPy's default)
 *   saturationFraction(a, kind)    share of units in the flat part of their non-linearity
 *   updateToDataRatio(Δθ, θ)       std(Δθ) / std(θ): how far one step moves a parameter (≈ 1e-3 is healthy)
 *   frobeniusNorm(m)               ‖m‖ = √(Σ m²)
 */
import { assertMatrix, describeValue, InputError, isMatrix, isNumberList } from "../core/checks";
import type { Matrix } from "../core/matrix";

/** What `valueStatistics` returns. */
export interface ValueStatistics {
  mean: number;
  /** Standard deviation with ÷n (the population formula). */
  std: number;
  min: number;
  max: number;
  count: number;
}

/** mean = Σv/n, std = √(Σ(v − mean)²/n), min, max of `values` (a Matrix's data or any list). */
export function valueStatistics(values: ArrayLike<number> | Matrix): ValueStatistics {
  const v = asValues(values, "valueStatistics values");
  if (v.length === 0) throw new InputError("valueStatistics: got no values; pass a non-empty list or Matrix.");
  let sum = 0;
  let min = Infinity;
  let max = -Infinity;
  for (let i = 0; i < v.length; i++) {
    sum += v[i];
    if (v[i] < min) min = v[i];
    if (v[i] > max) max = v[i];
  }
  const mean = sum / v.length;
  let squares = 0;
  for (let i = 0; i < v.length; i++) squares += (v[i] - mean) ** 2;
  return { mean, std: Math.sqrt(squares / v.length), min, max, count: v.length };
}

/**
 * The p-th percentile of `values` for each p in `ps` (0…100): position p/100·(n − 1) of the sorted values,
 * interpolated.
 */
export function percentilesOf(values: ArrayLike<number> | Matrix, ps: number[]): number[] {
  const sorted = Float64Array.from(asValues(values, "percentilesOf values")).sort();
  if (!Array.isArray(ps))
    throw new InputError(
      `percentilesOf ps: expected an array of percentiles such as [15, 50, 85], got ${describeValue(ps)}.`,
    );
  if (sorted.length === 0) throw new InputError("percentilesOf: got no values; pass a non-empty list or Matrix.");
  return ps.map((p) => {
    if (!(p >= 0 && p <= 100)) throw new InputError(`percentilesOf: each percentile must be in [0, 100], got ${p}.`);
    const position = (p / 100) * (sorted.length - 1);
    const below = Math.floor(position);
    const above = Math.min(below + 1, sorted.length - 1);
    return sorted[below] + (position - below) * (sorted[above] - sorted[below]);
  });
}

/** The non-linearities whose saturation `saturationFraction` can measure. */
export type SaturatingActivation = "tanh" | "sigmoid" | "relu";

/**
 * Share of an activation's OUTPUTS a: [N, H] in its flat region, where f′ ≈ 0 and gradients die:
 *   tanh     |a| > threshold              (default 0.97, Karpathy's makemore)
 *   sigmoid  |2a − 1| > threshold         (a < 0.015 or a > 0.985 for 0.97: the same as tanh, σ(x) = (1 + tanh(x/2))/2)
 *   relu     a = 0                         (the unit is off for that example)
 */
export function saturationFraction(
  activations: Matrix,
  kind: SaturatingActivation,
  { threshold = 0.97 }: { threshold?: number } = {},
): number {
  assertMatrix(activations, "saturationFraction activations");
  const a = activations.data;
  if (a.length === 0)
    throw new InputError("saturationFraction: got an empty matrix; pass the activations of a batch, [N, H].");
  const saturated: Record<SaturatingActivation, (v: number) => boolean> = {
    tanh: (v) => Math.abs(v) > threshold,
    sigmoid: (v) => Math.abs(2 * v - 1) > threshold,
    relu: (v) => v === 0,
  };
  const test = Object.prototype.hasOwnProperty.call(saturated, kind) ? saturated[kind] : undefined;
  if (test === undefined)
    throw new InputError(`saturationFraction: kind must be "tanh", "sigmoid" or "relu", got ${JSON.stringify(kind)}.`);
  let count = 0;
  for (let i = 0; i < a.length; i++) if (test(a[i])) count++;
  return count / a.length;
}

/**
 * std(update) / std(value): the size of one step relative to the parameter it changes.
 * update = θ_after − θ_before (or −α·g for plain SGD); value = θ_before; both the same shape.
 * Karpathy's rule of thumb: log₁₀ of this ≈ −3 for the weights; much lower learns slowly, much higher is unstable.
 */
export function updateToDataRatio(update: Matrix, value: Matrix): number {
  assertMatrix(update, "updateToDataRatio update");
  assertMatrix(value, "updateToDataRatio value");
  if (update.rows !== value.rows || update.cols !== value.cols) {
    throw new InputError(
      `updateToDataRatio: update [${update.rows}, ${update.cols}] and ` +
        `value [${value.rows}, ${value.cols}] must have the same shape.`,
    );
  }
  const valueStd = valueStatistics(value).std;
  return valueStd === 0 ? Infinity : valueStatistics(update).std / valueStd;
}

/** ‖m‖ = √(Σᵢⱼ m²ᵢⱼ), the Frobenius (ℓ2) norm. */
export function frobeniusNorm(m: Matrix): number {
  assertMatrix(m, "frobeniusNorm m");
  let s = 0;
  for (let i = 0; i < m.data.length; i++) s += m.data[i] * m.data[i];
  return Math.sqrt(s);
}

/** The numbers of a Matrix or a list; anything else is rejected, naming `where`. */
function asValues(values: ArrayLike<number> | Matrix, where: string): ArrayLike<number> {
  if (isMatrix(values)) return values.data;
  if (isNumberList(values)) return values;
  throw new InputError(`${where}: expected a Matrix or an array of numbers, got ${describeValue(values)}.`);
}

/** What `densityHistogram` returns: bin centres and the density in each bin (area 1). */
export interface DensityHistogram {
  centers: number[];
  density: number[];
}

/**
 * A histogram as a density, for drawing as a line (Karpathy plots layer histograms this way; it keeps
 * figures small however many values there are): `bins` equal bins over [low, high];
 * density_k = count_k / (n · width). Values outside [low, high] are counted in no bin.
 */
export function densityHistogram(
  values: ArrayLike<number> | Matrix,
  { bins = 40, low, high }: { bins?: number; low: number; high: number },
): DensityHistogram {
  const v = asValues(values, "densityHistogram values");
  if (!(high > low)) throw new InputError(`densityHistogram: need low < high, got [${low}, ${high}].`);
  if (!Number.isInteger(bins) || bins < 1)
    throw new InputError(`densityHistogram: bins must be a whole number ≥ 1, got ${bins}.`);
  const width = (high - low) / bins;
  const counts = new Array<number>(bins).fill(0);
  for (let i = 0; i < v.length; i++) {
    if (!(v[i] >= low && v[i] <= high)) continue;
    counts[Math.min(bins - 1, Math.floor((v[i] - low) / width))] += 1; // the top edge belongs to the last bin
  }
  return {
    centers: counts.map((_, k) => low + (k + 0.5) * width),
    density: counts.map((c) => (v.length === 0 ? 0 : c / (v.length * width))),
  };
}
