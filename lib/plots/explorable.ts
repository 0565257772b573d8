/**
 * Explorable figures: a slider (and a play button) that steps through figures computed in advance.
 *
 * Every step is an ordinary `Figure` (from `histogram`, `lineChart`, …). `sliderFigure` stores their
 * traces as plotly animation **frames** inside one figure, with a slider whose steps call plotly's
 * `animate` on those frames. Moving the slider therefore needs no kernel: it works offline, in every
 * frontend that draws the figure, and in exported HTML. The cost is size: every step's numbers are
 * in the figure (keep steps × points to a few tens of thousands).
 *
 * The axes are fixed over all steps (computed from every step's numbers unless given), so what moves
 * is the data, not the scale.
 */
import { InputError } from "../core/checks";
import type { Axis, Figure, Frame, Layout } from "./figure";

/** One position of the slider: its label, and the figure shown there. */
export interface SliderStep {
  /** The slider's tick label, e.g. "m = 8" or "step 300"; labels must be distinct. */
  label: string;
  /** The figure at this step; every step has the same number of traces, of the same types. */
  figure: Figure;
}

/** Options of `sliderFigure`. */
export interface SliderFigureOptions {
  /** What the slider moves, shown before the current label: "batch size m = 20". */
  sliderLabel: string;
  /** The step shown first (default 0). */
  active?: number;
  /** Add ▶/❚❚ buttons that play through the steps (default false). */
  play?: boolean;
  /** Milliseconds per step when playing (default 300). */
  frameDuration?: number;
  /** Fixed axis ranges (data units, also on a log axis); default: every step's x (y) values, padded 4 %. */
  xRange?: [number, number];
  yRange?: [number, number];
  /** Height in pixels (default: the first step's layout height, else the display's). */
  height?: number;
}

/**
 * One figure holding `steps` as animation frames, a slider over them and (with `play`) play/pause buttons.
 * The figure shows step `active`; the layout (axis titles, shapes, legend) is the first step's, with fixed
 * axis ranges; each frame carries its own title. Throws when the steps are empty, their labels repeat, or
 * their traces differ in number or type (plotly animates trace k of a frame onto trace k of the figure).
 */
export function sliderFigure(steps: SliderStep[], options: SliderFigureOptions): Figure {
  const { sliderLabel, active = 0, play = false, frameDuration = 300 } = options;
  checkSteps(steps, active);
  const frames: Frame[] = steps.map((s) => ({
    name: s.label,
    data: s.figure.data,
    layout: { title: { text: s.figure.layout.title.text } },
  }));
  const first = steps[0].figure.layout;
  const layout: Layout = { ...first, title: { text: steps[active].figure.layout.title.text } };
  layout.xaxis = fixedAxis(first.xaxis, options.xRange ?? paddedRange(steps, "x", first.xaxis));
  layout.yaxis = fixedAxis(first.yaxis, options.yRange ?? paddedRange(steps, "y", first.yaxis));
  const height = options.height ?? (first.height as number | undefined);
  if (height !== undefined) layout.height = height;
  layout.margin = { b: 110, ...(first.margin as object | undefined) }; // room for the slider under the x-axis title
  layout.sliders = [slider(steps, sliderLabel, active)];
  if (play) layout.updatemenus = [playButtons(frameDuration)];
  return { data: steps[active].figure.data, layout, frames };
}

function checkSteps(steps: SliderStep[], active: number): void {
  if (steps.length === 0) throw new InputError("sliderFigure: pass at least one step ({ label, figure }).");
  if (!Number.isInteger(active) || active < 0 || active >= steps.length) {
    throw new InputError(`sliderFigure: active must be a step index in [0, ${steps.length - 1}], got ${active}.`);
  }
  const labels = new Set<string>();
  const types = steps[0].figure.data.map((t) => t.type).join(", ");
  for (const step of steps) {
    if (labels.has(step.label))
      throw new InputError(`sliderFigure: the label "${step.label}" is used twice; every step needs its own label.`);
    labels.add(step.label);
    const here = step.figure.data.map((t) => t.type).join(", ");
    if (here !== types) {
      throw new InputError(
        `sliderFigure: step "${step.label}" has traces [${here}], step "${steps[0].label}" ` +
          `has [${types}]; every step needs the same traces in the same order.`,
      );
    }
  }
}

/** The slider: one tick per step, each animating to that step's frame at once. */
function slider(steps: SliderStep[], sliderLabel: string, active: number): Record<string, unknown> {
  return {
    active,
    currentvalue: { prefix: `${sliderLabel} = `, xanchor: "left" },
    pad: { t: 55 },
    steps: steps.map((s) => ({
      label: s.label,
      method: "animate",
      args: [[s.label], { mode: "immediate", frame: { duration: 0, redraw: true }, transition: { duration: 0 } }],
    })),
  };
}

function playButtons(frameDuration: number): Record<string, unknown> {
  return {
    type: "buttons",
    direction: "left",
    showactive: false,
    x: 0,
    y: 0,
    xanchor: "right",
    yanchor: "top",
    pad: { t: 62, r: 10 },
    buttons: [
      {
        label: "▶ play",
        method: "animate",
        args: [
          null,
          { fromcurrent: true, frame: { duration: frameDuration, redraw: true }, transition: { duration: 0 } },
        ],
      },
      {
        label: "❚❚ pause",
        method: "animate",
        args: [[null], { mode: "immediate", frame: { duration: 0, redraw: false }, transition: { duration: 0 } }],
      },
    ],
  };
}

/** The axis with autorange off and `range` fixed (plotly wants log10 of the ends on a log axis). */
function fixedAxis(given: Axis | undefined, range: [number, number]): Axis {
  const base = given ?? { title: { text: "" } };
  const log = base.type === "log";
  return { ...base, autorange: false, range: log ? range.map((v) => Math.log10(v)) : range };
}

/**
 * [low, high] over every step's `key` values (finite, and > 0 on a log axis), padded by 4 % of the span
 * (by a factor on a log axis); bars (type "bar") also include 0, so they grow from their base.
 */
function paddedRange(steps: SliderStep[], key: "x" | "y", axis: Axis | undefined): [number, number] {
  const log = axis?.type === "log";
  let [low, high] = [Infinity, -Infinity];
  for (const step of steps) {
    for (const trace of step.figure.data) {
      const values = numbersOf(trace[key]).filter((v) => Number.isFinite(v) && (!log || v > 0));
      if (trace.type === "bar" && key === "y" && !log) values.push(0);
      for (const v of values) [low, high] = [Math.min(low, v), Math.max(high, v)];
    }
  }
  if (low > high) return log ? [1, 10] : [0, 1];
  if (log) {
    const pad = (high / low) ** 0.04;
    return [low / pad, high * pad];
  }
  const pad = high > low ? 0.04 * (high - low) : 0.5;
  return [low - pad, high + pad];
}

/** The numbers of a trace's x or y (nested arrays flattened; anything else gives none). */
function numbersOf(value: unknown): number[] {
  if (!Array.isArray(value)) return [];
  return (value as unknown[]).flat(2).filter((v): v is number => typeof v === "number");
}
