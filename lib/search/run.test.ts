import { test } from "node:test";
import assert from "node:assert/strict";
import { logUniform } from "./dimensions";
import { earlyStopReason, runSearch } from "./run";
import { randomTrials, type Trial } from "./space";
import { noisyBowl } from "./test-trials";
import { mlpTrial } from "./trials";

const trial = (id: number, learningRate: number): Trial => ({ id, seed: 100 + id, round: 0, config: { learningRate } });

test("a trial that throws is recorded as failed with its message, and the search goes on", async () => {
  const results = await runSearch([trial(0, 0.01), trial(1, 0.9), trial(2, 0.001)], noisyBowl);
  assert.deepEqual(
    results.map((r) => r.status),
    ["ok", "failed", "ok"],
  );
  assert.equal(results[1].message, "Error: learning rate 0.9 is too large");
  assert.deepEqual(results[0].curves.curve.length, 3);
  assert.equal(results[0].metrics.seed, 100); // the trial ran with its own seed
  assert.ok(results[0].metrics.score > results[2].metrics.score);
});

test("a diverging MLP is recorded as failed with fit's TrainingDivergedError message", async () => {
  const [result] = await runSearch([{ ...trial(0, 1e3), config: { learningRate: 1e3, epochs: 2 } }], mlpTrial);
  assert.equal(result.status, "failed");
  assert.match(result.message, /^TrainingDivergedError: fit: training diverged/);
});

test("the early-stop rule stops hopeless trials and keeps what they reported", async () => {
  const earlyStop = { metric: "score", below: -1, afterEpochs: 2 };
  const results = await runSearch([trial(0, 0.01), trial(1, 1e-4)], noisyBowl, { earlyStop });
  assert.equal(results[0].status, "ok");
  assert.equal(results[1].status, "stopped");
  assert.match(results[1].message, /^stopped after epoch 2: score -4\.0\d* < -1$/);
  assert.ok(results[1].metrics.score < -3.9, "the last reported metric is kept");
});

test("earlyStopReason: NaN stops, a good value or an early epoch does not", () => {
  const rule = { metric: "validationAccuracy", below: 0.5 };
  assert.match(earlyStopReason(rule, 0, { validationAccuracy: NaN }), /is NaN/);
  assert.match(earlyStopReason(rule, 0, { validationAccuracy: 0.3 }), /0\.300 < 0\.5/);
  assert.equal(earlyStopReason(rule, 0, { validationAccuracy: 0.7 }), "");
  assert.equal(earlyStopReason({ ...rule, afterEpochs: 3 }, 1, { validationAccuracy: 0.1 }), "");
  assert.match(earlyStopReason({ metric: "loss", above: 10 }, 0, { loss: 50 }), /loss 50\.0 > 10/);
  assert.equal(earlyStopReason(undefined, 5, { loss: NaN }), "");
});

test("onResult sees every result in order, with the count done", async () => {
  const seen: string[] = [];
  await runSearch(randomTrials({ learningRate: logUniform(1e-3, 0.1) }, { count: 3, seed: 1 }), noisyBowl, {
    // eslint-disable-next-line @typescript-eslint/require-await -- an async onResult, which the search awaits
    onResult: async (r, done, total) => void seen.push(`${r.id} ${done}/${total}`),
  });
  assert.deepEqual(seen, ["0 1/3", "1 2/3", "2 3/3"]);
});

test("a trial function that returns a non-object or a bad value fails with a clear message", async () => {
  const results = await runSearch([trial(0, 0.1), trial(1, 0.1)], (config, { id }) =>
    id === 0 ? (42 as never) : { bad: "text" as never },
  );
  assert.match(results[0].message, /must return an object of metrics/);
  assert.match(results[1].message, /"bad" must be a number or an array/);
});
