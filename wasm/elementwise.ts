// AssemblyScript source of the passes around the multiply (re-exported by wasm/gemm.ts, so they share
// its module and memory; loaded by lib/fast/elementwise-wasm.ts). Their readable twins are in
// lib/layers/layer-kernels.ts, lib/optim/sgd-kernels.ts and lib/core/array-kernels.ts.
//
// exp is written here with IEEE-754 operations only (add, sub, mul, div, nearest, floor, min, max, compare and
// bit moves; no fused multiply-add, no relaxed SIMD), so every machine computes the same bits:
//
//   x = k·ln2 + r,  k = nearest(x / ln2),  |r| ≤ ln2/2     (ln2 split in two: k·ln2hi is exact)
//   eʳ = Σ_{n ≤ 13} rⁿ/n!  (Horner; the first left-out term is < 2⁻⁵⁶ of the sum)
//   eˣ = eʳ · 2^k1 · 2^k2,  k1 = ⌊k/2⌋, k2 = k − k1   (two exact scalings, so 2^k never overflows its exponent)
//
// The SIMD version (two lanes) and the scalar one do the same operations in the same order, so a
// number gets the same result in a vector lane or in a loop's tail. Pointers are byte offsets.

const LN2_HI: f64 = 6.93147180369123816490e-1; // ln 2 rounded to 32 bits: k·LN2_HI is exact for |k| < 2²¹
const LN2_LO: f64 = 1.90821492927058770002e-10; // ln 2 − LN2_HI
const INV_LN2: f64 = 1.44269504088896338700; // 1 / ln 2
const LOWEST: f64 = -746.0; // eˣ rounds to 0 below about −745.13
const HIGHEST: f64 = 710.0; // eˣ overflows to +∞ above about 709.78
const MAGIC: f64 = 6755399441055744.0; // 1.5·2⁵²: adding it puts an integer-valued f64 into the low bits

// 1/n! for n = 2 … 13
const C2: f64 = 1.0 / 2.0;
const C3: f64 = 1.0 / 6.0;
const C4: f64 = 1.0 / 24.0;
const C5: f64 = 1.0 / 120.0;
const C6: f64 = 1.0 / 720.0;
const C7: f64 = 1.0 / 5040.0;
const C8: f64 = 1.0 / 40320.0;
const C9: f64 = 1.0 / 362880.0;
const C10: f64 = 1.0 / 3628800.0;
const C11: f64 = 1.0 / 39916800.0;
const C12: f64 = 1.0 / 479001600.0;
const C13: f64 = 1.0 / 6227020800.0;

/** eˣ for one number (the same bits as a lane of `expLanes`). */
export function exp(x: f64): f64 {
  x = min(max(x, LOWEST), HIGHEST); // NaN stays NaN
  const k = nearest(x * INV_LN2);
  const r = (x - k * LN2_HI) - k * LN2_LO;
  let q = C13;
  q = q * r + C12; q = q * r + C11; q = q * r + C10; q = q * r + C9; q = q * r + C8;
  q = q * r + C7; q = q * r + C6; q = q * r + C5; q = q * r + C4; q = q * r + C3; q = q * r + C2;
  const p = 1.0 + r * (1.0 + r * q); // eʳ
  const k1 = floor(k * 0.5);
  const k2 = k - k1;
  return p * powerOfTwo(k1) * powerOfTwo(k2);
}

// 2^k for an integer k in [−1022, 1023], built from its bits.
@inline
function powerOfTwo(k: f64): f64 {
  return reinterpret<f64>((reinterpret<i64>(k + MAGIC) + 1023) << 52);
}

/** eˣ in both lanes of x: the operations of `exp`, two at a time. */
@inline
function expLanes(x: v128): v128 {
  x = f64x2.pmin(f64x2.pmax(x, f64x2.splat(LOWEST)), f64x2.splat(HIGHEST)); // pmax(a, b) = a < b ? b : a: NaN stays NaN, one instruction
  const k = f64x2.nearest(f64x2.mul(x, f64x2.splat(INV_LN2)));
  const r = f64x2.sub(f64x2.sub(x, f64x2.mul(k, f64x2.splat(LN2_HI))), f64x2.mul(k, f64x2.splat(LN2_LO)));
  let q = f64x2.splat(C13);
  q = f64x2.add(f64x2.mul(q, r), f64x2.splat(C12)); q = f64x2.add(f64x2.mul(q, r), f64x2.splat(C11));
  q = f64x2.add(f64x2.mul(q, r), f64x2.splat(C10)); q = f64x2.add(f64x2.mul(q, r), f64x2.splat(C9));
  q = f64x2.add(f64x2.mul(q, r), f64x2.splat(C8)); q = f64x2.add(f64x2.mul(q, r), f64x2.splat(C7));
  q = f64x2.add(f64x2.mul(q, r), f64x2.splat(C6)); q = f64x2.add(f64x2.mul(q, r), f64x2.splat(C5));
  q = f64x2.add(f64x2.mul(q, r), f64x2.splat(C4)); q = f64x2.add(f64x2.mul(q, r), f64x2.splat(C3));
  q = f64x2.add(f64x2.mul(q, r), f64x2.splat(C2));
  const one = f64x2.splat(1.0);
  const p = f64x2.add(one, f64x2.mul(r, f64x2.add(one, f64x2.mul(r, q))));
  const k1 = f64x2.floor(f64x2.mul(k, f64x2.splat(0.5)));
  const k2 = f64x2.sub(k, k1);
  return f64x2.mul(f64x2.mul(p, powerOfTwoLanes(k1)), powerOfTwoLanes(k2));
}

@inline
function powerOfTwoLanes(k: v128): v128 {
  const bits = i64x2.add(f64x2.add(k, f64x2.splat(MAGIC)), i64x2.splat(1023));
  return i64x2.shl(bits, 52);
}

/** out[i] = e^x[i] for i < count (to measure exp against Math.exp). */
export function expArray(x: usize, out: usize, count: i32): void {
  let i = 0;
  for (; i + 2 <= count; i += 2) v128.store(out + (<usize>i << 3), expLanes(v128.load(x + (<usize>i << 3))));
  for (; i < count; i++) store<f64>(out + (<usize>i << 3), exp(load<f64>(x + (<usize>i << 3))));
}

/** out[i] = σ(x[i]): 1/(1 + e) for x ≥ 0, e/(1 + e) for x < 0, with e = e^(−|x|) (as lib/layers/layer-kernels.ts). */
export function sigmoidForward(x: usize, out: usize, count: i32): void {
  let i = 0;
  const one = f64x2.splat(1.0);
  for (; i + 2 <= count; i += 2) {
    const v = v128.load(x + (<usize>i << 3));
    const e = expLanes(f64x2.neg(f64x2.abs(v)));
    const numerator = v128.bitselect(one, e, f64x2.ge(v, f64x2.splat(0))); // 1 for x ≥ 0, e for x < 0 (and NaN)
    v128.store(out + (<usize>i << 3), f64x2.div(numerator, f64x2.add(one, e))); // one division per lane
  }
  for (; i < count; i++) {
    const v = load<f64>(x + (<usize>i << 3));
    const e = exp(-abs(v));
    store<f64>(out + (<usize>i << 3), v >= 0 ? 1.0 / (1.0 + e) : e / (1.0 + e));
  }
}

/** dX[i] = dOut[i] · (out[i] · (1 − out[i])). */
export function sigmoidBackward(dOut: usize, out: usize, dX: usize, count: i32): void {
  let i = 0;
  const one = f64x2.splat(1.0);
  for (; i + 2 <= count; i += 2) {
    const at = <usize>i << 3;
    const s = v128.load(out + at);
    v128.store(dX + at, f64x2.mul(v128.load(dOut + at), f64x2.mul(s, f64x2.sub(one, s))));
  }
  for (; i < count; i++) {
    const at = <usize>i << 3;
    const s = load<f64>(out + at);
    store<f64>(dX + at, load<f64>(dOut + at) * (s * (1.0 - s)));
  }
}

/** Softmax cross-entropy on z: [n, c] with i32 labels; fills p and dZ, returns the mean loss (as layer-kernels.ts). */
export function softmaxCrossEntropyRows(z: usize, labels: usize, p: usize, dZ: usize, n: i32, c: i32): f64 {
  let total: f64 = 0;
  for (let i = 0; i < n; i++) {
    const row = <usize>(i * c) << 3;
    let m: f64 = -Infinity;
    for (let j = 0; j < c; j++) { const v = load<f64>(z + row + (<usize>j << 3)); if (v > m) m = v; }
    let sumExp: f64 = 0;
    for (let j = 0; j < c; j++) {
      const e = exp(load<f64>(z + row + (<usize>j << 3)) - m);
      store<f64>(p + row + (<usize>j << 3), e);
      sumExp += e;
    }
    const y = load<i32>(labels + (<usize>i << 2));
    total += m + Math.log(sumExp) - load<f64>(z + row + (<usize>y << 3));
    for (let j = 0; j < c; j++) {
      const at = row + (<usize>j << 3);
      const pj = load<f64>(p + at) / sumExp;
      store<f64>(p + at, pj);
      store<f64>(dZ + at, (pj - (j == y ? 1.0 : 0.0)) / <f64>n);
    }
  }
  return total / <f64>n;
}
