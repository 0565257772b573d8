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
  assert.deepEqual(
    shuffled.slice().sort((a, b) => a - b),
    items,
  );
});

test("choice picks every element of a list, and only those; int and choice refuse bad input", () => {
  const rng = makeRng(9);
  const items = ["a", "b", "c"] as const;
  const counts = new Map<string, number>();
  for (let i = 0; i < 3000; i++) {
    const item = rng.choice(items);
    counts.set(item, (counts.get(item) ?? 0) + 1);
  }
  assert.deepEqual([...counts.keys()].sort(), ["a", "b", "c"]);
  for (const n of counts.values()) assert.ok(Math.abs(n - 1000) < 100, `count ${n}`); // std ≈ 26
  assert.throws(() => rng.choice([]), /Rng.choice: cannot choose from an empty list/);
  assert.throws(() => rng.int(0), /Rng.int: n must be a whole number ≥ 1, got 0/);
  assert.throws(() => makeRng(NaN), /makeRng: seed must be a finite number, got NaN/);
});

test("fork gives a reproducible stream that differs from its parent's", () => {
  const [a, b] = [makeRng(11), makeRng(11)];
  const [childA, childB] = [a.fork(), b.fork()];
  assert.deepEqual(childA.normalArray(5), childB.normalArray(5));
  assert.notDeepEqual(childA.normalArray(5), a.normalArray(5));
});

test("getState/setState replay the stream exactly, spare normal included, and refuse anything else", () => {
  const rng = makeRng(21);
  rng.normal(); // leaves a Box–Muller spare behind, which the state must carry
  const state = rng.getState();
  const first = [rng.normal(), rng.uniform(), rng.normal(), rng.int(1000)];
  rng.setState(state);
  assert.deepEqual([rng.normal(), rng.uniform(), rng.normal(), rng.int(1000)], first);
  const other = makeRng(22);
  other.setState(state); // a state moves between generators too
  assert.equal(other.normal(), first[0]);
  assert.throws(
    () => rng.setState({ words: [1, 2, 3], spareNormal: null }),
    /Rng\.setState: expected what rng\.getState\(\) returned/,
  );
  assert.throws(() => rng.setState(null as never), /Rng\.setState/);
  assert.deepEqual(rng.getState(), rng.getState(), "getState draws nothing");
});
