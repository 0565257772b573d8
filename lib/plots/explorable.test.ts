import { test } from "node:test";
import assert from "node:assert/strict";
import { makeRng } from "../core/random";
import { histogram, lineChart } from "./charts";
import { sliderFigure } from "./explorable";
import type { Figure } from "./figure";
import { assertLabelled } from "./test-helpers";

/** The fixed range of an axis of a slider figure. */
function rangeOf(figure: Figure, key: "xaxis" | "yaxis"): number[] {
  const axis = figure.layout[key] as unknown as { range: number[]; autorange: boolean };
  assert.equal(axis.autorange, false, `${key} is fixed`);
  return axis.range;
}

/** y = a·x on x = 1 … 4, titled by a. */
function line(a: number, log = false): Figure {
  return lineChart([{ name: "a·x", x: [1, 2, 3, 4], y: [1, 2, 3, 4].map((x) => a * x) }], {
    title: `a = ${a}`,
    xTitle: "x",
    yTitle: "y",
    logY: log,
  });
}

test("sliderFigure stores every step as a frame and shows the active one", () => {
  const steps = [1, 2, 3].map((a) => ({ label: `a = ${a}`, figure: line(a) }));
  const figure = sliderFigure(steps, { sliderLabel: "slope", active: 1 });
  assertLabelled(figure);
  assert.deepEqual(
    figure.frames?.map((f) => f.name),
    ["a = 1", "a = 2", "a = 3"],
  );
  assert.deepEqual(figure.frames?.[2].data[0].y, [3, 6, 9, 12]);
  assert.equal(figure.frames?.[2].layout.title.text, "a = 3", "each frame carries its own title");
  assert.deepEqual(figure.data[0].y, [2, 4, 6, 8], "the figure starts at the active step");
  assert.equal(figure.layout.title.text, "a = 2");
  assert.equal(figure.layout.xaxis?.title.text, "x", "the axis titles of the steps are kept");
});

test("each slider step animates to its own frame, without the kernel", () => {
  const figure = sliderFigure(
    [
      { label: "one", figure: line(1) },
      { label: "two", figure: line(2) },
    ],
    { sliderLabel: "slope", active: 1 },
  );
  const [slider] = figure.layout.sliders as {
    active: number;
    currentvalue: { prefix: string };
    steps: { label: string; method: string; args: unknown[] }[];
  }[];
  assert.equal(slider.active, 1);
  assert.equal(slider.currentvalue.prefix, "slope = ");
  assert.deepEqual(
    slider.steps.map((s) => s.label),
    ["one", "two"],
  );
  for (const step of slider.steps) {
    assert.equal(step.method, "animate");
    assert.deepEqual(step.args[0], [step.label], "the step names the frame it shows");
  }
  assert.equal(figure.layout.updatemenus, undefined, "no play button unless asked");
  const played = sliderFigure([{ label: "one", figure: line(1) }], {
    sliderLabel: "s",
    play: true,
    frameDuration: 500,
  });
  const [menu] = played.layout.updatemenus as {
    buttons: { label: string; args: [unknown, { frame: { duration: number } }] }[];
  }[];
  assert.deepEqual(
    menu.buttons.map((b) => b.label),
    ["▶ play", "❚❚ pause"],
  );
  assert.equal(menu.buttons[0].args[1].frame.duration, 500);
});

test("the axes are fixed over all steps: the data moves, not the scale", () => {
  const figure = sliderFigure(
    [1, 2, 3].map((a) => ({ label: String(a), figure: line(a) })),
    { sliderLabel: "a" },
  );
  assert.deepEqual(rangeOf(figure, "xaxis"), [1 - 0.12, 4 + 0.12]); // 1 … 4, padded by 4 % of 3
  assert.deepEqual(rangeOf(figure, "yaxis"), [1 - 0.44, 12 + 0.44]); // 1 … 12 over the three steps
  const given = sliderFigure([{ label: "1", figure: line(1) }], { sliderLabel: "a", xRange: [0, 10], yRange: [-1, 1] });
  assert.deepEqual(rangeOf(given, "xaxis"), [0, 10]);
  assert.deepEqual(rangeOf(given, "yaxis"), [-1, 1]);
});

test("a log axis gets its fixed range in log10 units, bars keep their base 0", () => {
  const logged = sliderFigure(
    [1, 100].map((a) => ({ label: String(a), figure: line(a, true) })),
    { sliderLabel: "a" },
  );
  const range = rangeOf(logged, "yaxis");
  assert.ok(
    Math.abs(range[0] - (0 - 0.04 * Math.log10(400))) < 1e-12 && Math.abs(range[1] - Math.log10(400) * 1.04) < 1e-12,
    `log range ${range.join(", ")}`,
  );
  const rng = makeRng(3);
  const bars = sliderFigure(
    [1, 2].map((s) => ({
      label: String(s),
      figure: histogram([{ name: "v", values: rng.normalArray(200, 5, s) }], {
        title: "h",
        xTitle: "v",
        range: [0, 10],
        bins: 20,
      }),
    })),
    { sliderLabel: "s" },
  );
  assert.ok(rangeOf(bars, "yaxis")[0] < 0, "bars drawn from 0 up");
});

test("sliderFigure refuses steps it cannot animate, naming the step", () => {
  assert.throws(() => sliderFigure([], { sliderLabel: "a" }), /at least one step/);
  assert.throws(
    () =>
      sliderFigure(
        [
          { label: "x", figure: line(1) },
          { label: "x", figure: line(2) },
        ],
        { sliderLabel: "a" },
      ),
    /"x" is used twice/,
  );
  const two = lineChart(
    [
      { name: "p", y: [1] },
      { name: "q", y: [2] },
    ],
    { title: "t", xTitle: "x", yTitle: "y" },
  );
  assert.throws(
    () =>
      sliderFigure(
        [
          { label: "1", figure: line(1) },
          { label: "2", figure: two },
        ],
        { sliderLabel: "a" },
      ),
    /step "2" has traces \[scatter, scatter\]/,
  );
  assert.throws(
    () => sliderFigure([{ label: "1", figure: line(1) }], { sliderLabel: "a", active: 1 }),
    /active must be a step index in \[0, 0\], got 1/,
  );
});

test("histogram with a fixed range keeps its bins and leaves outside values undrawn", () => {
  const figure = histogram([{ name: "v", values: [-5, 0.1, 0.2, 0.6, 0.9, 1, 7] }], {
    title: "t",
    xTitle: "v",
    bins: 2,
    range: [0, 1],
    normalize: "probability density",
  });
  assert.deepEqual(figure.data[0].x, [0.25, 0.75]);
  assert.deepEqual(
    figure.data[0].y,
    [2 / 7 / 0.5, 3 / 7 / 0.5],
    "density over all 7 values: the drawn area is the fraction inside",
  );
  assert.throws(
    () => histogram([{ name: "v", values: [1] }], { title: "t", xTitle: "v", range: [1, 1] }),
    /low < high/,
  );
});
