import { test } from "node:test";
import assert from "node:assert/strict";
import { runSearch } from "../search/run";
import type { Trial } from "../search/space";
import { type DisplayMessage, setDisplaySink } from "./jupyter";
import { type SearchProgressResult, searchProgress, searchProgressLine } from "./search-progress";

const result = (
  id: number,
  status: SearchProgressResult["status"],
  validationAccuracy?: number,
): SearchProgressResult => ({ id, status, metrics: validationAccuracy === undefined ? {} : { validationAccuracy } });

test("searchProgressLine counts the trials per status and names the best so far, the lower id on a tie", () => {
  const done = [
    result(4, "ok", 0.9),
    result(2, "stopped", 0.5),
    result(6, "ok", 0.95),
    result(1, "ok", 0.95),
    result(3, "failed"),
  ];
  assert.equal(
    searchProgressLine("grid search", done, 16, 1.25),
    "grid search: 5/16 trials (3 ok, 1 stopped, 1 failed) · best so far: trial 1, validationAccuracy 0.9500 · in 1.3 s",
  );
  assert.equal(
    searchProgressLine("grid search", [result(0, "failed")], 1, 0.04),
    "grid search: 1/1 trials (1 failed) · in 0.0 s",
  );
  assert.equal(
    searchProgressLine("lr", [result(0, "ok", 0.5)], 1, 2, "finalLoss"),
    "lr: 1/1 trials " + "(1 ok) · in 2.0 s",
  ); // no trial has the metric
});

test("once every trial is done, the line is the same whatever order they finished in", () => {
  const results = [
    result(0, "ok", 0.8),
    result(1, "failed"),
    result(2, "ok", 0.9),
    result(3, "stopped", 0.9),
    result(4, "ok", 0.7),
  ];
  const lines = new Set(
    [
      [0, 1, 2, 3, 4],
      [4, 3, 2, 1, 0],
      [2, 0, 4, 3, 1],
      [3, 2, 1, 0, 4],
    ].map((order) =>
      searchProgressLine(
        "caviar, 2 workers",
        order.map((k) => results[k]),
        5,
        3.2,
      ),
    ),
  );
  assert.deepEqual(
    [...lines],
    ["caviar, 2 workers: 5/5 trials (3 ok, 1 stopped, 1 failed) · best: trial 2, validationAccuracy 0.9000 · in 3.2 s"],
  );
});

test("searchProgress shows one line per search, then rewrites it after each trial of runSearch", async () => {
  const sent: [DisplayMessage, boolean][] = [];
  setDisplaySink((message, update) => sent.push([message, update]));
  let now = 1000; // fake milliseconds: each trial takes 500
  const trials: Trial[] = [0, 1, 2].map((id) => ({ id, seed: id, round: 0, config: { learningRate: 10 ** -id } }));
  try {
    const onResult = searchProgress("random search", { clock: () => now });
    await runSearch(
      trials,
      (config) => {
        now += 500;
        if (config.learningRate === 0.1) throw new Error("diverged"); // the second trial fails
        return { validationAccuracy: 0.9 - (config.learningRate as number) / 10 };
      },
      { onResult },
    );
  } finally {
    setDisplaySink(null);
  }
  assert.deepEqual(
    sent.map(([message, update]) => [message.data["text/plain"], update]),
    [
      ["random search: 1/3 trials (1 ok) · best so far: trial 0, validationAccuracy 0.8000 · in 0.5 s", false],
      ["random search: 2/3 trials (1 ok, 1 failed) · best so far: trial 0, validationAccuracy 0.8000 · in 1.0 s", true],
      ["random search: 3/3 trials (2 ok, 1 failed) · best: trial 2, validationAccuracy 0.8990 · in 1.5 s", true],
    ],
  );
  assert.equal(new Set(sent.map(([message]) => message.transient.display_id)).size, 1);
});
