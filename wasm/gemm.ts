// AssemblyScript source of the WebAssembly SIMD matrix multiply (built by scripts/build-wasm.mjs
// into dist/wasm/gemm.wasm; loaded by lib/fast/gemm-wasm.ts). Not compiled by tsc: `f64`, `v128`
// and `load<T>` are AssemblyScript built-ins.
//
//   C = op(A) · op(B)      (+ C when `accumulate`)      — the contract of lib/core/gemm.ts
//
// Same algorithm as lib/fast/gemm-packed.ts (pack a KC-deep block of op(B) into NR-wide column
// panels and an MC×KC block of op(A) into MR-tall row panels, then a register-blocked
// micro-kernel), but the micro-kernel holds its 4×4 tile of C in eight f64x2 vectors: two lanes
// per instruction. All pointers are byte offsets into this module's memory, chosen by the loader.

const MR: i32 = 4; // rows of C per micro-kernel call
const NR: i32 = 4; // columns of C per micro-kernel call
const KC: i32 = 256; // depth of one packed block
const MC: i32 = 64; // rows of op(A) packed at once

/** Bytes of scratch that `gemm` needs for a product with n columns (packed A, packed B, one tile). */
export function scratchBytes(n: i32): i32 {
  const nPadded = ((n + NR - 1) / NR) * NR;
  return (MC * KC + KC * nPadded + MR * NR) << 3;
}

/** c = op(a)·op(b) (or c += … when accumulate); a, b, c, scratch are byte offsets of f64 arrays. */
export function gemm(m: i32, n: i32, k: i32, a: usize, b: usize, c: usize,
  transposeA: bool, transposeB: bool, accumulate: bool, scratch: usize): void {
  if (!accumulate) memory.fill(c, 0, <usize>(m * n) << 3);
  if (m == 0 || n == 0 || k == 0) return;
  const packedA = scratch;
  const packedB = packedA + (<usize>(MC * KC) << 3);
  const nPadded = ((n + NR - 1) / NR) * NR;
  const tile = packedB + (<usize>(KC * nPadded) << 3);
  for (let p0 = 0; p0 < k; p0 += KC) {
    const kc = min(KC, k - p0);
    packB(n, k, b, transposeB, p0, kc, packedB);
    for (let i0 = 0; i0 < m; i0 += MC) {
      const mc = min(MC, m - i0);
      packA(m, k, a, transposeA, i0, mc, p0, kc, packedA);
      multiplyBlock(mc, n, kc, i0, c, packedA, packedB, tile);
    }
  }
}

// op(B)[p0 : p0+kc, 0 : n] as NR-wide column panels, zero-padded past n.
function packB(n: i32, k: i32, b: usize, transposeB: bool, p0: i32, kc: i32, out: usize): void {
  for (let j0 = 0; j0 < n; j0 += NR) {
    for (let p = p0; p < p0 + kc; p++) {
      for (let j = j0; j < j0 + NR; j++) {
        const index = transposeB ? j * k + p : p * n + j; // op(B)[p][j]
        store<f64>(out, j < n ? load<f64>(b + (<usize>index << 3)) : 0.0);
        out += 8;
      }
    }
  }
}

// op(A)[i0 : i0+mc, p0 : p0+kc] as MR-tall row panels, zero-padded past mc.
function packA(m: i32, k: i32, a: usize, transposeA: bool, i0: i32, mc: i32, p0: i32, kc: i32, out: usize): void {
  for (let r0 = i0; r0 < i0 + mc; r0 += MR) {
    for (let p = p0; p < p0 + kc; p++) {
      for (let i = r0; i < r0 + MR; i++) {
        const index = transposeA ? p * m + i : i * k + p; // op(A)[i][p]
        store<f64>(out, i < i0 + mc ? load<f64>(a + (<usize>index << 3)) : 0.0);
        out += 8;
      }
    }
  }
}

// C[i0 : i0+mc, :] += packed A block · packed B block, one MR×NR tile at a time.
function multiplyBlock(mc: i32, n: i32, kc: i32, i0: i32, c: usize, packedA: usize, packedB: usize, tile: usize): void {
  for (let j0 = 0; j0 < n; j0 += NR) {
    const bPanel = packedB + (<usize>(j0 * kc) << 3);
    for (let r0 = 0; r0 < mc; r0 += MR) {
      const aPanel = packedA + (<usize>(r0 * kc) << 3);
      const rows = min(MR, mc - r0);
      const cols = min(NR, n - j0);
      const cTile = c + (<usize>((i0 + r0) * n + j0) << 3);
      if (rows == MR && cols == NR) {
        microKernel(kc, aPanel, bPanel, cTile, <usize>n << 3);
      } else {
        memory.fill(tile, 0, <usize>(MR * NR) << 3);
        microKernel(kc, aPanel, bPanel, tile, <usize>NR << 3);
        for (let i = 0; i < rows; i++) {
          for (let j = 0; j < cols; j++) {
            const at = cTile + (<usize>(i * n + j) << 3);
            store<f64>(at, load<f64>(at) + load<f64>(tile + (<usize>(i * NR + j) << 3)));
          }
        }
      }
    }
  }
}

// The 4×4 tile at c (row stride `rowBytes`) += Σₚ aPanel[p] ⊗ bPanel[p]. Row i of the tile is two
// f64x2 accumulators (columns 0–1 and 2–3); a[i] is loaded once and splatted to both lanes.
@inline
function microKernel(kc: i32, aPanel: usize, bPanel: usize, c: usize, rowBytes: usize): void {
  let c0l = f64x2.splat(0), c0h = f64x2.splat(0);
  let c1l = f64x2.splat(0), c1h = f64x2.splat(0);
  let c2l = f64x2.splat(0), c2h = f64x2.splat(0);
  let c3l = f64x2.splat(0), c3h = f64x2.splat(0);
  for (let p = 0; p < kc; p++) {
    const bl = v128.load(bPanel);
    const bh = v128.load(bPanel, 16);
    let ai = v128.load64_splat(aPanel);
    c0l = f64x2.add(c0l, f64x2.mul(ai, bl)); c0h = f64x2.add(c0h, f64x2.mul(ai, bh));
    ai = v128.load64_splat(aPanel, 8);
    c1l = f64x2.add(c1l, f64x2.mul(ai, bl)); c1h = f64x2.add(c1h, f64x2.mul(ai, bh));
    ai = v128.load64_splat(aPanel, 16);
    c2l = f64x2.add(c2l, f64x2.mul(ai, bl)); c2h = f64x2.add(c2h, f64x2.mul(ai, bh));
    ai = v128.load64_splat(aPanel, 24);
    c3l = f64x2.add(c3l, f64x2.mul(ai, bl)); c3h = f64x2.add(c3h, f64x2.mul(ai, bh));
    aPanel += MR << 3;
    bPanel += NR << 3;
  }
  addRow(c, c0l, c0h); c += rowBytes;
  addRow(c, c1l, c1h); c += rowBytes;
  addRow(c, c2l, c2h); c += rowBytes;
  addRow(c, c3l, c3h);
}

// c[0..4) += (low, high)
@inline
function addRow(c: usize, low: v128, high: v128): void {
  v128.store(c, f64x2.add(v128.load(c), low));
  v128.store(c, f64x2.add(v128.load(c, 16), high), 16);
}
export * from "./elementwise";
