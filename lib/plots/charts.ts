/**
 * General charts: lines, log–log lines, overlaid histograms, grouped bars and heatmaps.
 * Each returns a plotly `Figure` with a title, axis titles and a legend (or a titled colour bar).
 */
import { assertNumbers, assertOptions, describeValue, InputError, isMatrix } from "../core/checks";
import { Matrix } from "../core/matrix";
import {
  type ChartOptions,
  type Figure,
  type Series,
  type Trace,
  axis,
  baseLayout,
  checkSeries,
  extent,
  palette,
  range,
  toArray,
} from "./figure";

/** Lines: one trace per series, `y[i]` at `x[i]` (x defaults to 0 … n−1). */
export function lineChart(series: Series[], options: ChartOptions): Figure {
  checkSeries(series, ["y", "x"], "lineChart", ["x"]);
  assertOptions(options, "lineChart options", '{ title: "…", xTitle: "…", yTitle: "…" }');
  const data: Trace[] = series.map((s, k) => {
    if (s.x && s.x.length !== s.y.length) {
      throw new InputError(
        `lineChart: series "${s.name}" has ${s.x.length} x values but ${s.y.length} y values; give one x per y.`,
      );
    }
    return {
      type: "scatter",
      mode: s.mode ?? "lines",
      name: s.name,
      x: s.x ? toArray(s.x) : range(s.y.length),
      y: toArray(s.y),
      line: { color: palette[k % palette.length], dash: s.dash ?? "solid" },
    };
  });
  return { data, layout: baseLayout(options) };
}

/** A line chart with both axes on a log scale (power laws are straight lines); values ≤ 0 are not drawn. */
export function logLogChart(series: Series[], options: Omit<ChartOptions, "logX" | "logY">): Figure {
  return lineChart(series, { ...options, logX: true, logY: true });
}

/** One named set of values for `histogram` or one named group of bars for `barChart`. */
export interface NamedValues {
  name: string;
  values: ArrayLike<number>;
}

/** Options of `histogram`: the y title defaults to what `normalize` counts. */
export interface HistogramOptions extends Omit<ChartOptions, "yTitle"> {
  yTitle?: string;
  /** Number of bins shared by every series (default 30). */
  bins?: number;
  /** "count" (default) or "probability density" (area 1, so sets of different sizes compare). */
  normalize?: "count" | "probability density";
  /**
   * Fixed [low, high] of the bins (default: the extent of all values). Values outside are not drawn
   * but still count in a density's n, so the drawn area is the fraction inside. Fixed bins make the
   * steps of a `sliderFigure` comparable.
   */
  range?: [number, number];
}

/**
 * Overlaid, half-transparent histograms on the same bins, counted here (so a figure of a
 * million values stays small): bin width h = (max − min) / bins over all series together;
 * value v falls in bin ⌊(v − min) / h⌋ (the maximum in the last bin); density = count / (n·h).
 * Non-finite values are left out. With `range`, min and max are its ends and values outside them are not drawn.
 */
export function histogram(series: NamedValues[], options: HistogramOptions): Figure {
  checkSeries(series, ["values"], "histogram");
  assertOptions(options, "histogram options", '{ title: "…", xTitle: "…" }');
  const { bins = 30, normalize = "count", range: fixed } = options;
  if (fixed && !(fixed[0] < fixed[1]))
    throw new InputError(`histogram: range must be [low, high] with low < high, got [${fixed.join(", ")}].`);
  const [first, last] = fixed ?? extent(series.flatMap((s) => toArray(s.values)));
  const [low, high] = Number.isNaN(first) ? [0, 1] : [first, last];
  const width = high > low ? (high - low) / bins : 1;
  const centers = range(bins).map((k) => low + (k + 0.5) * width);
  const data: Trace[] = series.map((s, k) => {
    const counts = binCounts(s.values, low, width, bins, fixed !== undefined);
    const total = fixed ? toArray(s.values).filter(Number.isFinite).length : counts.reduce((a, b) => a + b, 0);
    return {
      type: "bar",
      name: s.name,
      x: centers,
      y: normalize === "count" ? counts : counts.map((c) => (total > 0 ? c / (total * width) : 0)),
      width,
      opacity: series.length > 1 ? 0.55 : 0.85,
      marker: { color: palette[k % palette.length] },
    };
  });
  const yTitle = options.yTitle ?? (normalize === "count" ? "count" : "probability density");
  const layout = baseLayout({ ...options, yTitle });
  layout.barmode = "overlay";
  layout.bargap = 0;
  return { data, layout };
}

/** Counts per bin; with `dropOutside`, values below low or above low + bins·width are not counted. */
function binCounts(values: ArrayLike<number>, low: number, width: number, bins: number, dropOutside = false): number[] {
  const counts = new Array<number>(bins).fill(0);
  for (let i = 0; i < values.length; i++) {
    if (!Number.isFinite(values[i])) continue;
    const k = Math.floor((values[i] - low) / width);
    if (dropOutside && (k < 0 || (k >= bins && values[i] > low + bins * width))) continue;
    counts[Math.min(bins - 1, Math.max(0, k))] += 1;
  }
  return counts;
}

/** Grouped bars: `series[k].values[i]` is the bar of group k at `categories[i]`. */
export function barChart(categories: string[], series: NamedValues[], options: Omit<ChartOptions, "logX">): Figure {
  if (!Array.isArray(categories))
    throw new InputError(`barChart categories: expected an array of names, got ${describeValue(categories)}.`);
  checkSeries(series, ["values"], "barChart");
  assertOptions(options, "barChart options", '{ title: "…", yTitle: "…" }');
  const data: Trace[] = series.map((s, k) => {
    if (s.values.length !== categories.length) {
      throw new InputError(
        `barChart: series "${s.name}" has ${s.values.length} values for ` +
          `${categories.length} categories; give one value per category.`,
      );
    }
    return {
      type: "bar",
      name: s.name,
      x: [...categories],
      y: toArray(s.values),
      marker: { color: palette[k % palette.length] },
    };
  });
  const layout = baseLayout(options);
  layout.barmode = "group";
  if (layout.xaxis) layout.xaxis.type = "category";
  return { data, layout };
}

/** Options of `heatmap`: `colorTitle` names the colour scale (the heatmap's legend). */
export interface HeatmapOptions extends Omit<ChartOptions, "logX" | "logY"> {
  colorTitle: string;
  /** Column labels (default 0 … cols−1) and row labels (default 0 … rows−1). */
  x?: ArrayLike<number> | string[];
  y?: ArrayLike<number> | string[];
  /** A plotly colour-scale name (default "Viridis"; "RdBu" with `zmid: 0` for signed values). */
  colorscale?: string;
  /** Centre of a diverging colour scale. */
  zmid?: number;
  /** Row 0 at the top, as a matrix is printed (default true). */
  rowsDown?: boolean;
}

/** A heatmap of z: [rows, cols] (a `Matrix` or nested arrays): cell (i, j) coloured by z[i][j]. */
export function heatmap(z: Matrix | number[][], options: HeatmapOptions): Figure {
  if (!isMatrix(z) && !Array.isArray(z))
    throw new InputError(`heatmap z: expected a Matrix or nested arrays of numbers, got ${describeValue(z)}.`);
  if (!isMatrix(z)) z.forEach((row, i) => assertNumbers(row, `heatmap z row ${i}`));
  assertOptions(options, "heatmap options", '{ title: "…", colorTitle: "…" }');
  const rows = z instanceof Matrix ? z.toArray() : z.map((row) => [...row]);
  const cols = rows.length > 0 ? rows[0].length : 0;
  const labels = (given: ArrayLike<number> | string[] | undefined, n: number) =>
    given === undefined ? range(n) : Array.from(given as ArrayLike<number | string>);
  const trace: Trace = {
    type: "heatmap",
    name: options.colorTitle,
    z: rows,
    x: labels(options.x, cols),
    y: labels(options.y, rows.length),
    colorscale: options.colorscale ?? "Viridis",
    colorbar: { title: { text: options.colorTitle } },
  };
  if (options.zmid !== undefined) trace.zmid = options.zmid;
  const layout = baseLayout(options);
  if (options.rowsDown ?? true) layout.yaxis = { ...axis(options.yTitle), autorange: "reversed" };
  return { data: [trace], layout };
}
