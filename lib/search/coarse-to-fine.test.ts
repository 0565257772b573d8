import { test } from "node:test";
import assert from "node:assert/strict";
import { choice, logUniform } from "./dimensions";
import { coarseToFine, edgeWarnings, narrowSpace } from "./coarse-to-fine";
import { runSearch, type TrialResult } from "./run";
import { noisyBowl } from "./test-trials";

const space = { learningRate: logUniform(1e-4, 0.4) };

test("coarse-to-fine rounds close in on the best learning rate (10^-2) in log scale", async () => {
  const rounds = await coarseToFine(space, (trials) => runSearch(trials, noisyBowl), {
    rounds: 3,
    trialsPerRound: 10,
    seed: 3,
    metric: "score",
    topK: 3,
  });
  assert.deepEqual(
    rounds.map((r) => r.results.map((t) => t.round)),
    [0, 1, 2].map((k) => Array<number>(10).fill(k)),
  );
  assert.deepEqual(
    rounds[2].results.map((t) => t.id),
    [20, 21, 22, 23, 24, 25, 26, 27, 28, 29],
  );
  const widths = rounds.map((r) => {
    const d = r.space.learningRate as ReturnType<typeof logUniform>;
    return Math.log10(d.grid(2)[1] / d.grid(2)[0]); // width in decades
  });
  assert.ok(widths[1] < widths[0] && widths[2] < widths[1], `widths ${widths.join(", ")}`);
  const d = rounds[2].space.learningRate as ReturnType<typeof logUniform>;
  const [low, high] = d.grid(2);
  assert.ok(low < 1e-2 && 1e-2 < high, `final range [${low}, ${high}] holds the optimum`);
  const spread = (k: number) =>
    Math.max(...rounds[k].results.map((t) => Math.abs(Math.log10(Number(t.config.learningRate)) + 2)));
  assert.ok(spread(2) < spread(0));
});

test("narrowSpace keeps the top-k values' range, ignores failed trials, and keeps the used choices", () => {
  const make = (
    id: number,
    learningRate: number,
    score: number,
    status: TrialResult["status"] = "ok",
  ): TrialResult => ({
    id,
    seed: id,
    round: 0,
    config: { learningRate, width: id % 2 ? 16 : 64 },
    status,
    metrics: { score },
    curves: {},
    message: "",
    seconds: 0,
  });
  const results = [
    make(0, 1e-3, 0.9),
    make(1, 1e-2, 0.8),
    make(2, 0.3, 0.99, "failed"),
    make(3, 1e-4, 0.1),
    make(4, 0.1, 0.85),
  ];
  const narrowed = narrowSpace({ learningRate: logUniform(1e-4, 1), width: choice([16, 32, 64]) }, results, {
    metric: "score",
    topK: 3,
    margin: 0,
  });
  assert.deepEqual(
    narrowed.learningRate.grid(2).map((v) => Number(v.toPrecision(6))),
    [1e-3, 0.1],
  );
  assert.deepEqual(narrowed.width.grid(1), [16, 64]);
  assert.throws(() => narrowSpace(space, [results[2]], { metric: "score" }), /no successful trial/);
});

test("edgeWarnings flags a best value at the edge of its range, not one inside", async () => {
  const inside = await runSearch(coarseTrials(logUniform(1e-4, 0.4)), noisyBowl);
  assert.deepEqual(edgeWarnings({ learningRate: logUniform(1e-4, 0.4) }, inside, { metric: "score" }), []);
  const tooLow = { learningRate: logUniform(1e-4, 1e-3) }; // the optimum 1e-2 is above the range
  const warnings = edgeWarnings(tooLow, await runSearch(coarseTrials(tooLow.learningRate), noisyBowl), {
    metric: "score",
  });
  assert.equal(warnings.length, 1);
  assert.match(
    warnings[0],
    /^learningRate = 0\.001 \(best score\) lies at the upper edge of logUniform\(0\.0001, 0\.001\)/,
  );
});

function coarseTrials(dimension: ReturnType<typeof logUniform>) {
  return dimension.grid(9).map((learningRate, id) => ({ id, seed: id, round: 0, config: { learningRate } }));
}
