import { test } from "node:test";
import assert from "node:assert/strict";
import { makeRng } from "../core/random";
import { Matrix } from "../core/matrix";
import { barChart, heatmap, histogram, lineChart, logLogChart } from "./charts";
import { assertLabelled } from "./test-helpers";

test("lineChart draws one named line per series, x defaulting to 0 … n−1", () => {
  const figure = lineChart(
    [
      { name: "a", y: new Float64Array([3, 2, 1]) },
      { name: "b", x: [10, 20], y: [1, 4], dash: "dash" },
    ],
    { title: "Lines", xTitle: "step", yTitle: "value (units)" },
  );
  assertLabelled(figure);
  assert.deepEqual(
    figure.data.map((t) => t.name),
    ["a", "b"],
  );
  assert.deepEqual(figure.data[0].x, [0, 1, 2]);
  assert.deepEqual(figure.data[0].y, [3, 2, 1]); // a plain array, not a Float64Array
  assert.deepEqual(figure.data[1].x, [10, 20]);
});

test("lineChart refuses x and y of different lengths", () => {
  assert.throws(
    () => lineChart([{ name: "a", x: [1], y: [1, 2] }], { title: "t", xTitle: "x", yTitle: "y" }),
    /1 x values but 2 y values/,
  );
});

test("a log axis says so in its title", () => {
  const figure = logLogChart([{ name: "error", x: [1, 10, 100], y: [1, 0.1, 0.01] }], {
    title: "Power law",
    xTitle: "n",
    yTitle: "error",
  });
  assert.deepEqual(assertLabelled(figure), ["n (log scale)", "error (log scale)"]);
  assert.equal(figure.layout.xaxis?.type, "log");
  assert.equal(figure.layout.yaxis?.type, "log");
});

test("histogram counts every value into shared bins and overlays the series", () => {
  const rng = makeRng(5);
  const a = rng.normalArray(500);
  const b = Array.from(rng.normalArray(300), (v) => 3 + 2 * v);
  const figure = histogram(
    [
      { name: "before BN", values: a },
      { name: "after BN", values: [...b, NaN] },
    ],
    {
      title: "Activations",
      xTitle: "pre-activation value",
      bins: 20,
    },
  );
  assert.deepEqual(assertLabelled(figure), ["pre-activation value", "count"]);
  assert.equal(figure.layout.barmode, "overlay");
  const [first, second] = figure.data;
  assert.deepEqual(first.x, second.x, "same bins");
  const counts = (t: typeof first) => t.y as number[];
  assert.equal(counts(first).length, 20);
  assert.equal(
    counts(first).reduce((s, c) => s + c, 0),
    500,
  );
  assert.equal(
    counts(second).reduce((s, c) => s + c, 0),
    300,
    "NaN left out",
  );
  const all = [...a, ...b];
  const [low, high] = [Math.min(...all), Math.max(...all)];
  const width = first.width as number;
  assert.ok(Math.abs(width - (high - low) / 20) < 1e-12);
  const inFirstBin = a.filter((v) => v < low + width).length; // by direct count
  assert.equal(counts(first)[0], inFirstBin);
});

test("histogram's density option integrates to 1 and names its y axis", () => {
  const figure = histogram([{ name: "x", values: [1, 2, 2, 3, 3, 3] }], {
    title: "t",
    xTitle: "x",
    normalize: "probability density",
    bins: 4,
  });
  assert.equal(figure.layout.yaxis?.title.text, "probability density");
  const area = (figure.data[0].y as number[]).reduce((s, d) => s + d * (figure.data[0].width as number), 0);
  assert.ok(Math.abs(area - 1) < 1e-12);
});

test("barChart groups one bar per category and series", () => {
  const figure = barChart(
    ["SGD", "Adam"],
    [
      { name: "no BN", values: [0.8, 0.9] },
      { name: "BN", values: [0.95, 0.96] },
    ],
    {
      title: "Accuracy",
      xTitle: "optimizer",
      yTitle: "accuracy (fraction)",
    },
  );
  assertLabelled(figure);
  assert.equal(figure.layout.barmode, "group");
  assert.deepEqual(figure.data[1].y, [0.95, 0.96]);
  assert.throws(
    () => barChart(["a"], [{ name: "x", values: [1, 2] }], { title: "t", xTitle: "x", yTitle: "y" }),
    /one value per category/,
  );
});

test("heatmap keeps the matrix layout, row 0 on top, with a titled colour bar", () => {
  const z = Matrix.from([
    [1, 2, 3],
    [4, 5, 6],
  ]);
  const figure = heatmap(z, { title: "W", xTitle: "output unit j", yTitle: "input unit i", colorTitle: "weight" });
  assertLabelled(figure);
  assert.deepEqual(figure.data[0].z, [
    [1, 2, 3],
    [4, 5, 6],
  ]);
  assert.deepEqual(figure.data[0].x, [0, 1, 2]);
  assert.deepEqual(figure.data[0].y, [0, 1]);
  assert.equal(figure.layout.yaxis?.autorange, "reversed");
  assert.deepEqual(figure.data[0].colorbar, { title: { text: "weight" } });
});
