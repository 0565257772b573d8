/**
 * One measurement repeated over several seeds, summarized for an error bar:
 *
 *   mean          = Σₖ vₖ / n
 *   std           = √(Σₖ (vₖ − mean)² / (n − 1))      (sample standard deviation: the seed-to-seed spread)
 *   standardError = std / √n                          (uncertainty of the mean itself)
 *
 * values: [n] with n ≥ 2 (one seed has no spread). A difference between two means smaller than
 * about two standard errors of the difference, √(SE₁² + SE₂²), is not evidence of an effect.
 */
import { InputError } from "../core/checks";

/** Mean, sample standard deviation and standard error of one quantity measured with n seeds. */
export interface SeedSpread {
  mean: number;
  std: number;
  standardError: number;
  count: number;
}

/** Summarizes `values` (one per seed, n ≥ 2, all finite) as mean, sample std (÷(n − 1)) and standard error. */
export function seedSpread(values: ArrayLike<number>): SeedSpread {
  const v = Array.from(values);
  if (v.length < 2) throw new InputError(`seedSpread: got ${v.length} value(s); a spread needs at least 2 seeds.`);
  const bad = v.findIndex((x) => !Number.isFinite(x));
  if (bad >= 0)
    throw new InputError(
      `seedSpread: value ${bad} is ${v[bad]}; pass finite numbers (a diverged run needs its own handling).`,
    );
  const mean = v.reduce((a, b) => a + b, 0) / v.length;
  const std = Math.sqrt(v.reduce((a, b) => a + (b - mean) ** 2, 0) / (v.length - 1));
  return { mean, std, standardError: std / Math.sqrt(v.length), count: v.length };
}

/** True when two seed summaries differ by more than `k` (default 2) standard errors of their difference. */
export function differsBeyondNoise(a: SeedSpread, b: SeedSpread, k = 2): boolean {
  return Math.abs(a.mean - b.mean) > k * Math.sqrt(a.standardError ** 2 + b.standardError ** 2);
}
