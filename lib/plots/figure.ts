/**
 * Plain plotly figures: `{ data, layout }` objects that `Plotly.newPlot(div, data, layout)` draws.
 *
 * Builders in this folder return a `Figure` and never touch the page or tslab, so they run
 * (and are tested) in plain Node. A notebook shows one with `show.plot(figure)`
 * (lib/notebook/). Every builder gives its figure a title, axis titles and a legend.
 */

import { assertNumbers, describeValue, InputError } from "../core/checks";

/** One plotly trace (`type: "scatter" | "histogram" | "heatmap" | "bar" | …`), extra keys passed through. */
export interface Trace {
  type: string;
  name?: string;
  [key: string]: unknown;
}

/** A plotly axis; `title.text` is the axis label (with its unit or scale). */
export interface Axis {
  title: { text: string };
  type?: "linear" | "log" | "category";
  [key: string]: unknown;
}

/** A plotly layout with the keys the builders always set. */
export interface Layout {
  title: { text: string };
  xaxis?: Axis;
  yaxis?: Axis;
  showlegend?: boolean;
  [key: string]: unknown;
}

/** A plotly animation frame: the traces (and the title) that one step of a slider shows (see `sliderFigure`). */
export interface Frame {
  name: string;
  data: Trace[];
  layout: { title: { text: string } };
}

/**
 * What `Plotly.newPlot(div, { data, layout, frames })` draws. `frames` (optional) are the steps of an
 * explorable figure, stored in the figure itself so that its slider needs no kernel.
 */
export interface Figure {
  data: Trace[];
  layout: Layout;
  frames?: Frame[];
}

/** Titles every chart must have; `logX`/`logY` switch an axis to log scale and say so in its title. */
export interface ChartOptions {
  title: string;
  xTitle: string;
  yTitle: string;
  logX?: boolean;
  logY?: boolean;
  /** Height in pixels (default: chosen by the display, 420). */
  height?: number;
}

/** One named line: `y[i]` drawn at `x[i]` (default x = 0, 1, …, n−1). */
export interface Series {
  name: string;
  y: ArrayLike<number>;
  x?: ArrayLike<number>;
  /** Line style; defaults to solid. */
  dash?: "solid" | "dash" | "dot" | "dashdot";
  /** Defaults to "lines". */
  mode?: "lines" | "markers" | "lines+markers";
}

/** Ten distinguishable colours (plotly's default cycle); class k is drawn in `palette[k % 10]`. */
export const palette: readonly string[] = [
  "#1f77b4",
  "#ff7f0e",
  "#2ca02c",
  "#d62728",
  "#9467bd",
  "#8c564b",
  "#e377c2",
  "#7f7f7f",
  "#bcbd22",
  "#17becf",
];

/** An axis whose title says when it is on a log scale: `axis("loss", true)` → "loss (log scale)". */
export function axis(text: string, log = false): Axis {
  return log ? { title: { text: `${text} (log scale)` }, type: "log" } : { title: { text }, type: "linear" };
}

/** The layout every builder starts from: title, both axis titles, a visible legend. */
export function baseLayout(options: ChartOptions): Layout {
  const layout: Layout = {
    title: { text: options.title },
    xaxis: axis(options.xTitle, options.logX),
    yaxis: axis(options.yTitle, options.logY),
    showlegend: true,
  };
  if (options.height !== undefined) layout.height = options.height;
  return layout;
}

/** Copies any array-like (Float64Array, Int32Array …) into a plain array: typed arrays do not JSON-encode as arrays. */
export function toArray(values: ArrayLike<number>): number[] {
  return Array.from(values);
}

/** 0, 1, …, n−1 (or start, start+1, … when `start` is given). */
export function range(n: number, start = 0): number[] {
  return Array.from({ length: n }, (_, i) => start + i);
}

/** [min, max] of the finite values ([NaN, NaN] when there are none); a loop, so any length works. */
export function extent(values: ArrayLike<number>): [number, number] {
  let low = Infinity;
  let high = -Infinity;
  for (let i = 0; i < values.length; i++) {
    if (!Number.isFinite(values[i])) continue;
    if (values[i] < low) low = values[i];
    if (values[i] > high) high = values[i];
  }
  return low <= high ? [low, high] : [NaN, NaN];
}

/**
 * Throws unless `series` is an array of objects whose `keys` hold arrays of numbers (a key missing
 * from an element is allowed when `optional` lists it); the message names the series and key.
 */
export function checkSeries(series: unknown, keys: string[], where: string, optional: string[] = []): void {
  if (!Array.isArray(series))
    throw new InputError(
      `${where}: expected an array of series such as [{ name: ` +
        `"loss", ${keys[0]}: [...] }], got ${describeValue(series)}.`,
    );
  series.forEach((s, k) => {
    if (typeof s !== "object" || s === null)
      throw new InputError(
        `${where} series[${k}]: expected a series such as { name: ` +
          `"loss", ${keys[0]}: [...] }, got ${describeValue(s)}.`,
      );
    for (const key of keys) {
      const values = (s as Record<string, unknown>)[key];
      if (values === undefined && optional.includes(key)) continue;
      assertNumbers(values, `${where} series[${k}].${key}`);
    }
  });
}
