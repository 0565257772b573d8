/**
 * Figures about training: the loss per step beside the accuracy per epoch, and percentile
 * bands of a quantity over time (the BN paper's Figure 1(b,c): the {15, 50, 85}th
 * percentiles of a sigmoid's input as training goes on).
 */
import { assertNumbers, assertOptions, describeValue, InputError, shown } from "../core/checks";
import { lineChart } from "./charts";
import { type ChartOptions, type Figure, type Trace, baseLayout, palette, range, toArray } from "./figure";
import { sideBySide } from "./subplots";

/** What `trainingCurves` reads (a `History` from `fit` has these fields). */
export interface TrainingCurvesInput {
  /** Loss after each optimizer step. */
  loss: ArrayLike<number>;
  /** Fraction of training examples classified correctly, after each epoch. */
  trainAccuracy?: ArrayLike<number>;
  /** Same on the validation set. */
  validationAccuracy?: ArrayLike<number>;
}

/** Options of `trainingCurves`. */
export interface TrainingCurvesOptions {
  title?: string;
  /** Loss axis on a log scale (default true: the loss falls over decades). */
  logLoss?: boolean;
  /** Name of the loss on its axis (default "cross-entropy loss"). */
  lossName?: string;
  /** Above this many steps, consecutive steps are averaged in buckets (default 2000): keeps notebooks small. */
  maxPoints?: number;
  /** β of an extra, smoothed loss line (default 0.9; 0 draws none); see `smoothLoss`. */
  smoothing?: number;
  height?: number;
}

/** Two panels: loss per step (left) and train/validation accuracy per epoch (right). */
export function trainingCurves(history: TrainingCurvesInput, options: TrainingCurvesOptions = {}): Figure {
  assertOptions(history, "trainingCurves history", "the History from fit, or { loss: [...] }");
  assertNumbers(history.loss, "trainingCurves history.loss");
  assertOptions(options, "trainingCurves options", '{ title: "…" }');
  const {
    title = "Training curves",
    logLoss = true,
    lossName = "cross-entropy loss",
    maxPoints = 2000,
    smoothing = 0.9,
  } = options;
  const raw = toArray(history.loss);
  const loss = bucketMeans(raw, maxPoints);
  const lossLabel = loss.bucket === 1 ? "loss per step" : `loss (mean of ${loss.bucket} steps)`;
  const lines = [{ name: lossLabel, x: loss.x, y: loss.y }];
  if (smoothing > 0 && raw.length > 1) {
    const smooth = bucketMeans(smoothLoss(raw, smoothing), maxPoints);
    lines.push({ name: `smoothed loss (EMA, β = ${smoothing})`, x: smooth.x, y: smooth.y });
  }
  const lossFigure = lineChart(lines, {
    title: "Loss per step",
    xTitle: "step (optimizer updates)",
    yTitle: lossName,
    logY: logLoss,
  });
  if (lossFigure.data.length > 1) lossFigure.data[0].opacity = 0.45;
  const accuracy = [
    { name: "train accuracy", y: history.trainAccuracy ?? [] },
    { name: "validation accuracy", y: history.validationAccuracy ?? [] },
  ].filter((s) => s.y.length > 0);
  const accuracyFigure = lineChart(
    accuracy.map((s) => ({ ...s, x: range(s.y.length, 1), mode: "lines+markers" as const })),
    { title: "Accuracy per epoch", xTitle: "epoch", yTitle: "accuracy (fraction correct)" },
  );
  accuracyFigure.data.forEach((trace, k) => (trace.line = { color: palette[(k + 2) % palette.length] }));
  return sideBySide([lossFigure, accuracyFigure], { title, height: options.height });
}

/**
 * Exponential moving average with bias correction (as TensorBoard and Adam do):
 *   s₀ = 0,  sₜ = β·sₜ₋₁ + (1 − β)·lossₜ,  smoothedₜ = sₜ / (1 − βᵗ)
 */
export function smoothLoss(loss: ArrayLike<number>, beta = 0.9): number[] {
  assertNumbers(loss, "smoothLoss loss");
  if (!(typeof beta === "number" && beta >= 0 && beta < 1))
    throw new InputError(`smoothLoss: beta must lie in [0, 1), got ${shown(beta)}.`);
  let s = 0;
  return Array.from(loss, (value, t) => {
    s = beta * s + (1 - beta) * value;
    return s / (1 - beta ** (t + 1));
  });
}

/**
 * Means of consecutive buckets of `size = ⌈n / maxPoints⌉` values, drawn at the bucket's middle step (steps count from
 * 1).
 */
function bucketMeans(values: number[], maxPoints: number): { x: number[]; y: number[]; bucket: number } {
  const bucket = Math.max(1, Math.ceil(values.length / maxPoints));
  if (bucket === 1) return { x: range(values.length, 1), y: values, bucket };
  const x: number[] = [];
  const y: number[] = [];
  for (let start = 0; start < values.length; start += bucket) {
    const chunk = values.slice(start, start + bucket);
    x.push(start + (chunk.length + 1) / 2);
    y.push(chunk.reduce((a, b) => a + b, 0) / chunk.length);
  }
  return { x, y, bucket };
}

/** One quantity sampled many times at each x: `samples[i]` holds the values observed at `x[i]`. */
export interface SampledSeries {
  name: string;
  samples: ArrayLike<number>[];
  x?: ArrayLike<number>;
}

/** Options of `percentileBands`. */
export interface PercentileBandsOptions extends ChartOptions {
  /**
   * Ascending percentiles, odd count: the middle one is the line, the outer pairs shaded bands (default [15, 50, 85]).
   */
  percentiles?: number[];
}

/**
 * The p-th percentiles of each `samples[i]` over x, as a line (middle percentile) inside shaded
 * bands (outer pairs). Percentile by linear interpolation between order statistics
 * (NumPy's default): position p/100 · (n − 1) in the sorted samples.
 */
export function percentileBands(series: SampledSeries[], options: PercentileBandsOptions): Figure {
  if (!Array.isArray(series))
    throw new InputError(
      `percentileBands series: expected an array of { name, samples }, got ${describeValue(series)}.`,
    );
  assertOptions(options, "percentileBands options", '{ title: "…" }');
  const { percentiles = [15, 50, 85] } = options;
  if (
    percentiles.length % 2 !== 1 ||
    percentiles.some((p, i) => p < 0 || p > 100 || (i > 0 && p <= percentiles[i - 1]))
  ) {
    throw new InputError(
      `percentileBands: percentiles must be an odd number of ` +
        `ascending values in [0, 100], got [${percentiles.join(",")}].`,
    );
  }
  const data = series.flatMap((s, k) => bandTraces(s, percentiles, palette[k % palette.length]));
  return { data, layout: baseLayout(options) };
}

function bandTraces(s: SampledSeries, percentiles: number[], color: string): Trace[] {
  const x = s.x ? toArray(s.x) : range(s.samples.length);
  const sorted = s.samples.map((values) => toArray(values).sort((a, b) => a - b));
  const at = (p: number) => sorted.map((values) => percentile(values, p));
  const traces: Trace[] = [];
  const middle = (percentiles.length - 1) / 2;
  for (let i = 0; i < middle; i++) {
    const [low, high] = [percentiles[i], percentiles[percentiles.length - 1 - i]];
    const band = `${s.name} (${low}th–${high}th percentile)`;
    traces.push({
      type: "scatter",
      mode: "lines",
      name: band,
      x,
      y: at(low),
      line: { width: 0, color },
      legendgroup: band,
      showlegend: false,
      hoverinfo: "x+y",
    });
    traces.push({
      type: "scatter",
      mode: "lines",
      name: band,
      x,
      y: at(high),
      line: { width: 0, color },
      legendgroup: band,
      fill: "tonexty",
      fillcolor: withAlpha(color, 0.2 + 0.1 * i),
    });
  }
  traces.push({
    type: "scatter",
    mode: "lines",
    name: `${s.name} (${percentiles[middle]}th percentile)`,
    x,
    y: at(percentiles[middle]),
    line: { color, width: 2 },
  });
  return traces;
}

/** The p-th percentile of ascending `sorted` values (linear interpolation); NaN when empty. */
export function percentile(sorted: ArrayLike<number>, p: number): number {
  if (sorted.length === 0) return NaN;
  const position = (p / 100) * (sorted.length - 1);
  const below = Math.floor(position);
  const above = Math.min(below + 1, sorted.length - 1);
  return sorted[below] + (position - below) * (sorted[above] - sorted[below]);
}

/** "#1f77b4" → "rgba(31,119,180,alpha)". */
function withAlpha(hex: string, alpha: number): string {
  const channel = (i: number) => parseInt(hex.slice(i, i + 2), 16);
  return `rgba(${channel(1)},${channel(3)},${channel(5)},${alpha})`;
}
