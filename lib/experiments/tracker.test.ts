import { test } from "node:test";
import assert from "node:assert/strict";
import { Matrix } from "../core/matrix";
import { PercentileTracker } from "./tracker";

test("PercentileTracker records percentiles per step and names its series", () => {
  const tracker = new PercentileTracker([15, 50, 85]);
  tracker.record(0, [5, 1, 4, 2, 3]); // numpy: [1.6, 3, 4.4]
  tracker.record(10, Matrix.from([[10], [20]]));
  assert.deepEqual(tracker.steps, [0, 10]);
  assert.ok(Math.abs(tracker.values[0][0] - 1.6) < 1e-12 && tracker.values[1][0] === 3);
  assert.equal(tracker.values[2][1], 18.5);
  const series = tracker.series("BN");
  assert.deepEqual(
    series.map((s) => s.dash),
    ["dash", "solid", "dash"],
  );
  assert.equal(series[1].name, "BN 50th percentile");
  assert.throws(() => new PercentileTracker([]), /at least one/);
});
