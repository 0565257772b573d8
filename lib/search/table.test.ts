import { test } from "node:test";
import assert from "node:assert/strict";
import type { TrialResult } from "./run";
import { bestResult, formatResults, sortResults } from "./table";

const result = (id: number, accuracy: number, status: TrialResult["status"] = "ok"): TrialResult => ({
  id,
  seed: id,
  round: 0,
  config: { learningRate: 10 ** -id, optimizer: "adam" },
  status,
  metrics: Number.isNaN(accuracy) ? {} : { accuracy, loss: 1 - accuracy },
  curves: {},
  message: status === "ok" ? "" : "Error: boom | bang",
  seconds: 0,
});
const results = [result(0, 0.5), result(1, NaN, "failed"), result(2, 0.9), result(3, 0.7), result(4, 0.95, "stopped")];

test("sorts by a metric, best first; failed and stopped trials last in id order", () => {
  assert.deepEqual(
    sortResults(results, "accuracy").map((r) => r.id),
    [2, 3, 0, 1, 4],
  );
  assert.deepEqual(
    sortResults(results, "loss", { descending: false }).map((r) => r.id),
    [2, 3, 0, 1, 4],
  );
  assert.deepEqual(
    sortResults(results, "learningRate").map((r) => r.id),
    [0, 2, 3, 1, 4],
  ); // by a hyperparameter
  assert.equal(bestResult(results, "accuracy").id, 2);
  assert.throws(() => bestResult([result(1, NaN, "failed")], "accuracy"), /no successful trial reports "accuracy"/);
});

test("formats a Markdown table with every hyperparameter and metric, and the failure message", () => {
  const table = formatResults(results, { sortBy: "accuracy", top: 4 }).split("\n");
  assert.equal(table[0], "| # | trial | learningRate | optimizer | accuracy | loss | status |");
  assert.equal(table[2], "| 1 | 2 | 0.01 | adam | 0.9 | 0.1 | ok |");
  assert.equal(table[5], "| 4 | 1 | 0.1 | adam | – | – | failed: Error: boom / bang |");
  assert.equal(table.length, 6);
});

test("formats an aligned text table", () => {
  const lines = formatResults(results.slice(0, 2), { format: "text" }).split("\n");
  assert.equal(lines[0], "#  trial  learningRate  optimizer  accuracy  loss  status");
  assert.equal(lines[2], "1  0      1             adam       0.5       0.5   ok");
});
