/**
 * Figures of a search: a metric against one hyperparameter, one marker series per group
 * (per coarse-to-fine round, with/without BatchNorm …). Pure plotly figures (lib/plots).
 */
import { lineChart } from "../plots/charts";
import type { Figure } from "../plots/figure";
import type { TrialResult } from "./run";

/** A named set of results drawn as one marker series. */
export interface ResultGroup {
  name: string;
  results: readonly TrialResult[];
}

/** Options of `searchScatter`. */
export interface SearchScatterOptions {
  /** The hyperparameter on the x axis (a number in every config). */
  parameter: string;
  /** The metric on the y axis. */
  metric: string;
  title: string;
  /** Axis titles (default: the parameter and metric names). */
  xTitle?: string;
  yTitle?: string;
  /** Log x axis (default true: learning rates span decades). */
  logX?: boolean;
}

/**
 * metric against parameter for each group; trials that failed or stopped early are left out
 * (their count is given in the legend: "round 1 (2 failed)").
 */
export function searchScatter(groups: readonly ResultGroup[], options: SearchScatterOptions): Figure {
  const { parameter, metric, title, logX = true } = options;
  const series = groups.map(({ name, results }) => {
    const ok = results.filter(
      (r) => r.status === "ok" && typeof r.config[parameter] === "number" && Number.isFinite(r.metrics[metric]),
    );
    const missing = results.length - ok.length;
    return {
      name: missing > 0 ? `${name} (${missing} failed or stopped)` : name,
      x: ok.map((r) => r.config[parameter] as number),
      y: ok.map((r) => r.metrics[metric]),
      mode: "markers" as const,
    };
  });
  return lineChart(series, { title, xTitle: options.xTitle ?? parameter, yTitle: options.yTitle ?? metric, logX });
}
