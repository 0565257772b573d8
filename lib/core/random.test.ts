import { test } from "node:test";
import assert from "node:assert/strict";
import { makeRng } from "./random";

test("the same seed gives bit-identical streams", () => {
  const a = makeRng(42);
  const b = makeRng(42);
  for (let i = 0; i < 100; i++) assert.equal(a.normal(), b.normal());
});

test("different seeds give different streams", () => {
  assert.notEqual(makeRng(1).uniform(), makeRng(2).uniform());
});

test("normal samples have mean ≈ 0 and variance ≈ 1", () => {
  const xs = makeRng(7).normalArray(100000);
  const mean = xs.reduce((s, v) => s + v, 0) / xs.length;
  const variance = xs.reduce((s, v) => s + (v - mean) ** 2, 0) / xs.length;
  assert.ok(Math.abs(mean) < 0.01, `mean ${mean}`);
  assert.ok(Math.abs(variance - 1) < 0.02, `variance ${variance}`);
});

test("uniform stays in [low, high) and int in [0, n)", () => {
  const rng = makeRng(3);
  for (let i = 0; i < 10000; i++) {
    const u = rng.uniform(-2, 5);
    assert.ok(u >= -2 && u < 5);
    const k = rng.int(7);
    assert.ok(Number.isInteger(k) && k >= 0 && k < 7);
  }
});

test("shuffle is a permutation", () => {
  const items = [...Array(50).keys()];
  const shuffled = makeRng(5).shuffle(items.slice());
  assert.notDeepEqual(shuffled, items);
  assert.deepEqual(shuffled.slice().sort((a, b) => a - b), items);
});
