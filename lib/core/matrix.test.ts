import { test } from "node:test";
import assert from "node:assert/strict";
import { inspect } from "node:util";
import { Matrix } from "./matrix";
import { gemmReference } from "./gemm";
import { makeRng } from "./random";

test("matmul multiplies [2,3]·[3,2] as written by hand", () => {
  const a = Matrix.from([
    [1, 2, 3],
    [4, 5, 6],
  ]);
  const b = Matrix.from([
    [7, 8],
    [9, 10],
    [11, 12],
  ]);
  assert.deepEqual(a.matmul(b).toArray(), [
    [58, 64],
    [139, 154],
  ]);
});

test("the transposed multiplies equal multiplying by an explicit transpose", () => {
  const rng = makeRng(1);
  const a = new Matrix(4, 3, rng.normalArray(12));
  const b = new Matrix(5, 3, rng.normalArray(15));
  const c = new Matrix(4, 5, rng.normalArray(20));
  assert.deepEqual(a.matmulTransposeB(b).toArray(), a.matmul(b.transpose()).toArray());
  assert.deepEqual(a.matmulTransposeA(c).toArray(), a.transpose().matmul(c).toArray());
});

test("gemm with accumulate adds into c", () => {
  const c = new Float64Array([1, 1, 1, 1]);
  gemmReference({
    m: 2,
    n: 2,
    k: 1,
    a: new Float64Array([1, 2]),
    b: new Float64Array([3, 4]),
    c,
    transposeA: false,
    transposeB: false,
    accumulate: true,
  });
  assert.deepEqual(Array.from(c), [4, 5, 7, 9]);
});

test("mismatched inner sizes name both shapes", () => {
  assert.throws(() => Matrix.zeros(2, 3).matmul(Matrix.zeros(2, 3)), /\[2, 3\] · \[2, 3\] \(3 ≠ 2\)/);
});

test("row and column reductions and broadcasting", () => {
  const x = Matrix.from([
    [1, 2],
    [3, 4],
    [5, 6],
  ]);
  assert.deepEqual(x.sumRows().toArray(), [[9, 12]]);
  assert.deepEqual(x.meanRows().toArray(), [[3, 4]]);
  assert.deepEqual(x.sumCols().toArray(), [[3], [7], [11]]);
  assert.deepEqual(x.meanCols().toArray(), [[1.5], [3.5], [5.5]]);
  assert.equal(x.sum(), 21);
  assert.deepEqual(x.addRow(Matrix.row([10, 20])).toArray(), [
    [11, 22],
    [13, 24],
    [15, 26],
  ]);
  assert.throws(() => x.addRow(Matrix.row([1, 2, 3])), /expected a row vector \[1, 2\], got \[1, 3\]/);
});

test("Matrix.from rejects ragged rows", () => {
  assert.throws(() => Matrix.from([[1, 2], [3]]), /row 1 has 1 numbers, row 0 has 2/);
});

test("prints as a short table, not typed-array internals", () => {
  const text = inspect(new Matrix(20, 20));
  assert.match(text, /^Matrix \[20, 20\]/);
  assert.ok(text.includes("⋮") && text.includes("…"));
  assert.ok(!text.includes("Float64Array"));
});

test("matmul with out and accumulate adds the product into out", () => {
  const a = Matrix.from([
    [1, 2],
    [3, 4],
  ]);
  const b = Matrix.from([
    [5, 6],
    [7, 8],
  ]);
  const out = Matrix.from([
    [1, 1],
    [1, 1],
  ]);
  assert.equal(a.matmul(b, out, true), out);
  assert.deepEqual(out.toArray(), [
    [20, 23],
    [44, 51],
  ]);
  a.matmulTransposeA(b, out, true); // aᵀ·b = [[26, 30], [38, 44]]
  assert.deepEqual(out.toArray(), [
    [46, 53],
    [82, 95],
  ]);
  a.matmulTransposeB(b, out); // without accumulate: overwrite with a·bᵀ
  assert.deepEqual(out.toArray(), [
    [17, 23],
    [39, 53],
  ]);
  assert.throws(() => a.matmul(b, undefined, true), /accumulate adds into out/);
});

test("selectRows copies the chosen rows into out when given, and checks its shape", () => {
  const m = Matrix.from([
    [1, 2],
    [3, 4],
    [5, 6],
  ]);
  const out = Matrix.full(2, 2, 9);
  assert.equal(m.selectRows([2, 0], out), out);
  assert.deepEqual(out.toArray(), [
    [5, 6],
    [1, 2],
  ]);
  assert.throws(() => m.selectRows([0], out), /selectRows: out must be \[1, 2\]/);
});
