import { test } from "node:test";
import assert from "node:assert/strict";
import { choice, logUniform, oneMinusLogUniform, uniform } from "./dimensions";
import { describeSpace, gridTrials, randomTrials, trialSeed } from "./space";

const space = {
  learningRate: logUniform(1e-4, 1),
  beta: oneMinusLogUniform(0.9, 0.999),
  hiddenSize: choice([32, 64, 128]),
};

test("random trials are typed, in range and the same for the same seed", () => {
  const trials = randomTrials(space, { count: 30, seed: 1 });
  const again = randomTrials(space, { count: 30, seed: 1 });
  assert.deepEqual(trials, again);
  assert.notDeepEqual(randomTrials(space, { count: 30, seed: 2 }), trials);
  for (const { config } of trials) {
    const rate: number = config.learningRate; // typed as number by ConfigOf
    assert.ok(
      rate >= 1e-4 &&
        rate <= 1 &&
        config.beta >= 0.9 &&
        config.beta <= 0.999 &&
        [32, 64, 128].includes(config.hiddenSize),
    );
  }
  assert.deepEqual(
    trials.map((t) => t.id),
    [...Array(30).keys()],
  );
});

test("each trial's seed depends only on the search seed and its id", () => {
  const trials = randomTrials(space, { count: 5, seed: 9, firstId: 10 });
  assert.deepEqual(
    trials.map((t) => t.seed),
    [10, 11, 12, 13, 14].map((id) => trialSeed(9, id)),
  );
  const seeds = new Set(Array.from({ length: 1000 }, (_, id) => trialSeed(9, id)));
  assert.equal(seeds.size, 1000);
  assert.ok([...seeds].every((s) => Number.isInteger(s) && s >= 0 && s < 2147483647));
});

test("a 3×3 grid tries 3 learning rates; 9 random trials try 9", () => {
  const twoD = { learningRate: logUniform(1e-4, 1), weightScale: uniform(0, 1) };
  const grid = gridTrials(twoD, { points: 3, seed: 1 });
  assert.equal(grid.length, 9);
  assert.equal(new Set(grid.map((t) => t.config.learningRate)).size, 3);
  assert.equal(new Set(randomTrials(twoD, { count: 9, seed: 1 }).map((t) => t.config.learningRate)).size, 9);
  assert.deepEqual(
    grid.slice(0, 3).map((t) => t.config.weightScale),
    [0, 0.5, 1],
  ); // the last dimension varies fastest
});

test("grid points can be given per dimension; choices use all their values", () => {
  const grid = gridTrials(space, { points: { learningRate: 4, beta: 2 }, seed: 1 });
  assert.equal(grid.length, 4 * 2 * 3);
  assert.match(
    describeSpace(space),
    /learningRate: logUniform\(0\.0001, 1\)\nbeta: oneMinusLogUniform\(0\.9, 0\.999\)/,
  );
});

test("an empty space or a non-dimension is rejected", () => {
  assert.throws(() => randomTrials({}, { count: 3, seed: 1 }), /search space is empty/);
  assert.throws(() => randomTrials({ rate: 0.1 } as never, { count: 3, seed: 1 }), /"rate" is not a dimension/);
});
