import { test } from "node:test";
import assert from "node:assert/strict";
import { assertLabelled } from "../plots/test-helpers";
import { searchScatter } from "./figures";
import type { TrialResult } from "./run";

const result = (
  id: number,
  learningRate: number,
  accuracy: number,
  status: TrialResult["status"] = "ok",
): TrialResult => ({
  id,
  seed: id,
  round: 0,
  config: { learningRate },
  status,
  metrics: { accuracy },
  curves: {},
  message: "",
  seconds: 0,
});

test("searchScatter draws one marker series per group on a log x axis, leaving failed trials out", () => {
  const figure = searchScatter(
    [
      { name: "round 1", results: [result(0, 1e-3, 0.5), result(1, 0.9, NaN, "failed")] },
      { name: "round 2", results: [result(2, 1e-2, 0.8)] },
    ],
    { parameter: "learningRate", metric: "accuracy", title: "Accuracy vs α", xTitle: "learning rate α" },
  );
  assertLabelled(figure);
  assert.equal(figure.layout.xaxis?.type, "log");
  assert.deepEqual(
    figure.data.map((t) => [t.name, t.mode, t.x, t.y]),
    [
      ["round 1 (1 failed or stopped)", "markers", [1e-3], [0.5]],
      ["round 2", "markers", [1e-2], [0.8]],
    ],
  );
});
