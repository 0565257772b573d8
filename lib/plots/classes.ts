/**
 * Two-dimensional classification pictures: the points of a data set coloured by class, and
 * the regions a model assigns to each class (its decision boundary).
 */
import { assertFunction, assertLabels, assertMatrix, assertOptions, assertShape, InputError } from "../core/checks";
import { Matrix } from "../core/matrix";
import { type ChartOptions, type Figure, type Trace, axis, baseLayout, extent, palette, range } from "./figure";

/** Points x: [N, 2] with class labels y: [N] (a `Dataset` fits). */
export interface LabelledPoints {
  x: Matrix;
  y: ArrayLike<number>;
}

/** Options of `classScatter`; axis titles default to "x₁" and "x₂". */
export interface ClassScatterOptions extends Omit<ChartOptions, "xTitle" | "yTitle" | "logX" | "logY"> {
  xTitle?: string;
  yTitle?: string;
  /** Legend names per class (default "class 0", "class 1", …). */
  classNames?: string[];
}

/** A scatter plot of 2-D points, one trace (colour) per class, in `palette` order. */
export function classScatter(points: LabelledPoints, options: ClassScatterOptions): Figure {
  assertOptions(options, "classScatter options", '{ title: "…" }');
  const layout = baseLayout({ xTitle: "x₁", yTitle: "x₂", ...options });
  layout.yaxis = { ...axis(options.yTitle ?? "x₂"), scaleanchor: "x" }; // equal scales: circles look round
  // …by narrowing the plot, not padding the range
  layout.xaxis = { ...axis(options.xTitle ?? "x₁"), constrain: "domain" };
  return { data: scatterTraces(points, options.classNames), layout };
}

function scatterTraces(points: LabelledPoints, classNames?: string[]): Trace[] {
  assertOptions(points, "classScatter points", "a Dataset { x: Matrix [N, 2], y: labels }");
  const { x, y } = points;
  assertMatrix(x, "classScatter points.x");
  assertLabels(y, x.rows, Infinity, "classScatter points.y");
  assertShape(x, [y.length, 2], "classScatter x", "Pass 2-D points x: [N, 2] and one label per row.");
  const classes = [...new Set(Array.from(y))].sort((a, b) => a - b);
  return classes.map((c) => {
    const rows = range(y.length).filter((i) => y[i] === c);
    return {
      type: "scatter",
      mode: "markers",
      name: classNames?.[c] ?? `class ${c}`,
      x: rows.map((i) => x.get(i, 0)),
      y: rows.map((i) => x.get(i, 1)),
      marker: { color: palette[c % palette.length], size: 6, line: { color: "white", width: 0.5 } },
    };
  });
}

/** Options of `decisionBoundary`. */
export interface DecisionBoundaryOptions extends ClassScatterOptions {
  /** Grid points per axis (default 80, so the model sees 80 × 80 points; larger grids make larger notebooks). */
  resolution?: number;
  /** Margin around the data, as a fraction of its range (default 0.1). */
  padding?: number;
}

/**
 * The class a model predicts at every point of a grid covering the data, as coloured regions,
 * with the data on top. `predict(grid: [G, 2])` returns a class per row, or scores [G, C]
 * whose arg-max per row is the class (e.g. `(g) => model.forward(g)`; call `model.eval()` first
 * so BatchNorm uses its running statistics).
 */
export function decisionBoundary(
  predict: (grid: Matrix) => Matrix | ArrayLike<number>,
  points: LabelledPoints,
  options: DecisionBoundaryOptions,
): Figure {
  assertFunction(predict, "decisionBoundary predict");
  assertOptions(options, "decisionBoundary options", '{ title: "…" }');
  const { resolution = 80, padding = 0.1 } = options;
  const figure = classScatter(points, options);
  const xs = gridAxis(points.x, 0, resolution, padding);
  const ys = gridAxis(points.x, 1, resolution, padding);
  const grid = new Matrix(resolution * resolution, 2);
  ys.forEach((yv, i) => xs.forEach((xv, j) => grid.data.set([xv, yv], 2 * (i * resolution + j))));
  const classes = classesOf(predict(grid), grid.rows);
  const z = ys.map((_, i) => Array.from(classes.subarray(i * resolution, (i + 1) * resolution)));
  const count = Math.max(extent(points.y)[1], extent(classes)[1]) + 1;
  const regions: Trace = {
    type: "heatmap",
    name: "predicted class",
    x: xs,
    y: ys,
    z,
    zmin: -0.5,
    zmax: count - 0.5,
    colorscale: discreteScale(count),
    opacity: 0.35,
    showscale: false,
    hoverinfo: "x+y+z",
  };
  return { data: [regions, ...figure.data], layout: figure.layout };
}

function gridAxis(x: Matrix, column: number, resolution: number, padding: number): number[] {
  const [low, high] = extent(range(x.rows).map((i) => x.get(i, column)));
  const margin = (high - low || 1) * padding;
  const step = (high - low + 2 * margin) / (resolution - 1);
  return range(resolution).map((k) => low - margin + k * step);
}

/** Class per row: the values themselves, or the arg-max of each row of a score matrix. */
function classesOf(prediction: Matrix | ArrayLike<number>, rows: number): Int32Array {
  if (!(prediction instanceof Matrix)) {
    if (prediction.length !== rows)
      throw new InputError(
        `decisionBoundary: predict returned ${prediction.length} classes for ${rows} grid points; return one per row.`,
      );
    return Int32Array.from(prediction);
  }
  assertShape(
    prediction,
    [rows, null],
    "decisionBoundary predict(grid)",
    "Return scores [G, C] or one class per grid row.",
  );
  const classes = new Int32Array(rows);
  for (let i = 0; i < rows; i++) {
    for (let c = 1; c < prediction.cols; c++) if (prediction.get(i, c) > prediction.get(i, classes[i])) classes[i] = c;
  }
  return classes;
}

/** A colour scale that paints the integer z = k in `palette[k]` (z spans [−0.5, count − 0.5]). */
function discreteScale(count: number): [number, string][] {
  return range(count).flatMap((k): [number, string][] => [
    [k / count, palette[k % palette.length]],
    [(k + 1) / count, palette[k % palette.length]],
  ]);
}
