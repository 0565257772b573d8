/**
 * Engine-independent exp, log, tanh, 10ˣ and the sine and cosine of 2πu, built from + − × ÷ only.
 *
 * Why: ECMAScript leaves `Math.exp`, `Math.log`, `Math.sin`, `Math.tanh`, `**` … "implementation-approximated".
 * Chromium 156 and Node 20 round about 1 input in 10 (exp, log, sin, cos, `x ** 3`, `10 ** x`) differently in
 * the last bit (scripts/lite/measure-math.mjs measures it), and a seeded notebook then prints other digits in the
 * browser. + − × ÷ are correctly rounded by IEEE 754 everywhere, so these functions give the same bits in every
 * engine. Each is the textbook recipe: reduce the argument exactly, then a Taylor polynomial (Horner's rule).
 * Accuracy: exp and log ≤ 1 ulp, tanh ≤ 3, exp10 ≤ 4 (math.test.ts compares against `Math.*` on many inputs).
 */

/** ln 2 split in two (Cody & Waite): LN2_HI has 21 trailing zero bits, so k·LN2_HI is exact for |k| < 2¹¹. */
const LN2_HI = 0.6931471803691238; // 0x3FE62E42FEE00000
const LN2_LO = 1.9082149292705877e-10; // ln 2 − LN2_HI

/** 1/n! for n = 0 … 19, each one correctly rounded division. */
const INV_FACTORIAL = Array.from({ length: 20 }, (_, n) => 1 / factorial(n));

function factorial(n: number): number {
  let f = 1;
  for (let k = 2; k <= n; k++) f *= k; // exact up to 18!, one rounding at 19!
  return f;
}

/** Σₙ coefficients[n]·xⁿ by Horner's rule (highest power first). */
function horner(coefficients: readonly number[], x: number): number {
  let sum = 0;
  for (let n = coefficients.length - 1; n >= 0; n--) sum = sum * x + coefficients[n];
  return sum;
}

/** 2ᵏ for integer k in [−1022, 1023], built by doubling and halving: exact. */
const POW2 = (() => {
  const table = new Float64Array(2046);
  table[1022] = 1;
  for (let k = 1; k <= 1023; k++) table[1022 + k] = table[1021 + k] * 2;
  for (let k = 1; k <= 1022; k++) table[1022 - k] = table[1023 - k] / 2;
  return table;
})();

/** y·2ᵏ for any integer k (two steps when 2ᵏ itself is out of range). */
function scaleByPowerOfTwo(y: number, k: number): number {
  if (k > 1023) return y * POW2[1022 + 1023] * POW2[1022 + k - 1023];
  if (k < -1022) return y * POW2[1022 - 1022] * POW2[1022 + k + 1022];
  return y * POW2[1022 + k];
}

const EXP_TAYLOR = INV_FACTORIAL.slice(0, 15); // eʳ = Σ rⁿ/n!, |r| ≤ ln2/2: the 14th term < 2⁻⁵⁶

/**
 * eˣ = 2ᵏ · eʳ with k = round(x / ln 2) and r = x − k·ln 2 ∈ [−ln2/2, ln2/2] (exact via the split ln 2),
 * eʳ by its Taylor series. Same bits in every JavaScript engine; ≈ 1 ulp from the true value.
 */
export function exp(x: number): number {
  if (Number.isNaN(x)) return NaN;
  if (x > 709.782712893384) return Infinity; // e^x > largest double
  if (x < -745.1332191019412) return 0; // e^x < half the smallest subnormal
  const k = Math.round(x * Math.LOG2E);
  const r = x - k * LN2_HI - k * LN2_LO;
  return scaleByPowerOfTwo(horner(EXP_TAYLOR, r), k);
}

/** 2/(2n+1) for n = 1 … 11: 2·atanh(s) = 2s + s·Σₙ 2s²ⁿ/(2n+1). */
const ATANH_TERMS = [0, ...Array.from({ length: 11 }, (_, n) => 2 / (2 * n + 3))];
const bits = new DataView(new ArrayBuffer(8));

/**
 * ln x = k·ln 2 + ln m, where x = 2ᵏ·m with m ∈ (√2/2, √2] (read from the bits, exact), and
 * ln m = ln(1 + f) = 2·atanh(s), s = f/(2 + f), |s| ≤ 0.172, summed as f − (f²/2 − s·(f²/2 + R(s²))).
 * Same bits in every JavaScript engine; ≈ 1 ulp from the true value.
 */
export function log(x: number): number {
  if (Number.isNaN(x) || x < 0) return NaN;
  if (x === 0) return -Infinity;
  if (x === Infinity) return Infinity;
  let k = 0;
  if (x < 2.2250738585072014e-308) [x, k] = [x * 18014398509481984, -54]; // subnormal: × 2⁵⁴ first
  bits.setFloat64(0, x);
  const high = bits.getUint32(0);
  k += (high >>> 20) - 1023; // the exponent field
  bits.setUint32(0, (high & 0x000fffff) | 0x3ff00000); // the same mantissa with exponent 0: m ∈ [1, 2)
  let m = bits.getFloat64(0);
  if (m > Math.SQRT2) [m, k] = [m / 2, k + 1];
  const f = m - 1; // exact (Sterbenz)
  const s = f / (2 + f);
  const halfSquare = 0.5 * f * f;
  const R = horner(ATANH_TERMS, s * s); // Σₙ 2s²ⁿ/(2n+1), n ≥ 1
  return k * LN2_HI + (f - (halfSquare - (s * (halfSquare + R) + k * LN2_LO)));
}

const EXPM1_TAYLOR = [0, ...INV_FACTORIAL.slice(1, 20)]; // eʸ − 1 = Σₙ≥₁ yⁿ/n!, |y| ≤ 1: the 19th term < 2⁻⁵⁸

/**
 * tanh x = (eˣ − e⁻ˣ)/(eˣ + e⁻ˣ), odd. For |x| ≥ 0.5: 1 − 2/(e²ˣ + 1); for |x| < 0.5: e/(e + 2) with e = e²ˣ − 1
 * from its Taylor series (no cancellation near 0). Same bits in every JavaScript engine; ≤ 3 ulp.
 */
export function tanh(x: number): number {
  const a = Math.abs(x);
  if (!(a < 22)) return Number.isNaN(x) ? NaN : Math.sign(x); // |tanh x| rounds to 1 beyond 22
  if (a === 0) return x; // keeps −0
  let t: number;
  if (a >= 0.5) t = 1 - 2 / (exp(2 * a) + 1);
  else {
    const e = horner(EXPM1_TAYLOR, 2 * a);
    t = e / (e + 2);
  }
  return x < 0 ? -t : t;
}

const LN10 = 2.302585092994046;

/** 10ˣ = 10ⁿ · e^((x − n)·ln 10), n = round(x); 10ⁿ parsed from "1e<n>" (correctly rounded): 10⁻⁴ is exactly 1e-4. */
export function exp10(x: number): number {
  if (!Number.isFinite(x)) return Number.isNaN(x) ? NaN : x > 0 ? Infinity : 0;
  const n = Math.round(x);
  const power = Number(`1e${n}`);
  return n === x ? power : power * exp((x - n) * LN10);
}

const SIN_TAYLOR = Array.from({ length: 10 }, (_, n) => (n % 2 === 0 ? 1 : -1) * INV_FACTORIAL[2 * n + 1]);
const COS_TAYLOR = Array.from({ length: 10 }, (_, n) => (n % 2 === 0 ? 1 : -1) * INV_FACTORIAL[2 * n]);

/**
 * [cos 2πu, sin 2πu] for a number of turns u: 4u = q + f exactly (q whole, |f| ≤ ½), then with x = f·π/2 ∈ [−π/4, π/4]
 * cos and sin of qπ/2 + x are ±cos x or ±sin x by quadrant, each by its Taylor series. Engine-independent;
 * within 1e-15 of `Math.cos(2 * Math.PI * u)` (whose rounded argument is the less exact).
 */
export function cosSinTurns(u: number): [number, number] {
  const t = 4 * u; // exact
  const q = Math.round(t);
  const x = (t - q) * (Math.PI / 2); // t − q exact
  const z = x * x;
  const [c, s] = [horner(COS_TAYLOR, z), x * horner(SIN_TAYLOR, z)];
  switch (((q % 4) + 4) % 4) {
    case 0:
      return [c, s];
    case 1:
      return [-s, c];
    case 2:
      return [-c, -s];
    default:
      return [s, -c];
  }
}
