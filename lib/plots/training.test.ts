import { test } from "node:test";
import assert from "node:assert/strict";
import { makeRng } from "../core/random";
import { percentile, percentileBands, smoothLoss, trainingCurves } from "./training";
import { sideBySide } from "./subplots";
import { lineChart } from "./charts";
import { assertLabelled } from "./test-helpers";

test("trainingCurves: loss per step on a log axis beside accuracy per epoch", () => {
  const history = {
    loss: [2, 1.5, 1, 0.7, 0.5, 0.4],
    trainAccuracy: [0.6, 0.8, 0.9],
    validationAccuracy: [0.55, 0.75, 0.85],
  };
  const figure = trainingCurves(history);
  const titles = assertLabelled(figure);
  assert.deepEqual(titles.sort(), [
    "accuracy (fraction correct)",
    "cross-entropy loss (log scale)",
    "epoch",
    "step (optimizer updates)",
  ]);
  const [loss, smooth, train, validation] = figure.data;
  assert.match(smooth.name ?? "", /smoothed/);
  assert.deepEqual(loss.x, [1, 2, 3, 4, 5, 6]);
  assert.deepEqual(loss.y, history.loss);
  assert.equal(loss.yaxis, "y");
  assert.deepEqual([train.name, validation.name], ["train accuracy", "validation accuracy"]);
  assert.deepEqual(validation.x, [1, 2, 3]);
  assert.equal(validation.xaxis, "x2");
  assert.equal(figure.layout.yaxis2 !== undefined && (figure.layout.yaxis2 as { anchor: string }).anchor, "x2");
});

test("trainingCurves averages long runs into at most maxPoints buckets", () => {
  const loss = Array.from({ length: 1000 }, (_, i) => i % 2); // 0, 1, 0, 1 … → every pair averages 0.5
  const figure = trainingCurves({ loss }, { maxPoints: 500, logLoss: false, smoothing: 0 });
  const trace = figure.data[0];
  assert.equal((trace.y as number[]).length, 500);
  assert.ok((trace.y as number[]).every((v) => v === 0.5));
  assert.equal((trace.x as number[])[0], 1.5); // middle of steps 1 and 2
  assert.match(trace.name ?? "", /mean of 2 steps/);
  assert.equal(figure.layout.yaxis?.type, "linear");
});

test("trainingCurves with no epoch finished yet still has both panels", () => {
  // one step: no smoothed line yet
  const figure = trainingCurves({ loss: [1], trainAccuracy: [], validationAccuracy: [] });
  assertLabelled(figure);
  assert.equal(figure.data.length, 1);
  assert.ok(figure.layout.xaxis2);
});

test("smoothLoss is a bias-corrected moving average: a constant stays constant", () => {
  assert.deepEqual(
    smoothLoss([2, 2, 2], 0.9).map((v) => Number(v.toFixed(12))),
    [2, 2, 2],
  );
  const [first, second] = smoothLoss([1, 3], 0.5); // s1 = 0.5 → 0.5/0.5 = 1; s2 = 0.25 + 1.5 = 1.75 → 1.75/0.75
  assert.equal(first, 1);
  assert.equal(second, 1.75 / 0.75);
});

test("percentile interpolates linearly between order statistics (NumPy's default)", () => {
  const sorted = Array.from({ length: 101 }, (_, i) => i); // percentile p of 0 … 100 is p
  for (const p of [0, 15, 50, 85, 100]) assert.equal(percentile(sorted, p), p);
  assert.equal(percentile([1, 2, 3, 4], 50), 2.5); // numpy.percentile([1, 2, 3, 4], 50) = 2.5
  assert.equal(percentile([10, 20], 15), 11.5);
  assert.ok(Number.isNaN(percentile([], 50)));
});

test("percentileBands: a median line inside a shaded 15th–85th band for each series", () => {
  const rng = makeRng(11);
  const samples = Array.from({ length: 5 }, (_, t) => Array.from(rng.normalArray(200), (v) => t + v));
  const figure = percentileBands([{ name: "sigmoid input", samples, x: [0, 10, 20, 30, 40] }], {
    title: "Input to a sigmoid",
    xTitle: "training step",
    yTitle: "value",
  });
  assertLabelled(figure);
  const [low, high, median] = figure.data;
  assert.equal(high.fill, "tonexty");
  assert.match(median.name ?? "", /50th percentile/);
  const sorted0 = [...samples[0]].sort((a, b) => a - b);
  assert.equal((low.y as number[])[0], percentile(sorted0, 15));
  assert.equal((median.y as number[])[0], percentile(sorted0, 50));
  (median.y as number[]).forEach((m, t) => {
    assert.ok((low.y as number[])[t] < m && m < (high.y as number[])[t]);
    assert.ok(Math.abs(m - t) < 0.3, `median ${m} near ${t}`);
  });
});

test("percentileBands rejects an even or unsorted list of percentiles", () => {
  const options = { title: "t", xTitle: "x", yTitle: "y" };
  assert.throws(() => percentileBands([], { ...options, percentiles: [10, 90] }), /odd number/);
  assert.throws(() => percentileBands([], { ...options, percentiles: [50, 15, 85] }), /ascending/);
});

test("sideBySide keeps each panel's axes and turns panel titles into headings", () => {
  const a = lineChart([{ name: "a", y: [1, 2] }], { title: "Left", xTitle: "x", yTitle: "y" });
  const b = lineChart([{ name: "b", y: [3, 4] }], { title: "Right", xTitle: "u", yTitle: "v", logY: true });
  const figure = sideBySide([a, b], { title: "Both" });
  assertLabelled(figure);
  assert.deepEqual(
    figure.data.map((t) => [t.xaxis, t.yaxis]),
    [
      ["x", "y"],
      ["x2", "y2"],
    ],
  );
  assert.equal((figure.layout.yaxis2 as { type: string }).type, "log");
  const domains = [figure.layout.xaxis, figure.layout.xaxis2].map((ax) => (ax as { domain: number[] }).domain);
  assert.ok(domains[0][1] < domains[1][0], "panels do not overlap");
  assert.deepEqual(
    (figure.layout.annotations as { text: string }[]).map((n) => n.text),
    ["<b>Left</b>", "<b>Right</b>"],
  );
});
